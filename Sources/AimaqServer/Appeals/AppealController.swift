import AimaqCore
import Foundation
import SQLKit
import Vapor

/// Citizens' appeals followed to an answer: submitted by a signed-in person, registered with a
/// number, routed by territory and topic, answered within the legal term counted in working
/// days, rated, and escalated to the body above after a poor rating. Similar appeals are
/// grouped so that a body can answer them together. Nobody but the author and the officials
/// concerned reads an appeal, except as published, anonymised text.
enum AppealController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.appeals.pathComponents, use: list)
        routes.get(SiteURL.appealsCSV.pathComponents, use: csv)
        routes.get(SiteURL.appealNew.pathComponents, use: form)
        // Forms with files carry the CSRF token in the address; who may send is checked before
        // the body is read.
        routes.upload(SiteURL.appeals, maxBytes: EvidenceStore.maxRequestBytes, gate: { request in
            guard request.account != nil else { throw SignInRequired() }
        }, use: submit)
        routes.get(SiteURL.appealsMine.pathComponents, use: mine)
        routes.get(SiteURL.appealsInbox.pathComponents, use: inbox)
        routes.get(SiteURL.appealStatistics.pathComponents, use: statistics)
        routes.get(SiteURL.appeal(.key).pathComponents, use: show)
        routes.upload(SiteURL.appealAnswer(.key), maxBytes: EvidenceStore.maxRequestBytes, gate: { request in
            let appeal = try await load(request)
            try request.authorize(answerAction(appeal, request))
        }, use: answer)
        routes.get(SiteURL.appealFile(.key).pathComponents, use: AppealFiles.download)
        routes.post(SiteURL.appealExtend(.key).pathComponents, use: extend)
        routes.post(SiteURL.appealRate(.key).pathComponents, use: rate)
        routes.post(SiteURL.appealEscalate(.key).pathComponents, use: escalate)
        routes.post(SiteURL.appealAssignment(.key).pathComponents, use: assign)
    }

    static let textLimit = 5_000
    static let answerLimit = 10_000

    static func terms(_ request: Request) -> AppealTerms { request.aimaq.configuration.appealTerms }

    static func breadcrumbs(_ request: Request, _ extra: (String, String)...) -> [(String, String)] {
        [(request.t("country.name"), SiteURL.home.path), (request.t("appeal.list.title"), SiteURL.appeals.path)] + extra
    }

    /// The filters of the register and the statistics (`territory`, `topic`, `status`, `overdue`).
    static func filter(_ request: Request) throws -> AppealStore.Filter {
        var filter = AppealStore.Filter()
        func bad(_ name: String, _ value: String) -> Abort {
            Abort(.badRequest, reason: request.t("error.filter", ["name": name, "value": value]))
        }
        // The pages' forms send an empty value for "any"; the API takes no empty filter.
        let isAPI = request.isAPI
        func value(_ name: String) throws -> String? {
            guard let text = request.queryText(name) else { return nil }
            if text.isEmpty {
                if isAPI { throw bad(name, text) }
                return nil
            }
            return text
        }
        if let text = try value("territory") {
            // A code the classifier lacks is no error: nothing lies there.
            guard let code = KATOCode.parse(text) else { throw bad("territory", text) }
            filter.territory = code
        }
        if let text = try value("topic") {
            guard AppealTopic.named(text) != nil else { throw bad("topic", text) }
            filter.topic = text
        }
        if let text = try value("status") {
            guard let status = AppealStatus(rawValue: text) else { throw bad("status", text) }
            filter.status = status
        }
        if let text = try value("channel") {
            guard let channel = AppealChannel(rawValue: text) else { throw bad("channel", text) }
            filter.channel = channel
        }
        if let text = try value("overdue") {
            guard text == "1" else { throw bad("overdue", text) }
            filter.overdueOn = InstructionController.today(request)
        }
        return filter
    }

    /// `GET /appeals`: the public register: status, topic and territory of every appeal, and
    /// the text of those whose authors allowed it, with personal data hidden.
    @Sendable static func list(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let filter = try filter(request)
        let paging = try Paging(request)
        let today = InstructionController.today(request)
        let render: @Sendable () async throws -> String = {
            try await registerPage(request, filter: filter, paging: paging, today: today)
        }
        // Visitors' pages are kept by the appeals' version (see `FreshEnough`).
        guard Layout.isCacheableAnonymous(request, filtersOnly: true) else { return Layout.html(try await render()) }
        return Layout.html(try await cachedForVisitors("appeals:\(request.url.query ?? ""):\(request.language):\(today)", request, render))
    }

    /// The register (or the mandates' list), with a refused mandate form filled in again.
    static func registerPage(_ request: Request, filter: AppealStore.Filter, paging: Paging, today: CivilDate,
                             refusedMandate: (values: [String: String], problem: String)? = nil) async throws -> String {
        let (items, total) = try await AppealStore.list(filter, page: paging.page, per: paging.per, on: request.sql)
        let page = request.page
        return Layout.page(request, title: page.t(filter.channel == .mandate ? "mandate.list.title" : "appeal.list.title"),
                           breadcrumbs: breadcrumbs(request),
                           content: AppealViews.register(items, total: total, filter: filter, paging: paging, today: today,
                                                         signedIn: request.actor != nil,
                                                         mayRecordMandates: filter.channel == .mandate && isRecorder(request.actor),
                                                         refusedMandate: refusedMandate, bodies: request.aimaq.bodies, page))
    }

    /// A visitors' page of appeals, made at most once per version and key (and, while appeals
    /// keep changing, at most once per `appealStaleMilliseconds`). The version itself is read
    /// at most once per quarter of that time and shared, and a page is remade on the background
    /// loop once it is nine sixteenths of it old (readers get the older copy meanwhile), or by
    /// the reader once it is three quarters old, so that a page lags the latest change by no
    /// more than the setting.
    static func cachedForVisitors(_ key: String, _ request: Request, _ render: @escaping @Sendable () async throws -> String) async throws -> String {
        let sql = request.sql
        let stale = staleness(request)
        let poll = stale / 4
        let version = try await request.aimaq.appealRevision.value(maxAge: poll) { try await AppealStore.revision(on: sql) }
        return try await request.aimaq.appealPages.value(key, version: version, maxStale: stale - poll,
                                                         background: request.aimaq.background?.executor) {
            let made = try await AppealStore.revision(on: sql)
            return (try await render(), made)
        }
    }

    static func staleness(_ request: Request) -> Duration { .milliseconds(request.aimaq.configuration.appealStaleMilliseconds) }

    /// Deputies and administrators record meetings and mandates (each within their scope).
    static func isRecorder(_ actor: Actor?) -> Bool {
        guard let actor else { return false }
        return actor.role == .administrator || actor.role == .nationalDeputy || actor.role == .maslikhatDeputy
    }

    /// `GET /appeals/new`: the form, for a signed-in person.
    @Sendable static func form(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnWork)
        return try await formPage(request, values: ["deputy": request.queryText("deputy") ?? ""], problem: nil)
    }

    static func territories(_ request: Request) -> [Territory] {
        let tree = request.tree
        guard let own = request.account?.territoryID.flatMap({ try? KATOCode(number: $0) }), let here = tree[own] else {
            return tree.regions
        }
        return (tree.ancestors(of: own) + [here]).reversed()
    }

    static func formPage(_ request: Request, values: [String: String], problem: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = request.page
        let places = territories(request)
        let deputies = try await deputies(of: places.map(\.code), request)
        return Layout.response(request, title: page.t("appeal.new.title"),
                               breadcrumbs: breadcrumbs(request, (page.t("appeal.new.title"), SiteURL.appealNew.path)), status: status,
                               content: AppealViews.form(territories: places, deputies: deputies, values: values, problem: problem,
                                                         terms: terms(request), page))
    }

    /// A deputy one may address an appeal to.
    struct Deputy: Decodable, Sendable {
        var id: UUID
        var display_name: String
        var role: String
        var territory_id: Int?
    }

    /// The active deputies elected in these territories (maslikhat deputies of each, and the
    /// national deputies of the region or of the whole country).
    static func deputies(of territories: [KATOCode], only id: UUID? = nil, _ request: Request) async throws -> [Deputy] {
        var query = request.sql.select().columns("id", "display_name", "role", "territory_id").from(Account.schema)
            .where("role", .in, SQLBind.group([Role.maslikhatDeputy.rawValue, Role.nationalDeputy.rawValue]))
            .where("active", .equal, SQLBind(true))
        if let id { query = query.where("id", .equal, SQLBind(id)) }
        let codes = territories.map(\.value)
        query = query.where { $0.where("territory_id", .in, SQLBind.group(codes.isEmpty ? [-1] : codes)).orWhere("territory_id", .is, SQLLiteral.null) }
        return try await query.orderBy("display_name").limit(200).all(decoding: Deputy.self)
    }

    struct SubmitForm: Content {
        var territory: String?
        var topic: String?
        var addressee: String?
        var text: String?
        var publishable: String?
        /// Optional: the deputy the appeal is addressed to (their account's id).
        var deputy: String?
        var files: [File]?
    }

    /// A submitted appeal checked, or the message key of what is wrong. The page and the API
    /// share it, so that both refuse the same input with the same words.
    enum Checked {
        case accepted(AppealStore.NewAppeal)
        case refused(String, [String: String])
    }

    static func check(_ input: SubmitForm, account: Account, _ request: Request) async throws -> Checked {
        guard let code = input.territory.flatMap({ KATOCode.parse($0) }), request.tree[code] != nil else {
            return .refused("appeal.error.territory", [:])
        }
        try request.authorize(.submitAppeal(territory: code))
        guard let topic = input.topic.flatMap({ AppealTopic.named($0) }) else { return .refused("appeal.error.topic", [:]) }
        guard let addressee = AppealRouting.Addressee(rawValue: input.addressee ?? "akimat") else { return .refused("appeal.error.addressee", [:]) }
        let text = (input.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count >= 20 else { return .refused("appeal.error.short", [:]) }
        guard text.count <= textLimit else { return .refused("appeal.error.long", ["limit": String(textLimit)]) }
        // An appeal to a deputy goes to the deputy and to their council, which answers it.
        var deputy: UUID?
        if let text = input.deputy?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let id = UUID(uuidString: text),
                  try await !deputies(of: AppealRouting.chain(code), only: id, request).isEmpty else {
                return .refused("appeal.error.deputy", [:])
            }
            deputy = id
        }
        guard let body = AppealRouting.body(for: code, topic: topic, addressee: deputy == nil ? addressee : .maslikhat,
                                            bodies: request.aimaq.bodies) else {
            return .refused("appeal.error.noBody", [:])
        }
        let today = InstructionController.today(request)
        return .accepted(AppealStore.NewAppeal(
            channel: .online, territory: code, district: AppealRouting.district(of: code), topic: topic.key, bodyID: body,
            authorID: account.id, authorName: account.displayName, text: text, publishable: input.publishable == "1" || input.publishable == "true",
            registeredOn: today, deadline: terms(request).deadline(registeredOn: today, calendar: request.aimaq.calendar),
            deputyID: deputy))
    }

    /// `POST /appeals`: registers the appeal and shows it; a refused form comes back filled in.
    @Sendable static func submit(_ request: Request) async throws -> Response {
        guard let account = request.account else { throw SignInRequired() }
        let input = try request.content.decode(SubmitForm.self)
        let values = ["territory": input.territory ?? "", "topic": input.topic ?? "", "addressee": input.addressee ?? "",
                      "text": input.text ?? "", "publishable": input.publishable ?? "", "deputy": input.deputy ?? ""]
        let (uploads, fileProblems) = EvidenceStore.checked(input.files, request)
        switch try await check(input, account: account, request) {
        case .refused(let key, let arguments):
            // The form comes back filled in; files are not kept and are chosen again.
            return try await formPage(request, values: values, problem: ([request.t(key, arguments)] + fileProblems).joined(separator: " "),
                                      status: .unprocessableEntity)
        case .accepted(var appeal):
            guard fileProblems.isEmpty else {
                return try await formPage(request, values: values, problem: fileProblems.joined(separator: " "), status: .unprocessableEntity)
            }
            try request.aimaq.limits.charge(.participation, request)
            appeal.files = try await request.aimaq.evidence.store(uploads, db: request.sql)
            do {
                let stored = try await AppealStore.register(appeal, actor: request.auditActor, stems: request.aimaq.appealStems, reading: request.writeReads, on: request.writer)
                return request.redirect(to: SiteURL.appeal(.value(stored.id)).path, redirectType: .normal)
            } catch {
                await request.aimaq.evidence.discard(appeal.files, db: request.sql)
                throw error
            }
        }
    }

    /// `GET /appeals/mine`: the signed-in person's own appeals.
    @Sendable static func mine(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnWork)
        guard let id = request.account?.id else { throw SignInRequired() }
        let paging = try Paging(request)
        let (items, total) = try await AppealStore.list(AppealStore.Filter(author: id), page: paging.page, per: paging.per, on: request.sql)
        let page = request.page
        return Layout.response(request, title: page.t("appeal.mine.title"),
                               breadcrumbs: breadcrumbs(request, (page.t("appeal.mine.title"), SiteURL.appealsMine.path)),
                               content: AppealViews.mine(items, total: total, paging: paging, today: InstructionController.today(request),
                                                         bodies: request.aimaq.bodies, page))
    }

    /// What an official answers for: an officer, the appeals routed to their body and its
    /// departments; a deputy or an administrator, those of the territories in their scope.
    static func workFilter(_ actor: Actor, bodies: BodyDirectory) -> AppealStore.Filter? {
        switch actor.role {
        case .akimatOfficer:
            guard let own = actor.body else { return AppealStore.Filter(bodies: []) }
            let departments = bodies.bodies(of: bodies.body(own)?.territory).filter { $0.parent == own }.map(\.id)
            return AppealStore.Filter(bodies: [own] + departments)
        case .maslikhatDeputy, .nationalDeputy, .administrator:
            return AppealStore.Filter(territory: actor.scope.code)
        case .citizen, .expert:
            return nil
        }
    }

    /// `GET /appeals/inbox`: appeals awaiting an answer from the official's bodies, the
    /// earliest deadline first, with the size of each group of similar appeals.
    @Sendable static func inbox(_ request: Request) async throws -> Response {
        guard let actor = request.actor else { throw SignInRequired() }
        guard var filter = workFilter(actor, bodies: request.aimaq.bodies) else { throw Abort(.forbidden) }
        let scoped = try Self.filter(request)
        filter.topic = scoped.topic
        filter.overdueOn = scoped.overdueOn
        filter.awaiting = true
        let paging = try Paging(request)
        let (items, total) = try await AppealStore.list(filter, page: paging.page, per: paging.per, oldestDeadlineFirst: true, on: request.sql)
        let sizes = try await AppealStore.groupSizes(items.compactMap(\.groupID), on: request.sql)
        let page = request.page
        return Layout.response(request, title: page.t("appeal.inbox.title"),
                               breadcrumbs: breadcrumbs(request, (page.t("appeal.inbox.title"), SiteURL.appealsInbox.path)),
                               content: AppealViews.inbox(items, total: total, groupSizes: sizes, filter: filter, paging: paging,
                                                          today: InstructionController.today(request), bodies: request.aimaq.bodies, page))
    }

    static func load(_ request: Request) async throws -> AppealRecord {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self), let appeal = try await AppealStore.find(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("appeal.notFound"))
        }
        return appeal
    }

    static func viewAction(_ appeal: AppealRecord, _ request: Request) -> Action {
        .viewAppeal(territory: appeal.territory, body: appeal.bodyID, bodyParent: request.aimaq.bodies.parent(of: appeal.bodyID),
                    isAuthor: appeal.authorID != nil && appeal.authorID == request.account?.id)
    }

    static func answerAction(_ appeal: AppealRecord, _ request: Request) -> Action {
        let bodies = request.aimaq.bodies
        let representative = AppealRouting.isRepresentative(appeal.bodyID, bodies: bodies)
        let territory = representative ? (appeal.bodyID.flatMap { bodies.body($0)?.territory } ?? appeal.territory) : appeal.territory
        return .answerAppeal(territory: territory, body: appeal.bodyID, bodyParent: bodies.parent(of: appeal.bodyID),
                             representative: representative)
    }

    /// `GET /appeals/:id`: in full for its author and the officials concerned; as published,
    /// anonymised text for everyone else; not found when neither.
    @Sendable static func show(_ request: Request) async throws -> Response {
        let appeal = try await load(request)
        let full = AccessPolicy.allows(viewAction(appeal, request), for: request.actor)
        guard full || appeal.publishable else { throw Abort(.notFound, reason: request.t("appeal.notFound")) }
        let sql = request.sql
        let group = try await appeal.groupID.asyncMap { group in
            full ? try await AppealStore.list(AppealStore.Filter(group: group), per: 200, on: sql).items.filter { $0.id != appeal.id } : []
        } ?? []
        let page = request.page
        let files = full ? try await AppealFiles.of(appeal: appeal.id, on: sql) : []
        let deputyName = try await appeal.deputyID.asyncMap { id in
            try await Account.find(id, on: request.db)?.displayName
        } ?? nil
        let context = AppealViews.PageModel(
            files: files, deputyName: deputyName, appeal: appeal, full: full, today: InstructionController.today(request), terms: terms(request),
            isAuthor: appeal.authorID != nil && appeal.authorID == request.account?.id,
            mayAnswer: AccessPolicy.allows(answerAction(appeal, request), for: request.actor),
            mayAssign: AccessPolicy.allows(.recordMeetings(territory: appeal.territory), for: request.actor),
            bodyAbove: appeal.bodyID.flatMap { AppealRouting.bodyAbove($0, bodies: request.aimaq.bodies) },
            similar: group, bodies: request.aimaq.bodies)
        return Layout.response(request, title: page.t("appeal.title", ["number": appeal.number]),
                               breadcrumbs: breadcrumbs(request, (appeal.number, SiteURL.appeal(.value(appeal.id)).path)),
                               content: AppealViews.page(context, page))
    }

    struct AnswerForm: Content { var answer: String?; var together: String?; var files: [File]? }

    /// `POST /appeals/:id/answer`: the body's answer; `together=1` answers every appeal of the
    /// group still awaiting an answer from the same body with the same text.
    @Sendable static func answer(_ request: Request) async throws -> Response {
        let appeal = try await load(request)
        try request.authorize(answerAction(appeal, request))
        guard appeal.status.awaitsAnswer else { throw Abort(.conflict, reason: request.t(AppealProblem.notAwaitingAnswer.rawValue)) }
        let input = try request.content.decode(AnswerForm.self)
        let text = (input.answer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= answerLimit else {
            throw Abort(.unprocessableEntity, reason: request.t("appeal.error.answer", ["limit": String(answerLimit)]))
        }
        let (uploads, fileProblems) = EvidenceStore.checked(input.files, request)
        guard fileProblems.isEmpty else { throw Abort(.unprocessableEntity, reason: fileProblems.joined(separator: " ")) }
        var ids = [appeal.id]
        if input.together == "1", let group = appeal.groupID {
            var filter = AppealStore.Filter(bodies: appeal.bodyID.map { [$0] } ?? [], group: group)
            filter.awaiting = true
            ids = try await AppealStore.list(filter, per: 1_000, on: request.sql).items.map(\.id)
            if !ids.contains(appeal.id) { ids.append(appeal.id) }
        }
        let files = try await request.aimaq.evidence.store(uploads, db: request.sql)
        do {
            _ = try await AppealStore.answer(ids, text: text, files: files, by: request.auditActor, on: InstructionController.today(request),
                                             writer: request.writer)
        } catch {
            await request.aimaq.evidence.discard(files, db: request.sql)
            throw error
        }
        return request.redirect(to: SiteURL.appeal(.value(appeal.id)).path, redirectType: .normal)
    }

    struct ExtendForm: Content { var reason: String? }

    /// `POST /appeals/:id/extension`: once, with a reason; the new term counts from the old deadline.
    @Sendable static func extend(_ request: Request) async throws -> Response {
        let appeal = try await load(request)
        try request.authorize(answerAction(appeal, request))
        let reason = (try request.content.decode(ExtendForm.self).reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = terms(request).extensionProblem(status: appeal.status, extensions: appeal.extensions, reason: reason) {
            throw Abort(problem == .reasonRequired ? .unprocessableEntity : .conflict, reason: request.t(problem.rawValue))
        }
        guard reason.count <= 1_000 else { throw Abort(.unprocessableEntity, reason: request.t("appeal.error.reason")) }
        let deadline = terms(request).extended(appeal.deadline, calendar: request.aimaq.calendar)
        let today = InstructionController.today(request)
        try await AppealStore.change(appeal, action: "appeal.extend", step: AppealStep(on: today.description, kind: "extended", body: appeal.bodyID, text: reason),
                                     set: ["status": AppealStatus.extended.rawValue, "deadline": deadline.description,
                                           "extensions": appeal.extensions + 1, "extension_reason": reason],
                                     tell: .appealExtended, actor: request.auditActor, writer: request.writer)
        return request.redirect(to: SiteURL.appeal(.value(appeal.id)).path, redirectType: .normal)
    }

    struct RateForm: Content { var rating: Int?; var note: String? }

    static func requireAuthor(_ appeal: AppealRecord, _ request: Request) throws {
        guard let account = request.account else { throw SignInRequired() }
        guard appeal.authorID != nil, appeal.authorID == account.id else { throw Abort(.forbidden) }
    }

    /// `POST /appeals/:id/rating`: the author rates the answer (1 to 5), with an optional note.
    @Sendable static func rate(_ request: Request) async throws -> Response {
        let appeal = try await load(request)
        try requireAuthor(appeal, request)
        let input = try request.content.decode(RateForm.self)
        let rating = input.rating ?? 0
        if let problem = terms(request).ratingProblem(status: appeal.status, rating: rating) {
            throw Abort(problem == .ratingOutOfRange ? .unprocessableEntity : .conflict, reason: request.t(problem.rawValue))
        }
        let note = String((input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(1_000))
        try await AppealStore.change(appeal, action: "appeal.rate",
                                     step: AppealStep(on: InstructionController.today(request).description, kind: "rated", body: appeal.bodyID, text: String(rating)),
                                     set: ["rating": rating, "rating_note": note], actor: request.auditActor, writer: request.writer)
        return request.redirect(to: SiteURL.appeal(.value(appeal.id)).path + "#rating", redirectType: .normal)
    }

    /// `POST /appeals/:id/escalation`: after a poor rating the author sends the appeal to the
    /// body above, which must answer anew within the full term; the first answer stays in the history.
    @Sendable static func escalate(_ request: Request) async throws -> Response {
        let appeal = try await load(request)
        try requireAuthor(appeal, request)
        let above = appeal.bodyID.flatMap { AppealRouting.bodyAbove($0, bodies: request.aimaq.bodies) }
        if let problem = terms(request).escalationProblem(status: appeal.status, rating: appeal.rating, hasBodyAbove: above != nil) {
            throw Abort(.conflict, reason: request.t(problem.rawValue))
        }
        let today = InstructionController.today(request)
        let deadline = terms(request).deadline(registeredOn: today, calendar: request.aimaq.calendar)
        try await AppealStore.change(appeal, action: "appeal.escalate", step: AppealStep(on: today.description, kind: "escalated", body: above, text: nil),
                                     set: ["status": AppealStatus.escalated.rawValue, "body_id": above ?? 0, "deadline": deadline.description,
                                           "escalations": appeal.escalations + 1],
                                     actor: request.auditActor, writer: request.writer)
        return request.redirect(to: SiteURL.appeal(.value(appeal.id)).path, redirectType: .normal)
    }

    struct AssignForm: Content { var deadline: String?; var body: Int? }

    /// `POST /appeals/:id/assignment`: a deputy takes an issue (or adopts a mandate into the
    /// plan) still awaiting its answer under control as an assignment to an executive body of
    /// its territory or above (by default the one it was routed to), with a deadline at least
    /// the minimum away.
    @Sendable static func assign(_ request: Request) async throws -> Response {
        let appeal = try await load(request)
        try request.authorize(.recordMeetings(territory: appeal.territory))
        guard appeal.status.awaitsAnswer else { throw Abort(.conflict, reason: request.t(AppealProblem.notAwaitingAnswer.rawValue)) }
        let form = try request.content.decode(AssignForm.self)
        let executors = AppealRouting.executors(for: appeal.territory, bodies: request.aimaq.bodies).map(\.id)
        guard let body = form.body ?? AppealRouting.defaultExecutor(appeal, bodies: request.aimaq.bodies), executors.contains(body) else {
            throw Abort(.unprocessableEntity, reason: request.t("appeal.error.executor"))
        }
        let deadline = try InstructionController.newDeadline(form.deadline, request)
        let meeting = try await appeal.meetingID.asyncMap { try await VisitStore.meeting($0, on: request.sql) } ?? nil
        let visit = try await meeting?.visitID.asyncMap { try await VisitStore.visit($0, on: request.sql) } ?? nil
        let id = try await AppealAssignment.create(appeal, body: body, deadline: deadline, visit: visit, actor: request.auditActor,
                                                   today: InstructionController.today(request), on: request.writer)
        await request.application.followChanges()
        return request.redirect(to: SiteURL.assignment(.value(id)).path, redirectType: .normal)
    }

    /// `GET /appeals/statistics`: by region (or by district of one region), per 10,000
    /// inhabitants, awaiting, overdue, the share answered on time and the mean rating.
    @Sendable static func statistics(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let filter = try filter(request)
        let region = filter.territory?.region
        let today = InstructionController.today(request)
        let topic = filter.topic
        let render: @Sendable () async throws -> String = {
            // The tally follows the feed: applying what was committed so far makes it at least
            // as new as the version the page is kept under (read before this).
            try await request.application.catchUpChanges()
            let figures = try await request.aimaq.appealTally.read(db: request.sql) { tally in
                AppealFigures(counts: tally.counts(region: region?.regionNumber, topic: topic, today: today),
                              topics: tally.byTopic(region: region?.regionNumber))
            }
            let page = request.page
            return Layout.page(request, title: page.t("appeal.stats.title"),
                               breadcrumbs: breadcrumbs(request, (page.t("appeal.stats.title"), SiteURL.appealStatistics.path)),
                               content: AppealViews.statistics(counts: figures.counts, topics: figures.topics, region: region, topic: topic,
                                                               tree: request.tree, page))
        }
        guard Layout.isCacheableAnonymous(request, filtersOnly: true) else { return Layout.html(try await render()) }
        return Layout.html(try await cachedForVisitors("appeal-statistics:\(request.url.query ?? ""):\(request.language):\(today)", request, render))
    }

    /// `GET /appeals.csv`: the public fields of every appeal matching the filters.
    @Sendable static func csv(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let filter = try filter(request)
        let today = InstructionController.today(request)
        let language = request.language
        let bodies = request.aimaq.bodies
        var csv = CSVWriter(header: ["number", "channel", "registered_on", "kato", "territory", "topic", "body", "status", "deadline",
                                     "answered_on", "timeliness", "rating", "group", "text", "demo"])
        var page = 1
        while true {
            let items = try await AppealStore.list(filter, page: page, per: Paging.maxPer, on: request.sql).items
            for appeal in items {
                csv.row([.text(appeal.number), .text(appeal.channel.rawValue), .text(appeal.registeredOn.description),
                         .integer(appeal.territory.value), .text(request.tree[appeal.territory]?.name[language] ?? ""),
                         .text(appeal.topic), .text(appeal.bodyID.flatMap { bodies.body($0)?.name[language] } ?? ""),
                         .text(appeal.status.rawValue), .text(appeal.deadline.description), .text(appeal.answeredOn?.description ?? ""),
                         .text(appeal.timeliness(today: today).rawValue), .text(appeal.rating.map(String.init) ?? ""),
                         .text(appeal.groupID.map(String.init) ?? ""), .text(appeal.publicText ?? ""),
                         .text(appeal.demo ? "true" : "false")])
            }
            if items.count < Paging.maxPer { break }
            page += 1
        }
        let response = Response(status: .ok)
        response.setCSV(csv.text, filename: "appeals.csv")
        return response
    }
}
