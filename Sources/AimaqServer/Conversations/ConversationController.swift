import AimaqCore
import OpinionMap
import SQLKit
import Vapor

/// Opinion-map conversations: the list, a conversation's page (the next statement to vote on,
/// the groups, the map, by region), voting, submitting statements, moderating them, and the
/// Polis export. Pages read the latest snapshot of the map and never wait for a computation.
enum ConversationController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.conversations.pathComponents, use: list)
        routes.post(SiteURL.conversations.pathComponents, use: create)
        routes.get(SiteURL.conversation(.key).pathComponents, use: show)
        routes.post(SiteURL.conversationVotes(.key).pathComponents, use: vote)
        routes.post(SiteURL.conversationStatements(.key).pathComponents, use: submit)
        routes.post(SiteURL.statementModeration(.key, .key).pathComponents, use: moderate)
        for file in PolisFiles.allCases {
            routes.get(SiteURL.conversationExport(.key, file.rawValue).pathComponents) { request in
                try await export(request, file)
            }
        }
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let today = InstructionController.today(request)
        return try await listPage(request, today: today, values: [:], problems: [])
    }

    /// The list, with the form that opens a conversation for those who may (refilled, with
    /// what is wrong, after a refused form).
    static func listPage(_ request: Request, today: CivilDate, values: [String: String], problems: [String],
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = request.actor
        // One not yet open is seen only by those who may open conversations of its territory.
        let conversations = try await ConversationStore.all(on: request.sql)
            .filter { $0.hasOpened(on: today) || AccessPolicy.allows(.moderateDiscussion(territory: $0.territory), for: actor) }
        let page = request.page
        let counts = conversations.map { request.aimaq.conversations.snapshot($0.id)?.participants ?? 0 }
        let mayCreate = OpeningForm.mayOpen(actor)
        let discussions = mayCreate ? try await DiscussionStore.all(on: request.sql).filter { $0.schedule.expertReview >= today } : []
        return Layout.response(request, title: page.t("conversation.list.title"),
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("conversation.list.title"), SiteURL.conversations.path)],
                               status: status,
                               content: .fragment([
                                   ConversationViews.list(Array(zip(conversations, counts)), today: today, page),
                                   mayCreate ? ConversationViews.createForm(discussions: discussions, values: values, problems: problems, page)
                                       : .empty,
                               ]))
    }

    struct CreateForm: OpeningForm.Titled {
        var title_kk: String?
        var title_ru: String?
        var title_en: String?
        var territory: String?
        var discussion: String?
        var opens: String?
        var closes: String?
    }

    /// `POST /conversations`: an opinion-map conversation of the actor's territory, open from a
    /// day not in the past for at most a year; one that belongs to a discussion lies in the
    /// discussion's territory and within its public phase (from its opening to the expert
    /// review). Every problem is said at once; the form comes back filled in.
    @Sendable static func create(_ request: Request) async throws -> Response {
        var (form, title, problems) = try OpeningForm.begin(request, CreateForm.self, titleProblem: "conversation.error.title")
        var discussion: DiscussionRecord?
        let discussionText = (form.discussion ?? "").trimmingCharacters(in: .whitespaces)
        if !discussionText.isEmpty {
            discussion = try await Int(discussionText).asyncMap { try await DiscussionStore.find($0, on: request.sql) } ?? nil
            if discussion == nil { problems.append(request.t("conversation.error.discussion")) }
        }
        let given = OpeningForm.territory(form.territory, within: discussion?.territory, problem: "conversation.error.territory", request)
        let territoryText = given.given
        let territory = territoryText.isEmpty ? discussion?.territory : given.code
        if let problem = given.problem { problems.append(problem) }
        let today = InstructionController.today(request)
        let opens = try? CivilDate((form.opens ?? "").trimmingCharacters(in: .whitespaces))
        let closes = try? CivilDate((form.closes ?? "").trimmingCharacters(in: .whitespaces))
        if let opens, let closes, opens >= today, opens <= closes, closes.dayNumber - opens.dayNumber <= 366 {
            if let schedule = discussion?.schedule, opens < schedule.opens || closes > schedule.expertReview {
                problems.append(request.t("conversation.error.phase", ["from": Components.dateText(schedule.opens, request.page),
                                                                        "to": Components.dateText(schedule.expertReview, request.page)]))
            }
        } else {
            problems.append(request.t("poll.error.dates"))
        }
        // A form with problems comes back with them; a sound one for a territory beyond the
        // actor's scope is refused.
        if problems.isEmpty { try request.authorize(.moderateDiscussion(territory: territory)) }
        guard problems.isEmpty, let title, let opens, let closes else {
            let values = ["title_kk": form.title_kk ?? "", "title_ru": form.title_ru ?? "", "title_en": form.title_en ?? "",
                          "territory": territoryText, "discussion": discussionText, "opens": form.opens ?? "", "closes": form.closes ?? ""]
            return try await listPage(request, today: today, values: values, problems: problems, status: .unprocessableEntity)
        }
        let id = try await ConversationStore.create(ConversationRecord(
            id: 0, discussionID: discussion?.id, territory: territory, title: title, opens: opens, closes: closes, demo: false),
            actor: request.auditActor, on: request.db)
        return request.redirect(to: SiteURL.conversation(.value(id)).path, redirectType: .normal)
    }

    /// The conversation asked for and its latest snapshot (404 when missing or not yet open).
    static func load(_ request: Request) async throws -> ConversationSnapshot {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self) else {
            throw Abort(.notFound, reason: request.t("conversation.notFound"))
        }
        let snapshot: ConversationSnapshot
        if let latest = request.aimaq.conversations.snapshot(id) {
            snapshot = latest
        } else {
            // Not mapped yet (the server has just started, or the conversation is new).
            guard let conversation = try await ConversationStore.find(id, on: request.sql) else {
                throw Abort(.notFound, reason: request.t("conversation.notFound"))
            }
            snapshot = ConversationMaps.unmapped(conversation, statements: try await ConversationStore.statements(id, on: request.sql))
        }
        guard snapshot.conversation.hasOpened(on: InstructionController.today(request))
                || AccessPolicy.allows(.moderateDiscussion(territory: snapshot.conversation.territory), for: request.actor) else {
            throw Abort(.notFound, reason: request.t("conversation.notFound"))
        }
        return snapshot
    }

    /// The participant of the signed-in account, if they have voted.
    static func participant(_ request: Request, _ conversation: Int) async throws -> Int? {
        guard let account = request.account?.id else { return nil }
        if let known = request.aimaq.conversations.participant(conversation, account: account) { return known }
        let found = try await ConversationStore.participant(conversation, account: account, on: request.sql)
        if let found { request.aimaq.conversations.remember(conversation, account: account, participant: found) }
        return found
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let snapshot = try await load(request)
        let conversation = snapshot.conversation
        let today = InstructionController.today(request)
        // Visitors' page is kept rendered until the next map or a change to the statements.
        // A region's map is a variant of the page (free input: kept in the cache's variant part).
        let anonymous = Layout.isCacheableAnonymous(request, filtersOnly: true)
        let region = request.queryText("region") ?? ""
        let partition: PageCache.Partition = region.isEmpty ? .stable : .variant
        let key = "conversation:\(conversation.id):\(request.language):\(today):\(region)"
        let version = Int(truncatingIfNeeded: snapshot.computedAt) &* 31 &+ snapshot.lastVoteID &* 7 &+ conversation.revision
        let render: @Sendable () async throws -> String = {
            let actor = request.actor
            let mayTakePart = conversation.isOpen(on: today)
                && AccessPolicy.allows(.takePartInDiscussion(territory: conversation.territory), for: actor)
            var me: ConversationViews.Participant?
            if mayTakePart || actor != nil, let id = try await participant(request, conversation.id) {
                let voted = try await ConversationStore.voted(conversation.id, participant: id, on: request.sql)
                me = ConversationViews.Participant(id: id, voted: voted)
            }
            var next: Int?
            if mayTakePart {
                let voted = me?.voted ?? []
                next = StatementRouting.next(among: snapshot.candidates, votedOn: voted,
                                             seed: StatementRouting.seed(participant: me?.id ?? 0, votesCast: voted.count,
                                                                         conversation: conversation.id))
            }
            var regionCode: KATOCode?
            if let asked = request.queryText("region"), !asked.isEmpty {
                guard let code = try? KATOCode(asked), code.level == .region, request.tree[code] != nil else {
                    throw Abort(.badRequest, reason: request.t("conversation.error.region", ["region": asked]))
                }
                regionCode = code
            }
            var discussionTitle: LocalizedName?
            if let discussion = conversation.discussionID {
                discussionTitle = try await DiscussionStore.find(discussion, on: request.sql)?.title
            }
            let mayModerate = AccessPolicy.allows(.moderateDiscussion(territory: conversation.territory), for: actor)
            // Moderators read the queue from the database: a decision shows at once, not with the next map.
            let pending = mayModerate
                ? try await ConversationStore.statements(conversation.id, on: request.sql).filter { $0.statusValue == .pending } : []
            let page = request.page
            let context = ConversationViews.Context(
                snapshot: snapshot, today: today, mayTakePart: mayTakePart, signedIn: actor != nil,
                mayModerate: mayModerate, pending: pending,
                me: me, next: next, region: regionCode, discussionTitle: discussionTitle, regions: request.tree.regions,
                submitted: request.queryText("submitted") == "1")
            return Layout.page(request, title: conversation.title[page.language],
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("conversation.list.title"), SiteURL.conversations.path),
                                             (conversation.title[page.language], SiteURL.conversation(.value(conversation.id)).path)],
                               content: ConversationViews.page(context, page))
        }
        // Kept only once the map has been computed (before that the page says it is being drawn).
        guard anonymous, snapshot.computedAt > 0 else { return Layout.html(try await render()) }
        return try await request.keptPage(key, version: version, partition: partition, render: render)
    }

    struct VoteForm: Content {
        var statement: Int?
        var vote: String?
    }

    /// Checks and stores one vote of the signed-in account; returns once it is committed.
    static func cast(_ request: Request, statement: Int?, vote: String?) async throws -> (ConversationSnapshot, Int) {
        let snapshot = try await load(request)
        let conversation = snapshot.conversation
        try request.authorize(.takePartInDiscussion(territory: conversation.territory))
        guard conversation.isOpen(on: InstructionController.today(request)) else {
            throw Abort(.conflict, reason: request.t("conversation.error.closed"))
        }
        try request.aimaq.limits.charge(.votes, request)
        guard let value = vote.flatMap(ConversationViews.voteValue) else {
            throw Abort(.unprocessableEntity, reason: request.t("conversation.error.vote"))
        }
        guard let statement else { throw Abort(.unprocessableEntity, reason: request.t("conversation.error.statement")) }
        // A statement approved since the snapshot was made is looked up.
        var status = snapshot.statements[statement]?.statusValue
        if status != .approved {
            status = try await request.onWriteLane { db in
                try await ConversationStore.statement(statement, conversation: conversation.id, on: db.sql)?.statusValue
            }
        }
        guard status == .approved else { throw Abort(.unprocessableEntity, reason: request.t("conversation.error.statement")) }
        guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
        let maps = request.aimaq.conversations
        var participant = try await Self.participant(request, conversation.id)
        if participant == nil {
            let region = account.territoryID.flatMap { try? KATOCode(number: $0) }?.region
            let id = try await ConversationStore.ensureParticipant(conversation.id, account: accountID, region: region,
                                                                   writer: request.writer)
            maps.remember(conversation.id, account: accountID, participant: id)
            participant = id
        }
        let ballot = Ballot(conversation: conversation.id, statement: statement, participant: participant ?? 0, value: value)
        try await request.aimaq.votes.store(ballot, writer: request.writer)
        return (snapshot, participant ?? 0)
    }

    @Sendable static func vote(_ request: Request) async throws -> Response {
        let form = try request.content.decode(VoteForm.self)
        let (snapshot, _) = try await cast(request, statement: form.statement, vote: form.vote)
        return request.redirect(to: SiteURL.conversation(.value(snapshot.conversation.id)).path + "#vote", redirectType: .normal)
    }

    struct StatementForm: Content {
        var text: String?
    }

    @Sendable static func submit(_ request: Request) async throws -> Response {
        let snapshot = try await load(request)
        let conversation = snapshot.conversation
        try request.authorize(.takePartInDiscussion(territory: conversation.territory))
        guard conversation.isOpen(on: InstructionController.today(request)) else {
            throw Abort(.conflict, reason: request.t("conversation.error.closed"))
        }
        try request.aimaq.limits.charge(.participation, request)
        let text = (try request.content.decode(StatementForm.self).text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= ConversationStore.maxStatement else {
            throw Abort(.unprocessableEntity, reason: request.t("conversation.error.text", ["max": String(ConversationStore.maxStatement)]))
        }
        guard let accountID = request.account?.id else { throw SignInRequired() }
        _ = try await ConversationStore.addStatement(text, conversation: conversation.id, author: accountID, actor: request.auditActor,
                                                     on: request.writer)
        return request.redirect(to: SiteURL.conversation(.value(conversation.id)).path + "?submitted=1#submit", redirectType: .normal)
    }

    struct ModerationForm: Content {
        var status: String?
    }

    @Sendable static func moderate(_ request: Request) async throws -> Response {
        let snapshot = try await load(request)
        let conversation = snapshot.conversation
        try request.authorize(.moderateDiscussion(territory: conversation.territory))
        guard let id = request.parameters.get(SiteURL.statementKey, as: Int.self),
              try await ConversationStore.statement(id, conversation: conversation.id, on: request.sql) != nil else {
            throw Abort(.notFound, reason: request.t("conversation.statementNotFound"))
        }
        let form = try request.content.decode(ModerationForm.self)
        guard let status = form.status.flatMap(StatementRecord.Status.init(rawValue:)), status != .pending else {
            throw Abort(.unprocessableEntity, reason: request.t("conversation.error.moderation"))
        }
        try await ConversationStore.moderate(id, conversation: conversation.id, to: status, actor: request.auditActor, on: request.writer)
        return request.redirect(to: SiteURL.conversation(.value(conversation.id)).path + "#moderation", redirectType: .normal)
    }

    /// The files of the Polis export.
    enum PolisFiles: String, CaseIterable, Sendable {
        case votes = "votes.csv"
        case comments = "comments.csv"
        case participantsVotes = "participants-votes.csv"
    }

    static func export(_ request: Request, _ file: PolisFiles) async throws -> Response {
        try request.authorize(.viewPublic)
        let snapshot = try await load(request)
        try request.aimaq.limits.charge(.export, request)
        let text = try await PolisExportWriter.text(file, snapshot: snapshot, on: request.sql)
        let response = Response(status: .ok)
        response.setCSV(text, filename: "conversation-\(snapshot.conversation.id)-\(file.rawValue)")
        return response
    }
}
