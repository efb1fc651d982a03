import AimaqCore
import SQLKit
import Vapor

/// An article of a draft with its comments, and what people do with them: comment and
/// reply, support or oppose, report (visitors too), hide with a reason (moderators). What
/// the phase does not allow is refused with 409 and says so.
enum CommentController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.discussionArticle(.key, .key).pathComponents, use: article)
        routes.post(SiteURL.discussionComments(.key, .key).pathComponents, use: comment)
        routes.post(SiteURL.commentVote(.key, .key).pathComponents, use: vote)
        routes.post(SiteURL.commentHide(.key, .key).pathComponents, use: hide)
        routes.post(SiteURL.commentReport(.key, .key).pathComponents, use: report)
    }

    /// The discussion, today's phase, the latest version and the article asked for (404
    /// when the discussion, the draft or the article is missing or not yet public).
    static func load(_ request: Request) async throws -> (DiscussionRecord, DiscussionPhase, DraftVersionRecord, DraftArticle) {
        let (discussion, phase) = try await readable(request)
        guard let latest = try await DiscussionStore.versionNumbers(discussion.id, on: request.sql).last,
              let version = try await DiscussionStore.version(discussion.id, number: latest, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("discussion.notFound"))
        }
        let anchor = request.parameters.get(SiteURL.anchorKey) ?? ""
        guard let article = version.document.article(anchor) else {
            throw Abort(.notFound, reason: request.t("discussion.articleNotFound"))
        }
        return (discussion, phase, version, article)
    }

    static func back(_ request: Request, _ discussion: Int, _ anchor: String) -> Response {
        request.redirect(to: SiteURL.discussionArticle(.value(discussion), .value(anchor)).path, redirectType: .normal)
    }

    @Sendable static func article(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let (discussion, phase, version, article) = try await load(request)
        let order = CommentStore.Order(rawValue: request.queryText("order") ?? "") ?? .support
        let thread = try await CommentStore.thread(discussion: discussion.id, anchor: article.anchor, order: order, on: request.sql)
        let page = request.page
        let actor = request.actor
        let context = CommentViews.Context(
            discussion: discussion, phase: phase, version: version.number, article: article, order: order, thread: thread,
            mayTakePart: phase.allows(.comment) && AccessPolicy.allows(.takePartInDiscussion(territory: discussion.territory), for: actor),
            mayModerate: AccessPolicy.allows(.moderateDiscussion(territory: discussion.territory), for: actor),
            signedIn: actor != nil,
            proposals: ProposalViews.Context(
                discussion: discussion.id, anchor: article.anchor,
                proposals: try await ProposalStore.list(discussion: discussion.id, anchor: article.anchor, on: request.sql),
                mayPropose: phase.allows(.propose) && AccessPolicy.allows(.takePartInDiscussion(territory: discussion.territory), for: actor),
                mayDispose: phase.allows(.dispose) && AccessPolicy.allows(.disposeProposals(territory: discussion.territory), for: actor)),
            opinions: try await OpinionStore.list(discussion: discussion.id, anchor: article.anchor, on: request.sql))
        return Layout.response(request, title: article.heading,
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("discussion.list.title"), SiteURL.discussions.path),
                                             (discussion.title[page.language], SiteURL.discussion(.value(discussion.id)).path),
                                             (article.heading, SiteURL.discussionArticle(.value(discussion.id), .value(article.anchor)).path)],
                               content: CommentViews.article(context, page))
    }

    struct CommentForm: Content {
        var text: String?
        var parent: Int?
    }

    @Sendable static func comment(_ request: Request) async throws -> Response {
        let (discussion, phase, version, article) = try await load(request)
        try request.authorize(.takePartInDiscussion(territory: discussion.territory))
        guard phase.allows(.comment) else { throw Abort(.conflict, reason: request.t("comment.error.phase")) }
        try request.aimaq.limits.charge(.participation, request)
        let form = try request.content.decode(CommentForm.self)
        let text = try await checked(form.text, parent: form.parent, anchor: article.anchor, discussion: discussion.id, on: request.sql, request)
        guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
        _ = try await CommentStore.add(discussion: discussion.id, anchor: article.anchor, version: version.number, parent: form.parent,
                                       author: accountID, name: account.displayName, text: text, actor: request.auditActor,
                                       on: request.db)
        return back(request, discussion.id, article.anchor)
    }

    /// A comment's text, trimmed, checked as the form and the API both check it: not empty,
    /// not too long, and a reply only to a comment on the same article that is not itself a
    /// reply (one level of replies).
    static func checked(_ text: String?, parent: Int?, anchor: String, discussion: Int, on sql: any SQLDatabase,
                        _ request: Request) async throws -> String {
        let text = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= CommentStore.maxLength else {
            throw Abort(.unprocessableEntity, reason: request.t("comment.error.text", ["max": String(CommentStore.maxLength)]))
        }
        if let parent {
            guard let comment = try await CommentStore.find(parent, discussion: discussion, on: sql), comment.anchor == anchor,
                  comment.parent_id == nil else {
                throw Abort(.unprocessableEntity, reason: request.t("comment.error.parent"))
            }
        }
        return text
    }

    /// The comment addressed, on a discussion that can be read.
    static func loadComment(_ request: Request) async throws -> (DiscussionRecord, DiscussionPhase, CommentRecord) {
        let (discussion, phase) = try await readable(request)
        guard let commentID = request.parameters.get(SiteURL.commentKey, as: Int.self),
              let comment = try await CommentStore.find(commentID, discussion: discussion.id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("comment.notFound"))
        }
        return (discussion, phase, comment)
    }

    /// The discussion addressed and today's phase, when it can be read (404 otherwise: an
    /// announced discussion has nothing to act on yet).
    static func readable(_ request: Request) async throws -> (DiscussionRecord, DiscussionPhase) {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self),
              let discussion = try await DiscussionStore.find(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("discussion.notFound"))
        }
        let phase = discussion.schedule.phase(on: InstructionController.today(request))
        guard phase.allows(.read) else { throw Abort(.notFound, reason: request.t("discussion.notFound")) }
        return (discussion, phase)
    }

    struct VoteForm: Content { var value: String? }

    @Sendable static func vote(_ request: Request) async throws -> Response {
        let (discussion, phase, comment) = try await loadComment(request)
        try request.authorize(.takePartInDiscussion(territory: discussion.territory))
        guard phase.allows(.support) else { throw Abort(.conflict, reason: request.t("comment.error.phase")) }
        try request.aimaq.limits.charge(.participation, request)
        let form = try request.content.decode(VoteForm.self)
        let value: Int
        switch form.value {
        case "support": value = 1
        case "oppose": value = -1
        default: throw Abort(.unprocessableEntity, reason: request.t("comment.error.vote"))
        }
        guard !comment.isHidden else { throw Abort(.conflict, reason: request.t("comment.error.hidden")) }
        guard let accountID = request.account?.id else { throw SignInRequired() }
        try await CommentStore.vote(comment.id, value: value, account: accountID, actor: request.auditActor, on: request.db)
        return back(request, discussion.id, comment.anchor)
    }

    struct HideForm: Content { var reason: String? }

    @Sendable static func hide(_ request: Request) async throws -> Response {
        let (discussion, _, comment) = try await loadComment(request)
        try request.authorize(.moderateDiscussion(territory: discussion.territory))
        let reason = (try request.content.decode(HideForm.self).reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Abort(.unprocessableEntity, reason: request.t("comment.error.reason")) }
        try await CommentStore.hide(comment.id, reason: reason, actor: request.auditActor, on: request.db)
        return back(request, discussion.id, comment.anchor)
    }

    @Sendable static func report(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let (discussion, _, comment) = try await loadComment(request)
        try request.aimaq.limits.charge(.participation, request)
        try await CommentStore.report(comment.id, on: request.sql)
        return back(request, discussion.id, comment.anchor)
    }
}
