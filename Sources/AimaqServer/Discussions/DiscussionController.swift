import AimaqCore
import Vapor

/// Discussions of drafts: the list, a draft in any of its versions, and what a version
/// changed, side by side. Public once the discussion opens.
enum DiscussionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.discussions.pathComponents, use: list)
        routes.get(SiteURL.discussion(.key).pathComponents, use: show)
        routes.get(SiteURL.discussionChanges(.key).pathComponents, use: changes)
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let discussions = try await DiscussionStore.all(on: request.sql)
        let page = request.page
        return Layout.response(request, title: page.t("discussion.list.title"),
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("discussion.list.title"), SiteURL.discussions.path)],
                               content: DiscussionViews.list(discussions, today: InstructionController.today(request), page))
    }

    /// The discussion, the versions it has and the one asked for (`?version=N`, else the latest).
    struct Shown: Sendable {
        var discussion: DiscussionRecord
        var phase: DiscussionPhase
        var versions: [Int]
        var version: DraftVersionRecord?
        var previous: DraftVersionRecord?
        /// Comments per article.
        var comments: [String: Int] = [:]
        /// The opinion-map conversations of the discussion (on the draft page).
        var conversations: [ConversationRecord] = []
    }

    static func shown(_ request: Request) async throws -> Shown {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self),
              let discussion = try await DiscussionStore.find(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("discussion.notFound"))
        }
        let phase = discussion.schedule.phase(on: InstructionController.today(request))
        let versions = try await DiscussionStore.versionNumbers(id, on: request.sql)
        guard phase.allows(.read) else {
            return Shown(discussion: discussion, phase: phase, versions: versions, version: nil, previous: nil)
        }
        var number = versions.last
        if let asked = request.queryText("version") {
            guard let value = Int(asked), versions.contains(value) else {
                throw Abort(.notFound, reason: request.t("discussion.versionNotFound", ["version": asked]))
            }
            number = value
        }
        let version = try await number.asyncMap { try await DiscussionStore.version(id, number: $0, on: request.sql) }
        let previous = try await number.flatMap { n in versions.last { $0 < n } }
            .asyncMap { try await DiscussionStore.version(id, number: $0, on: request.sql) }
        return Shown(discussion: discussion, phase: phase, versions: versions, version: version, previous: previous)
    }

    private static func crumbs(_ shown: Shown, _ page: PageContext) -> [(String, String)] {
        [(page.t("country.name"), SiteURL.home.path), (page.t("discussion.list.title"), SiteURL.discussions.path),
         (shown.discussion.title[page.language], SiteURL.discussion(.value(shown.discussion.id)).path)]
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        // Visitors' draft page is kept rendered until the discussion's revision changes.
        var cached: (key: String, revision: Int)?
        if Layout.isCacheableAnonymous(request), let id = request.parameters.get(SiteURL.idKey, as: Int.self),
           let discussion = try await DiscussionStore.find(id, on: request.sql) {
            let key = "discussion:\(id):\(request.language):\(InstructionController.today(request))"
            if let html = request.aimaq.pages.cachedAnonymousPage(key, version: discussion.revision) { return Layout.html(html) }
            cached = (key, discussion.revision)
        }
        var shown = try await shown(request)
        // Only the draft page shows how many comments each article has.
        if shown.version != nil {
            shown.comments = try await CommentStore.counts(discussion: shown.discussion.id, on: request.sql)
            shown.conversations = try await ConversationStore.of(discussion: shown.discussion.id, on: request.sql)
        }
        let page = request.page
        let html = Layout.page(request, title: shown.discussion.title[page.language], breadcrumbs: crumbs(shown, page),
                               content: DiscussionViews.document(shown, page))
        if let cached { request.aimaq.pages.storeAnonymousPage(cached.key, html, version: cached.revision) }
        return Layout.html(html)
    }

    @Sendable static func changes(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let shown = try await shown(request)
        let page = request.page
        let title = page.t("discussion.changes.title", ["version": shown.version.map { String($0.number) } ?? "—"])
        return Layout.response(request, title: title,
                               breadcrumbs: crumbs(shown, page) + [(title, SiteURL.discussionChanges(.value(shown.discussion.id)).path)],
                               content: DiscussionViews.changes(shown, page))
    }
}
