import AimaqCore
import Fluent
import SQLKit
import Vapor

/// The actions on an assignment's page: review, extend, remove, hand down, report; and the
/// evidence files.
extension InstructionController {
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

    /// A deadline given in a form: a date, and at least the minimum of working days away (422
    /// saying which, otherwise).
    static func newDeadline(_ text: String?, _ request: Request) throws -> CivilDate {
        guard let deadline = try? CivilDate(text ?? "") else {
            throw Abort(.unprocessableEntity, reason: request.t("extend.error.deadline"))
        }
        if case .tooSoon(let earliest, let minimum) = request.aimaq.calendar.checkDeadline(deadline, setOn: today(request)) {
            throw Abort(.unprocessableEntity, reason: request.t("extend.error.tooSoon", ["date": earliest.description,
                                                                                          "days": String(minimum)]))
        }
        return deadline
    }

    @Sendable static func extend(_ request: Request) async throws -> Response {
        let (assignment, _, territory) = try await loadForAction(request)
        try request.authorize(.manageAssignment(territory: territory))
        let form = try request.content.decode(ExtendForm.self)
        let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw Abort(.unprocessableEntity, reason: request.t("extend.error.reason")) }
        let deadline = try newDeadline(form.deadline, request)
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
        let deadline = try newDeadline(form.deadline, request)
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

    struct RoadMapForm: Content {
        var date: [String]?
        var text: [String]?
    }

    /// Gives (or corrects) the road map of an assignment of a complex instruction.
    @Sendable static func roadMap(_ request: Request) async throws -> Response {
        let (assignment, instruction, territory) = try await loadForAction(request)
        try request.authorize(AssignmentWorkflow.reportAction(assignment, territory, request.aimaq.bodies))
        let form = try request.content.decode(RoadMapForm.self)
        let dates = form.date ?? [], texts = form.text ?? []
        let rows = (0..<max(dates.count, texts.count)).map { index in
            (date: index < dates.count ? dates[index] : "", text: index < texts.count ? texts[index] : "")
        }
        try await AssignmentWorkflow.submitRoadMap(request, assignment: assignment, instruction: instruction, rows: rows)
        return backToAssignment(request, try assignment.requireID())
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
}
