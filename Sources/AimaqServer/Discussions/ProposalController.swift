import AimaqCore
import Vapor

/// Proposals of amendment: made and supported in the public discussion, given a disposition
/// with its reason by the responsible body in the dispositions phase; the disposition table
/// as a page and as CSV.
enum ProposalController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post(SiteURL.discussionProposals(.key, .key).pathComponents, use: propose)
        routes.post(SiteURL.proposalSupport(.key, .key).pathComponents, use: support)
        routes.post(SiteURL.proposalDisposition(.key, .key).pathComponents, use: dispose)
        routes.get(SiteURL.discussionDispositions(.key).pathComponents, use: table)
    }

    struct ProposalForm: Content {
        var wording: String?
        var justification: String?
    }

    @Sendable static func propose(_ request: Request) async throws -> Response {
        let (discussion, phase, version, article) = try await CommentController.load(request)
        try request.authorize(.takePartInDiscussion(territory: discussion.territory))
        guard phase.allows(.propose) else { throw Abort(.conflict, reason: request.t("comment.error.phase")) }
        try request.aimaq.limits.charge(.participation, request)
        let form = try request.content.decode(ProposalForm.self)
        let wording = (form.wording ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let justification = (form.justification ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !wording.isEmpty, wording.count <= ProposalStore.maxWording, !justification.isEmpty,
              justification.count <= ProposalStore.maxJustification else {
            throw Abort(.unprocessableEntity, reason: request.t("proposal.error.text"))
        }
        guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
        _ = try await ProposalStore.add(discussion: discussion.id, anchor: article.anchor, version: version.number, author: accountID,
                                        name: account.displayName, wording: wording, justification: justification,
                                        actor: request.auditActor, on: request.db)
        return CommentController.back(request, discussion.id, article.anchor)
    }

    static func loadProposal(_ request: Request) async throws -> (DiscussionRecord, DiscussionPhase, ProposalRecord) {
        let (discussion, phase) = try await CommentController.readable(request)
        guard let proposalID = request.parameters.get(SiteURL.proposalKey, as: Int.self),
              let proposal = try await ProposalStore.find(proposalID, discussion: discussion.id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("proposal.notFound"))
        }
        return (discussion, phase, proposal)
    }

    @Sendable static func support(_ request: Request) async throws -> Response {
        let (discussion, phase, proposal) = try await loadProposal(request)
        try request.authorize(.takePartInDiscussion(territory: discussion.territory))
        guard phase.allows(.support) else { throw Abort(.conflict, reason: request.t("comment.error.phase")) }
        try request.aimaq.limits.charge(.participation, request)
        guard let accountID = request.account?.id else { throw SignInRequired() }
        try await ProposalStore.toggleSupport(proposal.id, account: accountID, actor: request.auditActor, on: request.db)
        return CommentController.back(request, discussion.id, proposal.anchor)
    }

    struct DispositionForm: Content {
        var disposition: String?
        var reason: String?
    }

    @Sendable static func dispose(_ request: Request) async throws -> Response {
        let (discussion, phase, proposal) = try await loadProposal(request)
        try request.authorize(.disposeProposals(territory: discussion.territory))
        guard phase.allows(.dispose) else { throw Abort(.conflict, reason: request.t("comment.error.phase")) }
        let form = try request.content.decode(DispositionForm.self)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let disposition = form.disposition.flatMap(Disposition.init(rawValue:)), !reason.isEmpty else {
            throw Abort(.unprocessableEntity, reason: request.t("proposal.error.disposition"))
        }
        try await ProposalStore.dispose(proposal.id, disposition: disposition, reason: reason, actor: request.auditActor, on: request.db)
        return CommentController.back(request, discussion.id, proposal.anchor)
    }

    /// `GET /discussions/:id/dispositions` (`?format=csv` for the table as CSV).
    @Sendable static func table(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let shown = try await DiscussionController.shown(request)
        let proposals = shown.phase.allows(.read) ? try await ProposalStore.list(discussion: shown.discussion.id, on: request.sql) : []
        let headings = Dictionary((shown.version?.document.articles ?? []).map { ($0.anchor, $0.heading) },
                                  uniquingKeysWith: { first, _ in first })
        if request.queryText("format") == "csv" {
            let response = Response(status: .ok)
            response.setCSV(ProposalStore.csv(proposals, headings: headings), filename: "dispositions-\(shown.discussion.id).csv")
            return response
        }
        let page = request.page
        let title = page.t("proposal.table.title")
        return Layout.response(request, title: title,
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("discussion.list.title"), SiteURL.discussions.path),
                                             (shown.discussion.title[page.language], SiteURL.discussion(.value(shown.discussion.id)).path),
                                             (title, SiteURL.discussionDispositions(.value(shown.discussion.id)).path)],
                               content: ProposalViews.table(shown, proposals, headings: headings, page))
    }
}
