import AimaqCore
import Fluent
import SQLKit
import Vapor

/// The register, the instruction and assignment pages, and the actions on assignments.
enum InstructionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.register.pathComponents, use: registerPage)
        routes.get(SiteURL.registerExport.pathComponents, use: export)
        routes.get(SiteURL.instruction(.key).pathComponents, use: instructionPage)
        routes.get(SiteURL.assignment(.key).pathComponents, use: assignmentPage)
        routes.upload(SiteURL.assignmentReports(.key), maxBytes: EvidenceStore.maxRequestBytes, gate: { request in
            let (assignment, _, territory) = try await loadForAction(request)
            try request.authorize(AssignmentWorkflow.reportAction(assignment, territory, request.aimaq.bodies))
        }, use: submitReport)
        routes.post(SiteURL.assignmentReview(.key).pathComponents, use: review)
        routes.post(SiteURL.assignmentExtend(.key).pathComponents, use: extend)
        routes.post(SiteURL.assignmentRemove(.key).pathComponents, use: remove)
        routes.post(SiteURL.assignmentSplit(.key).pathComponents, use: split)
        routes.get(SiteURL.evidence(.key).pathComponents, use: evidence)
    }

    static func today(_ request: Request) -> CivilDate { request.aimaq.clock.today() }

    // MARK: Pages

    @Sendable static func registerPage(_ request: Request) async throws -> Response {
        try request.authorize(.viewInstruction(isPublic: true))
        let filter = try RegisterFilter(request)
        let paging = try Paging(request)
        let snapshot = try await request.registerSnapshot()
        let today = today(request)
        // The same filters give the same page until an assignment changes (a new snapshot).
        let key = "register:\(request.language):\(filter.publicOnly):\(today):\(paging.page):\(paging.per):"
            + filter.query.encoded
        let anonymous = Layout.isCacheableAnonymous(request, filtersOnly: true)
        // Kept under the version of the territory filtered on (everything without one); a
        // page with other filters is a variant, kept apart from the pages everybody reads.
        let version = snapshot.versions.territory(filter.territory)
        let partition: PageCache.Partition = filter.pairs.allSatisfy { $0.0 == .territory } ? .stable : .variant
        if anonymous, let html = request.aimaq.pages.cachedAnonymousPage(key, version: version, partition: partition) {
            return Layout.html(html)
        }
        let content = request.aimaq.pages.fragment(key, version: version, partition: partition) {
            let (rows, total) = RegisterQuery.page(filter, today: today, page: paging.page, per: paging.per, in: snapshot)
            return InstructionViews.register(rows: rows, total: total, filter: filter, paging: paging,
                                             sources: snapshot.sources, today: today, request.page)
        }
        let html = Layout.page(request, title: request.t("register.title"), content: content)
        if anonymous { request.aimaq.pages.storeAnonymousPage(key, html, version: version, partition: partition) }
        return Layout.html(html)
    }

    @Sendable static func instructionPage(_ request: Request) async throws -> Response {
        let id = try intParameter(request)
        let snapshot = try await request.registerSnapshot()
        guard let heading = snapshot.headings[id] else {
            throw Abort(.notFound, reason: request.t("error.instructionNotFound"))
        }
        try request.authorize(.viewInstruction(isPublic: heading.isPublic))
        let today = today(request)
        // The page changes only with its assignments and their history: kept per snapshot.
        let key = "instruction:\(id):\(request.language):\(today)"
        let anonymous = Layout.isCacheableAnonymous(request)
        if anonymous, let html = request.aimaq.pages.cachedAnonymousPage(key, version: snapshot.versions.instruction(id)) {
            return Layout.html(html)
        }
        let content = try await request.aimaq.pages.fragment(key, version: snapshot.versions.instruction(id)) {
            guard let detail = try await InstructionQueries.instruction(id, on: request.db, snapshot: snapshot) else {
                throw Abort(.notFound, reason: request.t("error.instructionNotFound"))
            }
            return InstructionViews.instruction(detail, today: today, request.page)
        }
        let html = Layout.page(request, title: "\(heading.point). \(heading.text.prefix(80))",
                               breadcrumbs: [(request.t("register.title"), SiteURL.register.path),
                                             (heading.point, SiteURL.instruction(.value(id)).path)],
                               content: content)
        if anonymous { request.aimaq.pages.storeAnonymousPage(key, html, version: snapshot.versions.instruction(id)) }
        return Layout.html(html)
    }

    @Sendable static func assignmentPage(_ request: Request) async throws -> Response {
        let id = try intParameter(request)
        // Visitors without an account see the same page until the assignment changes (only
        // pages of public instructions are ever stored: the others are refused below).
        let anonymous = Layout.isCacheableAnonymous(request)
        let today = today(request)
        let key = "assignment:\(id):\(request.language):\(today)"
        let version = anonymous ? try await request.registerSnapshot().versions.assignment(id) : 0
        if anonymous, let html = request.aimaq.pages.cachedAnonymousPage(key, version: version) {
            return Layout.html(html)
        }
        guard let detail = try await InstructionQueries.assignment(id, on: request.db) else {
            throw Abort(.notFound, reason: request.t("error.assignmentNotFound"))
        }
        try request.authorize(.viewInstruction(isPublic: detail.instruction.isPublic))
        let html = Layout.page(request, title: request.t("assignment.title", ["id": String(id)]),
                               breadcrumbs: [(request.t("register.title"), SiteURL.register.path),
                                             (detail.instruction.point, SiteURL.instruction(.value(detail.instruction.id!)).path),
                                             (request.t("assignment.title", ["id": String(id)]), SiteURL.assignment(.value(id)).path)],
                               content: InstructionViews.assignment(detail, today: today, request.page))
        if anonymous { request.aimaq.pages.storeAnonymousPage(key, html, version: version) }
        return Layout.html(html)
    }

    static func intParameter(_ request: Request) throws -> Int {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self) else {
            throw Abort(.notFound)
        }
        return id
    }

    /// Loads an assignment for an action, with its instruction; 404 when missing.
    static func loadForAction(_ request: Request) async throws -> (Assignment, Instruction, KATOCode) {
        try await AssignmentWorkflow.load(try intParameter(request), request)
    }

    static func backToAssignment(_ request: Request, _ id: Int) -> Response {
        request.redirect(to: SiteURL.assignment(.value(id)).path, redirectType: .normal)
    }

    // MARK: Actions

    struct ReviewForm: Content {
        var decision: String?
        var remarks: String?
        var final: String?
        /// `public` or `restricted`: whether the report's evidence files are published.
        var evidence: String?
    }

    @Sendable static func review(_ request: Request) async throws -> Response {
        let (assignment, instruction, territory) = try await loadForAction(request)
        let form = try request.content.decode(ReviewForm.self)
        try await AssignmentWorkflow.review(request, assignment: assignment, instruction: instruction, territory: territory,
                                decision: form.decision, remarks: form.remarks, final: form.final == "true",
                                evidencePublic: form.evidence.map { $0 == "public" })
        return backToAssignment(request, try assignment.requireID())
    }

    struct ExtendForm: Content {
        var deadline: String?
        var reason: String?
    }

    @Sendable static func extend(_ request: Request) async throws -> Response {
        let (assignment, _, territory) = try await loadForAction(request)
        try request.authorize(.manageAssignment(territory: territory))
        let form = try request.content.decode(ExtendForm.self)
        let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw Abort(.unprocessableEntity, reason: request.t("extend.error.reason")) }
        guard let deadline = try? CivilDate(form.deadline ?? "") else {
            throw Abort(.unprocessableEntity, reason: request.t("extend.error.deadline"))
        }
        if let problem = request.aimaq.calendar.checkDeadline(deadline, setOn: today(request)) {
            guard case .tooSoon(let earliest) = problem else { throw Abort(.unprocessableEntity) }
            throw Abort(.unprocessableEntity, reason: request.t("extend.error.tooSoon", ["date": earliest.description]))
        }
        let actor = AssignmentWorkflow.actorLabel(request)
        let id = try assignment.requireID()
        try await AssignmentWorkflow.record(request, assignment: id, action: "extend") { assignment, db in
            try await AssignmentWorkflow.apply(.extend(newDeadline: deadline), to: assignment, actor: actor, reason: reason, on: db)
        }
        return backToAssignment(request, id)
    }

    struct RemoveForm: Content {
        var reason: String?
    }

    @Sendable static func remove(_ request: Request) async throws -> Response {
        let (assignment, _, territory) = try await loadForAction(request)
        try request.authorize(.manageAssignment(territory: territory))
        let reason = try request.content.decode(RemoveForm.self).reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw Abort(.unprocessableEntity, reason: request.t("extend.error.reason")) }
        let actor = AssignmentWorkflow.actorLabel(request)
        let id = try assignment.requireID()
        try await AssignmentWorkflow.record(request, assignment: id, action: "remove") { assignment, db in
            try await AssignmentWorkflow.apply(.removeFromControl, to: assignment, actor: actor, reason: reason, on: db)
            try await AssignmentWorkflow.refreshCompletion(assignment, on: db)
        }
        return backToAssignment(request, id)
    }

    struct SplitForm: Content {
        var territories: [String]?
        var deadline: String?
    }

    /// Hands an assignment down to territories directly below its own, each to that
    /// territory's akimat, with a deadline no later than the parent's. One transaction: all
    /// the new assignments or none.
    @Sendable static func split(_ request: Request) async throws -> Response {
        let (parent, instruction, territory) = try await loadForAction(request)
        try request.authorize(.manageAssignment(territory: territory))
        let form = try request.content.decode(SplitForm.self)
        let parentID = try parent.requireID()
        guard !parent.status.isFinal else {
            throw Abort(.conflict, reason: request.t("split.error.final"))
        }
        let tree = request.tree
        let children = Set(tree.children(of: territory).map(\.code))
        var targets: [KATOCode] = []
        for text in form.territories ?? [] {
            guard let code = KATOCode.parse(text), children.contains(code) else {
                throw Abort(.unprocessableEntity, reason: request.t("split.error.notChild", ["code": text]))
            }
            if !targets.contains(code) { targets.append(code) }
        }
        guard !targets.isEmpty else { throw Abort(.unprocessableEntity, reason: request.t("split.error.none")) }
        guard let deadline = try? CivilDate(form.deadline ?? "") else {
            throw Abort(.unprocessableEntity, reason: request.t("extend.error.deadline"))
        }
        if let problem = request.aimaq.calendar.checkDeadline(deadline, setOn: today(request)) {
            guard case .tooSoon(let earliest) = problem else { throw Abort(.unprocessableEntity) }
            throw Abort(.unprocessableEntity, reason: request.t("extend.error.tooSoon", ["date": earliest.description]))
        }
        if let parentDeadline = try? CivilDate(parent.deadline), deadline > parentDeadline {
            throw Abort(.unprocessableEntity, reason: request.t("split.error.afterParent", ["date": parent.deadline]))
        }
        let existing = try await Assignment.query(on: request.db).filter(\.$parentID == parentID).all()
        if let taken = targets.first(where: { code in existing.contains { $0.territoryID == code.value } }) {
            let name = tree[taken]?.name[request.language] ?? taken.description
            throw Abort(.conflict, reason: request.t("split.error.exists", ["name": name]))
        }
        let actor = AssignmentWorkflow.actorLabel(request)
        let bodies = request.aimaq.bodies
        let chosen = targets
        // Another writer may hand the same territories down meanwhile: said as for the check above.
        let takenMessage = request.t("split.error.exists", ["name": chosen.map { tree[$0]?.name[request.language] ?? $0.description }
            .joined(separator: ", ")])
        do {
            try await AssignmentWorkflow.handDown(parentID, into: chosen, deadline: deadline, instruction: instruction, bodies: bodies, actor: actor,
                            auditActor: request.auditActor,
                            on: request.db)
        } catch let refused as AssignmentWorkflow.Refused {
            throw Abort(.conflict, reason: refused.description.isEmpty ? takenMessage : refused.description)
        }
        await request.application.followChanges()
        return backToAssignment(request, parentID)
    }

    @Sendable static func submitReport(_ request: Request) async throws -> Response {
        let (assignment, instruction, territory) = try await loadForAction(request)
        try request.authorize(AssignmentWorkflow.reportAction(assignment, territory, request.aimaq.bodies))
        let indicators = try await IndicatorRecord.query(on: request.db).filter(\.$instructionID == instruction.id!).all()
        let submission = try ReportSubmission.parse(request, indicators: indicators,
                                                    period: ReportingPeriod(rawValue: instruction.period) ?? .once,
                                                    today: today(request))
        try await AssignmentWorkflow.report(request, assignment: assignment, territory: territory, submission: submission)
        return backToAssignment(request, try assignment.requireID())
    }

    @Sendable static func evidence(_ request: Request) async throws -> Response {
        let id = try intParameter(request)
        guard let file = try await EvidenceFile.find(id, on: request.db),
              let report = try await ReportRecord.find(file.reportID, on: request.db),
              let assignment = try await Assignment.find(report.assignmentID, on: request.db),
              let instruction = try await Instruction.find(assignment.instructionID, on: request.db),
              let territory = assignment.territory else {
            throw Abort(.notFound, reason: request.t("error.fileNotFound"))
        }
        try request.authorize(.viewInstruction(isPublic: instruction.isPublic))
        try request.authorize(.viewEvidence(territory: territory, isPublic: instruction.isPublic && assignment.evidencePublic))
        // Who read which file is in the audit log (a published file read by a visitor who is
        // not signed in is public, and not recorded).
        if let account = request.account {
            try await AuditLog.record(on: request.db, actor: account.email) { _ in
                ((), AuditEvent(action: "evidence.download", entity: "evidence_file", entityID: String(id), before: nil,
                                after: "{\"sha256\":\(jsonString(file.sha256))}"))
            }
        }
        return try await request.aimaq.evidence.response(for: file, request)
    }

    // MARK: Export

    /// The most rows one export of the register gives (the national register is about 52,000).
    static let maxExportRows = 200_000

    @Sendable static func export(_ request: Request) async throws -> Response {
        try request.authorize(.viewInstruction(isPublic: true))
        let filter = try RegisterFilter(request)
        let format = request.queryText("format") ?? "csv"
        guard format == "csv" || format == "json" else {
            throw Abort(.badRequest, reason: request.t("error.filter", ["name": "format", "value": format]))
        }
        try request.aimaq.limits.charge(.export, request)
        let (rows, total) = RegisterQuery.page(filter, today: today(request), page: 1, per: maxExportRows,
                                               in: try await request.registerSnapshot())
        guard total <= maxExportRows else {
            throw Abort(.unprocessableEntity, reason: request.t("export.tooLarge", ["n": NumberFormat.integer(maxExportRows, request.language)]))
        }
        let response = Response()
        if format == "json" {
            try response.content.encode(ListDTO(items: rows.map(AssignmentDTO.init), total: rows.count, page: 1, per: max(rows.count, 1)))
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"assignments.json\"")
        } else {
            response.body = .init(string: RegisterCSV.write(rows))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"assignments.csv\"")
        }
        return response
    }
}

struct AssignmentDTO: Content {
    var id: Int
    var instruction: Int
    var point: String
    var text: String
    var category: String
    var source: String
    var territory: String
    var body: Int?
    var deadline: String
    var status: String
    var completion: Double?

    init(_ row: RegisterRow) {
        id = row.id
        instruction = row.instructionID
        point = row.point
        text = row.text
        category = row.category
        source = row.sourceTitle
        territory = String(row.territory)
        body = row.bodyID
        deadline = row.deadline
        status = row.status
        completion = row.completion
    }
}

enum RegisterCSV {
    static let header = ["id", "instruction", "point", "text", "category", "source", "territory", "body",
                         "deadline", "status", "completion"]

    static func write(_ rows: [RegisterRow]) -> String {
        var csv = CSVWriter(header: header)
        for row in rows {
            csv.row([.integer(row.id), .integer(row.instructionID), .text(row.point), .text(row.text), .text(row.category),
                     .text(row.sourceTitle), .integer(row.territory), row.bodyID.map { .integer($0) } ?? .number(""),
                     .text(row.deadline), .text(row.status), .number(row.completion.map { String(format: "%.3f", $0) } ?? "")])
        }
        return csv.text
    }
}
