import AimaqCore
import SQLKit
import Vapor

/// `/api/v1/discussions/:id/comments`, `…/proposals` (with their dispositions), `…/opinions`,
/// `/api/v1/polls/:id`, and `POST /api/v1/discussions/:id/comments` with a token. Hidden
/// comments are listed without their text, as visitors see them.
enum ParticipationAPI {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.api(.discussionComments(.key)).pathComponents, use: comments)
        routes.post(SiteURL.api(.discussionComments(.key)).pathComponents) { request in
            APITokens.startAPIWrite(request) { try await comment(request) }
        }
        routes.get(SiteURL.api(.discussionProposals(.key)).pathComponents, use: proposals)
        routes.get(SiteURL.api(.discussionOpinions(.key)).pathComponents, use: opinions)
        routes.get(SiteURL.api(.poll(.key)).pathComponents, use: poll)
    }

    /// `?article=` of the lists: an article's anchor, at most 100 characters.
    static func articleFilter(_ request: Request) throws -> String? {
        guard let article = request.queryText("article") else { return nil }
        guard article.count <= 100 else { throw Abort(.badRequest, reason: request.t("api.error.article")) }
        return article
    }

    struct CommentDTO: Content {
        var id: Int
        var article: String
        var version: Int
        var parent: Int?
        var author: String
        /// Absent for a hidden comment.
        var text: String?
        var hidden: Bool
        var createdAt: Int64
        var support: Int
        var oppose: Int
    }

    @Sendable static func comments(_ request: Request) async throws -> ListDTO<CommentDTO> {
        try request.authorize(.viewPublic)
        let (discussion, _) = try await CommentController.readable(request)
        let paging = try Paging(request)
        let query = request.sql.select().column("*").from("comments").where("discussion_id", .equal, SQLBind(discussion.id))
        if let article = try articleFilter(request) { query.where("anchor", .equal, SQLBind(article)) }
        let all = try await query.orderBy("id").all(decoding: CommentRecord.self)
        return ListDTO(items: paging.slice(all).map { comment in
            CommentDTO(id: comment.id, article: comment.anchor, version: comment.version, parent: comment.parent_id,
                       author: comment.author, text: comment.isHidden ? nil : comment.text, hidden: comment.isHidden,
                       createdAt: comment.created_at, support: comment.support, oppose: comment.oppose)
        }, total: all.count, page: paging.page, per: paging.per)
    }

    struct CommentInput: Content {
        var article: String?
        var text: String?
        var parent: Int?
    }

    static func comment(_ request: Request) async throws -> Response {
        try APITokens.requireToken(request)
        let input = try request.content.decode(CommentInput.self)
        return try await request.onWriteLane { db in
            let sql = try db.sql
            guard let id = request.parameters.get(SiteURL.idKey, as: Int.self), let discussion = try await DiscussionStore.find(id, on: sql),
                  let latest = try await DiscussionStore.versionNumbers(id, on: sql).last,
                  let version = try await DiscussionStore.version(id, number: latest, on: sql) else {
                throw Abort(.notFound, reason: request.t("discussion.notFound"))
            }
            let phase = discussion.schedule.phase(on: InstructionController.today(request))
            guard phase.allows(.read) else { throw Abort(.notFound, reason: request.t("discussion.notFound")) }
            try request.authorize(.takePartInDiscussion(territory: discussion.territory))
            guard phase.allows(.comment) else { throw Abort(.conflict, reason: request.t("comment.error.phase")) }
            try request.aimaq.limits.charge(.participation, request)
            guard let anchor = input.article, version.document.article(anchor) != nil else {
                throw Abort(.unprocessableEntity, reason: request.t("discussion.articleNotFound"))
            }
            let text = try await CommentController.checked(input.text, parent: input.parent, anchor: anchor, discussion: id, on: sql, request)
            guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
            let stored = try await CommentStore.add(discussion: id, anchor: anchor, version: version.number, parent: input.parent,
                                                    author: accountID, name: account.displayName, text: text,
                                                    actor: request.auditActor, on: request.db)
            let response = Response(status: .created)
            try response.content.encode(Written(id: stored, status: "stored"))
            return response
        }
    }

    struct Written: Content {
        var id: Int
        var status: String
    }

    struct ProposalDTO: Content {
        var id: Int
        var article: String
        var version: Int
        var author: String
        var wording: String
        var justification: String
        var createdAt: Int64
        var support: Int
        var disposition: String?
        var reason: String?
    }

    @Sendable static func proposals(_ request: Request) async throws -> ListDTO<ProposalDTO> {
        try request.authorize(.viewPublic)
        let (discussion, _) = try await CommentController.readable(request)
        let paging = try Paging(request)
        let all = try await ProposalStore.list(discussion: discussion.id, anchor: try articleFilter(request), on: request.sql)
        return ListDTO(items: paging.slice(all).map { proposal in
            ProposalDTO(id: proposal.id, article: proposal.anchor, version: proposal.version, author: proposal.author,
                        wording: proposal.wording, justification: proposal.justification, createdAt: proposal.created_at,
                        support: proposal.support, disposition: proposal.disposition, reason: proposal.disposition_reason)
        }, total: all.count, page: paging.page, per: paging.per)
    }

    struct OpinionDTO: Content {
        var id: Int
        var article: String?
        var version: Int
        var author: String
        var affiliation: String
        var position: String
        var text: String
        var file: String?
        var fileSHA256: String?
        var digest: String
        var createdAt: Int64
    }

    @Sendable static func opinions(_ request: Request) async throws -> ListDTO<OpinionDTO> {
        try request.authorize(.viewPublic)
        let (discussion, _) = try await CommentController.readable(request)
        let paging = try Paging(request)
        let all = try await OpinionStore.list(discussion: discussion.id, on: request.sql)
        return ListDTO(items: paging.slice(all).map { opinion in
            OpinionDTO(id: opinion.id, article: opinion.anchor, version: opinion.version, author: opinion.author,
                       affiliation: opinion.affiliation, position: opinion.position, text: opinion.text,
                       file: opinion.stored_name == nil ? nil : SiteURL.opinionFile(.value(discussion.id), .value(opinion.id)).path,
                       fileSHA256: opinion.file_sha256, digest: opinion.digest, createdAt: opinion.created_at)
        }, total: all.count, page: paging.page, per: paging.per)
    }

    struct PollDTO: Content {
        struct Region: Content {
            var kato: String
            var votes: [Int]
        }

        var id: Int
        var title: LocalizedName
        var territory: String?
        var options: [LocalizedName]
        var opens: String
        var closes: String
        var demo: Bool
        var votes: [Int]
        var regions: [Region]
    }

    @Sendable static func poll(_ request: Request) async throws -> PollDTO {
        try request.authorize(.viewPublic)
        let poll = try await PollController.load(request)
        let results = try await PollStore.results(poll, on: request.sql)
        return PollDTO(id: poll.id, title: poll.title, territory: poll.territory?.description, options: poll.options,
                       opens: poll.opens.description, closes: poll.closes.description, demo: poll.demo, votes: results.total,
                       regions: results.byRegion.keys.sorted().map { PollDTO.Region(kato: String($0 * 10_000_000), votes: results.byRegion[$0] ?? []) })
    }
}
