import AimaqCore
import Fluent
import SQLKit
import Vapor

/// Writes a checked action plan in one transaction, with one audit entry; refuses a plan
/// whose points already exist, so a second import of the same file changes nothing.
enum PlanImporter {
    struct Summary: Sendable {
        var sources: Int
        var instructions: Int
        var assignments: Int
    }

    static func parse(_ text: String, app: Application) -> Result<PlanImport.Plan, PlanImport.Problems> {
        let tree = app.aimaq.territories.tree
        return PlanImport.parse(text, territoryExists: { tree[$0] != nil }, calendar: app.aimaq.calendar,
                                today: app.aimaq.clock.today())
    }

    static func write(_ plan: PlanImport.Plan, app: Application, actor: String) async throws -> Summary {
        let bodies = app.aimaq.bodies
        let summary = try await AuditLog.record(on: app.db, actor: actor) { db in
            var sourceIDs: [String: Int] = [:]
            for source in plan.sources {
                if let existing = try await SourceDocument.query(on: db).filter(\.$title == source.title)
                    .filter(\.$date == source.date.description).first() {
                    sourceIDs[source.key] = existing.id
                    continue
                }
                let record = SourceDocument()
                record.kind = source.kind.rawValue
                record.date = source.date.description
                record.number = source.number
                record.title = source.title
                try await record.create(on: db)
                sourceIDs[source.key] = try record.requireID()
            }
            var instructionIDs: [String: Int] = [:]
            for instruction in plan.instructions {
                guard let sourceID = sourceIDs[instruction.sourceKey] else { continue }
                if try await Instruction.query(on: db).filter(\.$sourceID == sourceID).filter(\.$point == instruction.point).count() > 0 {
                    throw PlanImport.Problems(items: [PlanImport.Problem(
                        line: plan.assignments.first { $0.sourceKey == instruction.sourceKey && $0.point == instruction.point }?.line ?? 1,
                        column: 6, message: "point: \(instruction.point) of \(instruction.sourceKey) is already in the register")])
                }
                let record = Instruction()
                record.sourceID = sourceID
                record.point = instruction.point
                record.text = instruction.text
                record.category = instruction.category.rawValue
                record.deadline = instruction.deadline.description
                record.period = instruction.period.rawValue
                record.isPublic = instruction.isPublic
                record.weight = 1
                try await record.create(on: db)
                let id = try record.requireID()
                instructionIDs["\(instruction.sourceKey)\u{1F}\(instruction.point)"] = id
                if let indicator = instruction.indicator {
                    let row = IndicatorRecord()
                    row.instructionID = id
                    row.name = indicator.name
                    row.unit = indicator.unit
                    row.target = indicator.target
                    row.lowerIsBetter = false
                    try await row.create(on: db)
                }
            }
            let now = KazakhstanTime.nowMilliseconds()
            for assignment in plan.assignments {
                guard let instructionID = instructionIDs["\(assignment.sourceKey)\u{1F}\(assignment.point)"] else { continue }
                let record = Assignment()
                record.instructionID = instructionID
                record.territoryID = assignment.territory.value
                let category = plan.instructions.first { $0.sourceKey == assignment.sourceKey && $0.point == assignment.point }?.category
                record.bodyID = bodies.responsible(for: assignment.territory, category: category)
                record.deadline = assignment.deadline.description
                record.statusName = AssignmentStatus.assigned.rawValue
                record.weight = 1
                record.completion = 0
                record.evidencePublic = true
                record.updatedAt = now
                record.isPublic = plan.instructions.first { $0.sourceKey == assignment.sourceKey && $0.point == assignment.point }?.isPublic ?? true
                record.category = category?.rawValue ?? ""
                try await record.create(on: db)
                let event = AssignmentEventRecord()
                event.assignmentID = try record.requireID()
                event.instructionID = instructionID
                event.at = now
                event.actor = actor
                event.event = AssignmentEvent.assign.name
                event.fromStatus = AssignmentStatus.registered.rawValue
                event.toStatus = AssignmentStatus.assigned.rawValue
                try await event.create(on: db)
            }
            let summary = Summary(sources: plan.sources.count, instructions: plan.instructions.count, assignments: plan.assignments.count)
            return (summary, AuditEvent(action: "plan.import", entity: "instructions", entityID: "plan", before: nil,
                                        after: "{\"sources\":\(summary.sources),\"instructions\":\(summary.instructions),\"assignments\":\(summary.assignments)}"))
        }
        await app.followChanges()
        return summary
    }
}

/// The administrators' page for importing a plan.
enum PlanImportController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.adminImportPlan.pathComponents, use: form)
        routes.upload(SiteURL.adminImportPlan, maxBytes: 20 << 20, toDisk: true, gate: { try $0.authorize(.importPlan) }, use: upload)
    }

    @Sendable static func form(_ request: Request) async throws -> Response {
        try request.authorize(.importPlan)
        return page(request, problems: [], summary: nil, status: .ok)
    }

    @Sendable static func upload(_ request: Request) async throws -> Response {
        try request.authorize(.importPlan)
        guard let file = try request.uploadedFile(named: "file") else {
            return page(request, problems: [PlanImport.Problem(line: 0, column: 0, message: request.t("import.error.noFile"))],
                        summary: nil, status: .unprocessableEntity)
        }
        let text = String(decoding: file.data, as: UTF8.self)
        switch PlanImporter.parse(text, app: request.application) {
        case .failure(let problems):
            return page(request, problems: problems.items, summary: nil, status: .unprocessableEntity)
        case .success(let plan):
            do {
                let summary = try await PlanImporter.write(plan, app: request.application, actor: request.auditActor)
                return page(request, problems: [], summary: summary, status: .ok)
            } catch let problems as PlanImport.Problems {
                return page(request, problems: problems.items, summary: nil, status: .unprocessableEntity)
            }
        }
    }

    static func page(_ request: Request, problems: [PlanImport.Problem], summary: PlanImporter.Summary?,
                     status: HTTPResponseStatus) -> Response {
        let action = SiteURL.adminImportPlan.link((.csrf, request.csrfToken))
        let content = fragment {
            el("h1") { request.t("import.title") }
            el("p") { request.t("import.lead") }
            el("p") { el("code") { PlanImport.columns.joined(separator: ",") } }
            if let summary {
                el("p", .class("success"), Attribute("role", "status")) {
                    request.t("import.done", ["sources": String(summary.sources), "instructions": String(summary.instructions),
                                              "assignments": String(summary.assignments)])
                }
            }
            if !problems.isEmpty {
                el("div", .class("error-message"), Attribute("role", "alert")) {
                    el("p") { request.t("import.failed", ["n": String(problems.count)]) }
                    el("ul") {
                        for problem in problems.prefix(500) {
                            el("li") {
                                problem.line > 0
                                    ? request.t("import.at", ["line": String(problem.line), "column": String(problem.column)]) + " " + problem.message
                                    : problem.message
                            }
                        }
                    }
                }
            }
            el("form", Attribute("method", "post"), Attribute("action", action), Attribute("enctype", "multipart/form-data"), .class("stack")) {
                el("label", Attribute("for", "file")) { request.t("import.file") }
                void("input", .id("file"), .name("file"), .type("file"), Attribute("accept", ".csv,text/csv"), .flag("required"))
                el("button", .type("submit")) { request.t("import.submit") }
            }
        }
        return Layout.response(request, title: request.t("import.title"), status: status, content: content)
    }
}
