import AimaqCore
import Fluent
import SQLKit
import Vapor

/// The writes of instruction control that pages and the API share: each loads what it
/// changes, authorises, records the change with its audit entry in one transaction
/// (`record`), and brings this server's read models up to date. Controllers parse the form
/// or the JSON and call these.
extension AssignmentWorkflow {
    /// An assignment with its instruction and territory (pages and API alike); 404 when missing.
    static func load(_ id: Int, _ request: Request, on database: (any Database)? = nil) async throws
        -> (Assignment, Instruction, KATOCode) {
        let db = database ?? request.db
        let assignment: Assignment
        do {
            assignment = try await current(id, on: db)
        } catch is Refused {
            throw Abort(.notFound, reason: request.t("error.assignmentNotFound"))
        }
        guard let instruction = try await Instruction.find(assignment.instructionID, on: db),
              let territory = assignment.territory else {
            throw Abort(.notFound, reason: request.t("error.assignmentNotFound"))
        }
        return (assignment, instruction, territory)
    }

    /// Reporting on an assignment: for its body, which the akimat's officers may also do when
    /// the body is one of its departments.
    static func reportAction(_ assignment: Assignment, _ territory: KATOCode, _ bodies: BodyDirectory) -> Action {
        .submitReport(territory: territory, body: assignment.bodyID, bodyParent: bodies.parent(of: assignment.bodyID))
    }

    /// Who acts, as the history, reports and reviews show it: the person's name, never
    /// their e-mail address (the audit log, for administrators, keeps the sign-in name).
    static func actorLabel(_ request: Request) -> PersonLabel {
        PersonLabel(name: request.account?.displayName ?? "?", role: request.account?.roleName)
    }

    /// Accepts or returns the report waiting on an assignment (pages and API alike).
    @discardableResult
    static func review(_ request: Request, assignment: Assignment, instruction: Instruction, territory: KATOCode,
                       decision: String?, remarks: String?, final: Bool,
                       evidencePublic: Bool? = nil) async throws -> AssignmentStatus {
        try request.authorize(.reviewReport(territory: territory))
        let remarks = remarks?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let event: AssignmentEvent
        switch decision {
        case "accept":
            let periodic = ReportingPeriod(rawValue: instruction.period) != .once
            event = .accept(final: !periodic || final)
        case "return":
            guard !remarks.isEmpty else {
                throw Abort(.unprocessableEntity, reason: request.t("review.error.remarks"))
            }
            event = .returnReport
        default:
            throw Abort(.unprocessableEntity, reason: request.t("review.error.decision"))
        }
        let actor = actorLabel(request)
        let reviewerID = request.account?.id
        let decisionName = event == .returnReport ? "return" : "accept"
        return try await record(request, assignment: try assignment.requireID(), action: decisionName) { assignment, db in
            let id = try assignment.requireID()
            struct Waiting: Decodable { var id: Int; var author_id: UUID? }
            guard let report = try await db.sql.select().columns("id", "author_id").from(ReportRecord.schema)
                .where("assignment_id", .equal, SQLBind(id)).where("state", .equal, SQLBind(ReportState.submitted.rawValue))
                .orderBy("submitted_at", .descending).limit(1).first(decoding: Waiting.self) else {
                throw Refused(description: "no report is waiting for review")
            }
            // The reviewer decides whether the evidence of a public instruction is published.
            if let evidencePublic { assignment.evidencePublic = evidencePublic }
            try await apply(event, to: assignment, actor: actor, reason: remarks.isEmpty ? nil : remarks, on: db)
            let state: ReportState = event == .returnReport ? .returned : .accepted
            try await db.sql.update(ReportRecord.schema).set("state", to: SQLBind(state.rawValue))
                .where("id", .equal, SQLBind(report.id)).run()
            try await db.sql.insert(into: ReviewRecord.schema)
                .columns("report_id", "reviewer_id", "reviewer", "reviewer_role", "decision", "remarks", "at")
                .values(SQLBind(report.id), SQLBind(reviewerID), SQLBind(actor.name), SQLBind(actor.role),
                        SQLBind(decisionName), SQLBind(remarks.isEmpty ? nil : remarks),
                        SQLBind(KazakhstanTime.nowMilliseconds()))
                .run()
            try await refreshCompletion(assignment, on: db)
            if event == .returnReport, let author = report.author_id {
                try await Notifications.notify([author], kind: .reportReturned, assignment: id, on: db)
            }
            return assignment.status
        }
    }

    /// Writes the hand-down in one transaction, judged on the parent as stored then: a
    /// parent closed, or a child made, by another writer meanwhile refuses it whole.
    static func handDown(_ parentID: Int, into chosen: [KATOCode], deadline: CivilDate, instruction: Instruction,
                         bodies: BodyDirectory, actor: PersonLabel, auditActor: String, on database: any Database) async throws {
        try await AuditLog.record(on: database, actor: auditActor) { db in
            let parent = try await current(parentID, on: db)
            guard !parent.status.isFinal else { throw Refused(description: "the assignment is closed") }
            let existing = try await Assignment.query(on: db).filter(\.$parentID == parentID).all()
            if chosen.contains(where: { code in existing.contains { $0.territoryID == code.value } }) {
                throw Refused(description: "")
            }
            var created: [Int] = []
            for code in chosen {
                let child = Assignment()
                child.instructionID = parent.instructionID
                child.territoryID = code.value
                child.bodyID = bodies.responsible(for: code, category: InstructionCategory(rawValue: instruction.category))
                child.parentID = parentID
                child.deadline = deadline.description
                child.statusName = AssignmentStatus.registered.rawValue
                child.weight = 1
                child.evidencePublic = parent.evidencePublic
                child.updatedAt = KazakhstanTime.nowMilliseconds()
                child.isPublic = instruction.isPublic
                child.category = instruction.category
                try await child.create(on: db)
                try await apply(.assign, to: child, actor: actor, reason: nil, on: db)
                try await refreshCompletion(child, on: db)
                created.append(try child.requireID())
            }
            let list = created.map(String.init).joined(separator: ",")
            return ((), AuditEvent(action: "assignment.split", entity: "assignment", entityID: String(parentID),
                                   before: nil, after: "{\"children\":[\(list)],\"deadline\":\"\(deadline)\"}"))
        }
    }

    /// Stores a report with its values and files and moves the assignment on (pages and API).
    @discardableResult
    static func report(_ request: Request, assignment: Assignment, territory: KATOCode,
                       submission: ReportSubmission) async throws -> (report: Int, status: AssignmentStatus) {
        try request.authorize(reportAction(assignment, territory, request.aimaq.bodies))
        let stored = try await request.aimaq.evidence.store(submission.files, db: request.sql)
        let actor = actorLabel(request)
        let authorID = request.account?.id
        let id = try assignment.requireID()
        let tree = request.tree
        do {
            // The report's figures are the latest: the completion follows from them and the
            // indicators without reading them back.
            let reported = Dictionary(submission.values, uniquingKeysWith: { _, last in last })
            let figures = submission.indicators.map {
                Completion.Indicator(target: $0.target, actual: reported[$0.id ?? 0], lowerIsBetter: $0.lowerIsBetter)
            }
            return try await record(request, assignment: id, action: "report") { assignment, db in
                try await apply(.submitReport, to: assignment, actor: actor, reason: nil,
                                                   indicators: figures, on: db)
                let reportID = try await db.sql.insert(into: ReportRecord.schema)
                    .columns("assignment_id", "period", "text", "author_id", "author", "author_role", "submitted_at", "state")
                    .values(SQLBind(id), SQLBind(submission.period), SQLBind(submission.text), SQLBind(authorID),
                            SQLBind(actor.name), SQLBind(actor.role), SQLBind(KazakhstanTime.nowMilliseconds()),
                            SQLBind(ReportState.submitted.rawValue))
                    .returning("id").first(decoding: InsertedID.self)?.id ?? 0
                if !submission.values.isEmpty {
                    let insert = try db.sql.insert(into: ReportValue.schema).columns("report_id", "indicator_id", "value")
                    for (indicatorID, number) in submission.values {
                        insert.values(SQLBind(reportID), SQLBind(indicatorID), SQLBind(number))
                    }
                    try await insert.run()
                }
                for file in stored {
                    let record = EvidenceFile()
                    record.reportID = reportID
                    record.fileName = file.fileName
                    record.contentType = file.contentType
                    record.size = file.size
                    record.storedName = file.storedName
                    record.sha256 = file.sha256
                    try await record.create(on: db)
                }
                let reviewers = try await Notifications.reviewers(of: territory, tree: tree, on: db)
                try await Notifications.notify(reviewers, kind: .reportArrived, assignment: id, on: db)
                return (reportID, assignment.status)
            }
        } catch {
            // Files of a report that did not land are not kept.
            await request.aimaq.evidence.discard(stored, db: request.sql)
            throw error
        }
    }

    /// Records the road map of an open assignment given straight from an instruction: its
    /// milestones replace any given before. Each milestone lies between the instruction's
    /// date and the assignment's deadline; every problem is said at once (422).
    static func submitRoadMap(_ request: Request, assignment: Assignment, instruction: Instruction,
                              rows: [(date: String, text: String)]) async throws {
        guard assignment.parentID == nil else {
            throw Abort(.unprocessableEntity, reason: request.t("roadMap.error.handedDown"))
        }
        guard let source = try await SourceDocument.find(instruction.sourceID, on: request.db),
              let given = try? CivilDate(source.date), let deadline = try? CivilDate(assignment.deadline) else {
            throw Abort(.notFound)
        }
        let milestones: [Milestone]
        switch Milestone.validated(rows, from: given, to: deadline) {
        case .success(let valid):
            milestones = valid
        case .failure(let refusal):
            throw Abort(.unprocessableEntity, reason: refusal.problems.map { roadMapProblem($0, request) }.joined(separator: " "))
        }
        let actor = actorLabel(request)
        try await record(request, assignment: try assignment.requireID(), action: "road_map") { current, db in
            guard !current.status.isFinal else { throw Refused(description: request.t("roadMap.error.closed")) }
            let id = try current.requireID()
            let sql = try db.sql
            try await sql.delete(from: "road_map_milestones").where("assignment_id", .equal, SQLBind(id)).run()
            let now = KazakhstanTime.nowMilliseconds()
            let insert = sql.insert(into: "road_map_milestones")
                .columns("assignment_id", "position", "due", "text", "submitted_at", "author", "author_role")
            for (position, milestone) in milestones.enumerated() {
                insert.values(SQLBind(id), SQLBind(position + 1), SQLBind(milestone.date.description), SQLBind(milestone.text),
                              SQLBind(now), SQLBind(actor.name), SQLBind(actor.role))
            }
            try await insert.run()
        }
    }

    /// A road map's problem in the visitor's language.
    static func roadMapProblem(_ problem: Milestone.Problem, _ request: Request) -> String {
        switch problem {
        case .none: request.t("roadMap.error.none")
        case .tooMany(let count): request.t("roadMap.error.tooMany", ["count": String(count), "max": String(Milestone.maximumCount)])
        case .badDate(let number, let text): request.t("roadMap.error.date", ["n": String(number), "value": text])
        case .outOfTerm(let number, let from, let to):
            request.t("roadMap.error.term", ["n": String(number), "from": from.description, "to": to.description])
        case .badText(let number): request.t("roadMap.error.text", ["n": String(number)])
        }
    }
}
