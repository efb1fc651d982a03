import AimaqCore
import Fluent
import SQLKit
import Vapor

/// Who acted, as the history, reports and reviews show it: the person's name and role, never
/// their e-mail address (the audit log, for administrators, keeps the sign-in name).
struct PersonLabel: Sendable {
    var name: String
    /// The raw role (`maslikhat_deputy`), shown in the visitor's language; nil for a program.
    var role: String?
}

/// Every change of an assignment's status goes through here: the state machine decides,
/// the history and the audit log record it, in one transaction.
enum AssignmentWorkflow {
    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    /// The assignment as stored now: read inside the transaction of a change, so that the
    /// state machine judges the current state, never one read before another writer's change.
    /// Writes run one at a time, so their statements are plain SQL (Fluent's reflection was
    /// the largest part of a write's CPU).
    static func current(_ id: Int, on db: any Database) async throws -> Assignment {
        guard let row = try await db.sql.select()
            .columns(Column.allCases.map(\.rawValue).map { SQLIdentifier($0) })
            .from(Assignment.schema).where("id", .equal, SQLBind(id)).first() else {
            throw Refused(description: "assignment \(id) no longer exists")
        }
        let assignment = Assignment()
        assignment.id = id
        assignment.$id.exists = true
        assignment.instructionID = try row.decode(column: Column.instruction.rawValue, as: Int.self)
        assignment.territoryID = try row.decode(column: Column.territory.rawValue, as: Int.self)
        assignment.bodyID = try row.decode(column: Column.body.rawValue, as: Int?.self)
        assignment.parentID = try row.decode(column: Column.parent.rawValue, as: Int?.self)
        assignment.deadline = try row.decode(column: Column.deadline.rawValue, as: String.self)
        assignment.statusName = try row.decode(column: Column.status.rawValue, as: String.self)
        assignment.weight = try row.decode(column: Column.weight.rawValue, as: Double.self)
        assignment.completion = try row.decode(column: Column.completion.rawValue, as: Double?.self)
        assignment.evidencePublic = try row.decode(column: Column.evidencePublic.rawValue, as: Bool.self)
        assignment.updatedAt = try row.decode(column: Column.updatedAt.rawValue, as: Int64.self)
        assignment.isPublic = try row.decode(column: Column.isPublic.rawValue, as: Bool.self)
        assignment.category = try row.decode(column: Column.category.rawValue, as: String.self)
        return assignment
    }

    /// The columns of `assignments` a change reads.
    private enum Column: String, CaseIterable {
        case instruction = "instruction_id", territory = "territory_id", body = "body_id", parent = "parent_id"
        case deadline, status, weight, completion, evidencePublic = "evidence_public", updatedAt = "updated_at"
        case isPublic = "is_public", category
    }

    /// Writes the fields a change may move (status, deadline, completion, publication of the
    /// evidence, time of the change) with one statement.
    static func store(_ assignment: Assignment, on db: any Database) async throws {
        try await db.sql.update(Assignment.schema)
            .set("status", to: SQLBind(assignment.statusName))
            .set("deadline", to: SQLBind(assignment.deadline))
            .set("completion", to: SQLBind(assignment.completion))
            .set("evidence_public", to: SQLBind(assignment.evidencePublic))
            .set("updated_at", to: SQLBind(assignment.updatedAt))
            .where("id", .equal, SQLBind(try assignment.requireID()))
            .run()
    }

    /// Records one change of an assignment, the same way for pages and the API: reads it
    /// afresh inside the transaction, lets `change` act on it, appends the audit entry with
    /// the states before and after, and brings this server's models up to date. A refusal of
    /// the state machine (someone else moved first) answers 409.
    @discardableResult
    static func record<T: Sendable>(_ request: Request, assignment id: Int, action: String,
                                    _ change: @escaping @Sendable (Assignment, any Database) async throws -> T) async throws -> T {
        do {
            let result = try await request.timed("tx") {
                try await AuditLog.record(on: request.writer, actor: request.auditActor) { db in
                    let assignment = try await current(id, on: db)
                    let before = assignment.auditSnapshot
                    let result = try await change(assignment, db)
                    return (result, AuditEvent(action: "assignment.\(action)", entity: "assignment", entityID: String(id),
                                               before: before, after: assignment.auditSnapshot))
                }
            }
            await request.timed("feed") { await request.application.followChanges(laneWrite: true) }
            return result
        } catch let refused as Refused {
            throw Abort(.conflict, reason: refused.description)
        }
    }

    /// Applies `event` to the assignment inside `db` (a transaction), writing the history.
    /// Returns the new status.
    @discardableResult
    static func apply(_ event: AssignmentEvent, to assignment: Assignment, actor: PersonLabel, reason: String?,
                      indicators: [Completion.Indicator]? = nil, on db: any Database) async throws -> AssignmentStatus {
        let from = assignment.status
        let to: AssignmentStatus
        do {
            to = try from.applying(event)
        } catch {
            throw Refused(description: error.description)
        }
        assignment.statusName = to.rawValue
        if case .extend(let deadline) = event { assignment.deadline = deadline.description }
        assignment.updatedAt = KazakhstanTime.nowMilliseconds()
        // A caller that knows the indicators' figures (a report carries them) sets the
        // completion in the same write.
        if let indicators { assignment.completion = Completion.completion(status: to, indicators: indicators) }
        try await store(assignment, on: db)
        var deadline: String?
        if case .extend(let newDeadline) = event { deadline = newDeadline.description }
        try await db.sql.insert(into: AssignmentEventRecord.schema)
            .columns("assignment_id", "instruction_id", "at", "actor", "actor_role", "event", "from_status", "to_status",
                     "reason", "deadline")
            .values(SQLBind(try assignment.requireID()), SQLBind(assignment.instructionID),
                    SQLBind(KazakhstanTime.nowMilliseconds()), SQLBind(actor.name), SQLBind(actor.role),
                    SQLBind(event.name), SQLBind(from.rawValue), SQLBind(to.rawValue), SQLBind(reason), SQLBind(deadline))
            .run()
        return to
    }

    /// Recomputes an assignment's completion from its indicators and its latest report.
    static func refreshCompletion(_ assignment: Assignment, on db: any Database) async throws {
        struct Indicator: Decodable { var id: Int; var target: Double; var lower_is_better: Bool }
        struct Value: Decodable { var indicator_id: Int; var value: Double }
        let sql = try db.sql
        let indicators = try await sql.select().columns("id", "target", "lower_is_better")
            .from(IndicatorRecord.schema).where("instruction_id", .equal, SQLBind(assignment.instructionID))
            .all(decoding: Indicator.self)
        var latest: [Int: Double] = [:]
        if !indicators.isEmpty {
            let newest = sql.select().column("id").from(ReportRecord.schema)
                .where("assignment_id", .equal, SQLBind(try assignment.requireID()))
                .orderBy("submitted_at", .descending).limit(1)
            for value in try await sql.select().columns("indicator_id", "value").from(ReportValue.schema)
                .where("report_id", .in, SQLGroupExpression(newest.select)).all(decoding: Value.self) {
                latest[value.indicator_id] = value.value
            }
        }
        let figures = indicators.map {
            Completion.Indicator(target: $0.target, actual: latest[$0.id], lowerIsBetter: $0.lower_is_better)
        }
        assignment.completion = Completion.completion(status: assignment.status, indicators: figures)
        try await sql.update(Assignment.schema).set("completion", to: SQLBind(assignment.completion))
            .where("id", .equal, SQLBind(try assignment.requireID())).run()
    }
}

/// The key an `INSERT … RETURNING "id"` gives back.
struct InsertedID: Decodable {
    var id: Int
}
