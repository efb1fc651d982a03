import AimaqCore
import Vapor

/// Experts' opinions: given (with an attached file) during the public discussion and the
/// expert review, shown apart from citizens' comments with the expert's name and affiliation,
/// each with its signature digest.
enum OpinionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.discussionOpinions(.key).pathComponents, use: list)
        routes.upload(SiteURL.discussionOpinions(.key), maxBytes: EvidenceStore.maxFileBytes + (1 << 20), gate: { request in
            let (discussion, _) = try await CommentController.readable(request)
            try request.authorize(.giveExpertOpinion(territory: discussion.territory))
        }, use: give)
        routes.get(SiteURL.opinionFile(.key, .key).pathComponents, use: file)
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let shown = try await DiscussionController.shown(request)
        let opinions = shown.phase.allows(.read) ? try await OpinionStore.list(discussion: shown.discussion.id, on: request.sql) : []
        let page = request.page
        let title = page.t("opinion.title")
        let context = OpinionViews.Context(
            discussion: shown.discussion.id, articles: shown.version?.document.articles ?? [], opinions: opinions,
            mayGive: shown.phase.allows(.expertOpinion)
                && AccessPolicy.allows(.giveExpertOpinion(territory: shown.discussion.territory), for: request.actor),
            submitted: request.queryText("given") == "1")
        return Layout.response(request, title: title,
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("discussion.list.title"), SiteURL.discussions.path),
                                             (shown.discussion.title[page.language], SiteURL.discussion(.value(shown.discussion.id)).path),
                                             (title, SiteURL.discussionOpinions(.value(shown.discussion.id)).path)],
                               content: OpinionViews.page(context, page))
    }

    struct OpinionForm: Content {
        var anchor: String?
        var affiliation: String?
        var position: String?
        var text: String?
        var file: File?
    }

    @Sendable static func give(_ request: Request) async throws -> Response {
        let (discussion, phase) = try await CommentController.readable(request)
        try request.authorize(.giveExpertOpinion(territory: discussion.territory))
        guard phase.allows(.expertOpinion) else { throw Abort(.conflict, reason: request.t("comment.error.phase")) }
        try request.aimaq.limits.charge(.participation, request)
        let form = try request.content.decode(OpinionForm.self)
        let text = (form.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let affiliation = (form.affiliation ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let position = form.position.flatMap(ExpertPosition.init(rawValue:)) else {
            throw Abort(.unprocessableEntity, reason: request.t("opinion.error.position"))
        }
        guard !text.isEmpty, text.count <= OpinionStore.maxText, !affiliation.isEmpty, affiliation.count <= OpinionStore.maxAffiliation else {
            throw Abort(.unprocessableEntity, reason: request.t("opinion.error.text", ["max": String(OpinionStore.maxText)]))
        }
        guard let latest = try await DiscussionStore.versionNumbers(discussion.id, on: request.sql).last,
              let version = try await DiscussionStore.version(discussion.id, number: latest, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("discussion.notFound"))
        }
        var anchor: String?
        if let asked = form.anchor, !asked.isEmpty {
            guard version.document.article(asked) != nil else { throw Abort(.unprocessableEntity, reason: request.t("discussion.articleNotFound")) }
            anchor = asked
        }
        var upload: EvidenceStore.Upload?
        if let file = form.file, file.data.readableBytes > 0 {
            guard EvidenceStore.contentType(of: file.filename) != nil else {
                throw Abort(.unprocessableEntity, reason: request.t("opinion.error.file", ["name": file.filename]))
            }
            upload = EvidenceStore.Upload(fileName: file.filename, data: Data(file.data.readableBytesView))
        }
        guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
        let stored = try await request.aimaq.evidence.store(upload.map { [$0] } ?? [], db: request.sql)
        do {
            _ = try await OpinionStore.add(OpinionStore.NewOpinion(
                discussion: discussion.id, anchor: anchor, version: version.number, author: accountID, name: account.displayName,
                affiliation: affiliation, position: position, text: text, file: stored.first), actor: request.auditActor, on: request.writer)
        } catch {
            await request.aimaq.evidence.discard(stored, db: request.sql)
            throw error
        }
        return request.redirect(to: SiteURL.discussionOpinions(.value(discussion.id)).path + "?given=1", redirectType: .normal)
    }

    /// `GET /discussions/:id/opinions/:opinion/file`: an opinion's attachment, public like the opinion.
    @Sendable static func file(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let (discussion, _) = try await CommentController.readable(request)
        guard let id = request.parameters.get(SiteURL.opinionKey, as: Int.self),
              let opinion = try await OpinionStore.find(id, discussion: discussion.id, on: request.sql),
              let storedName = opinion.stored_name else {
            throw Abort(.notFound, reason: request.t("error.fileNotFound"))
        }
        return try await request.aimaq.evidence.response(storedName: storedName, fileName: opinion.file_name ?? "",
                                                         contentType: opinion.content_type ?? "application/octet-stream", request)
    }
}
