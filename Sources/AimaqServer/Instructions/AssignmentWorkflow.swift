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
    static func current(_ id: Int, on db: any Database) async throws -> Assignment {
        guard let assignment = try await Assignment.find(id, on: db) else {
            throw Refused(description: "assignment \(id) no longer exists")
        }
        return assignment
    }

    /// Records one change of an assignment, the same way for pages and the API: reads it
    /// afresh inside the transaction, lets `change` act on it, appends the audit entry with
    /// the states before and after, and brings this server's models up to date. A refusal of
    /// the state machine (someone else moved first) answers 409.
    @discardableResult
    static func record<T: Sendable>(_ request: Request, assignment id: Int, action: String,
                                    _ change: @escaping @Sendable (Assignment, any Database) async throws -> T) async throws -> T {
        do {
            let writer = request.writer
            let result = try await AuditLog.record(on: writer.database, actor: request.auditActor,
                                                   executor: writer.executor) { db in
                let assignment = try await current(id, on: db)
                let before = assignment.auditSnapshot
                let result = try await change(assignment, db)
                return (result, AuditEvent(action: "assignment.\(action)", entity: "assignment", entityID: String(id),
                                           before: before, after: assignment.auditSnapshot))
            }
            await request.application.followChanges()
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
        try await assignment.save(on: db)
        let history = AssignmentEventRecord()
        history.assignmentID = try assignment.requireID()
        history.instructionID = assignment.instructionID
        history.at = KazakhstanTime.nowMilliseconds()
        history.actor = actor.name
        history.actorRole = actor.role
        history.event = event.name
        history.fromStatus = from.rawValue
        history.toStatus = to.rawValue
        history.reason = reason
        if case .extend(let deadline) = event { history.deadline = deadline.description }
        try await history.create(on: db)
        return to
    }

    /// Recomputes an assignment's completion from its indicators and its latest report.
    static func refreshCompletion(_ assignment: Assignment, on db: any Database) async throws {
        let indicators = try await IndicatorRecord.query(on: db).filter(\.$instructionID == assignment.instructionID).all()
        var latest: [Int: Double] = [:]
        if !indicators.isEmpty,
           let report = try await ReportRecord.query(on: db).filter(\.$assignmentID == (try assignment.requireID()))
            .sort(\.$submittedAt, .descending).first() {
            for value in try await ReportValue.query(on: db).filter(\.$reportID == (try report.requireID())).all() {
                latest[value.indicatorID] = value.value
            }
        }
        let figures = indicators.map {
            Completion.Indicator(target: $0.target, actual: latest[$0.id ?? 0], lowerIsBetter: $0.lowerIsBetter)
        }
        assignment.completion = Completion.completion(status: assignment.status, indicators: figures)
        try await assignment.save(on: db)
    }
}
