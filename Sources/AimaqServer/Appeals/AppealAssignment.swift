import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Turns an issue raised (or any appeal) into an assignment of instruction control, keeping
/// the link both ways: the appeal records the assignment, and the assignment's instruction
/// names the appeal's number as its point under a source for the visit (or for the issues
/// raised with deputies that year).
enum AppealAssignment {
    static func sourceTitle(_ appeal: AppealRecord, visit: VisitRecord?) -> (kind: SourceKind, title: String, date: CivilDate) {
        if let visit { return (.visit, "Поручения по итогам визита: " + visit.title.ru, visit.starts) }
        return (.meetingProtocol, "Вопросы, поднятые перед депутатами, \(appeal.registeredOn.year)",
                (try? CivilDate(year: appeal.registeredOn.year, month: 1, day: 1)) ?? appeal.registeredOn)
    }

    /// Creates the assignment of `body`; returns its id.
    static func create(_ appeal: AppealRecord, body: Int, deadline: CivilDate, visit: VisitRecord?, actor: String, today: CivilDate,
                       on writer: AuditLog.Writer) async throws -> Int {
        let source = sourceTitle(appeal, visit: visit)
        let category = AppealTopic.named(appeal.topic)?.category ?? .governance
        return try await AuditLog.record(on: writer, actor: actor) { db -> (Int, AuditEvent) in
            let sourceID: Int
            if let existing = try await SourceDocument.query(on: db).filter(\.$title == source.title)
                .filter(\.$date == source.date.description).first() {
                sourceID = try existing.requireID()
            } else {
                let record = SourceDocument()
                record.kind = source.kind.rawValue
                record.date = source.date.description
                record.title = source.title
                try await record.create(on: db)
                sourceID = try record.requireID()
            }
            let instruction = Instruction()
            instruction.sourceID = sourceID
            instruction.point = appeal.number
            // The public register never shows what the author kept private.
            instruction.text = appeal.publicText ?? AppealViews.topicFallback(appeal)
            instruction.category = category.rawValue
            instruction.leadBodyID = body
            instruction.deadline = deadline.description
            instruction.period = ReportingPeriod.once.rawValue
            instruction.isPublic = true
            instruction.weight = 1
            try await instruction.create(on: db)
            let now = KazakhstanTime.nowMilliseconds()
            let assignment = Assignment()
            assignment.instructionID = try instruction.requireID()
            assignment.territoryID = appeal.territory.value
            assignment.bodyID = body
            assignment.deadline = deadline.description
            assignment.statusName = AssignmentStatus.assigned.rawValue
            assignment.weight = 1
            assignment.completion = 0
            assignment.evidencePublic = true
            assignment.updatedAt = now
            assignment.isPublic = true
            assignment.category = category.rawValue
            try await assignment.create(on: db)
            let assignmentID = try assignment.requireID()
            let event = AssignmentEventRecord()
            event.assignmentID = assignmentID
            event.instructionID = instruction.id
            event.at = now
            event.actor = actor
            event.event = AssignmentEvent.assign.name
            event.fromStatus = AssignmentStatus.registered.rawValue
            event.toStatus = AssignmentStatus.assigned.rawValue
            event.reason = "appeal \(appeal.number)"
            try await event.create(on: db)
            let history = appeal.history + [AppealStep(on: today.description, kind: "assigned", body: body, text: "#\(assignmentID)")]
            try await db.sql.update("appeals").set("status", to: SQLBind(AppealStatus.assigned.rawValue))
                .set("assignment_id", to: SQLBind(assignmentID)).set("history", to: SQLBind(AppealStore.encode(history)))
                .where("id", .equal, SQLBind(appeal.id)).run()
            if let author = appeal.authorID {
                try await Notifications.notify([author], kind: .appealAssigned, appeal: appeal.id, on: db.sql)
            }
            try await AppealStore.bump(db.sql)
            return (assignmentID, AuditEvent(action: "appeal.assign", entity: "appeal", entityID: String(appeal.id),
                                             before: "{\"status\":\"\(appeal.status.rawValue)\"}",
                                             after: "{\"assignment\":\(assignmentID),\"body\":\(body),\"deadline\":\"\(deadline)\"}"))
        }
    }

    /// The appeals an assignment came from (the link back).
    static func appeals(ofAssignment id: Int, on sql: any SQLDatabase) async throws -> [(id: Int, number: String)] {
        struct Row: Decodable { var id: Int; var number: String? }
        return try await sql.select().columns("id", "number").from("appeals").where("assignment_id", .equal, SQLBind(id))
            .all(decoding: Row.self).map { ($0.id, $0.number ?? "") }
    }
}
