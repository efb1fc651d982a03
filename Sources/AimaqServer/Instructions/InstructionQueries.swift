import AimaqCore
import Fluent
import SQLKit
import Vapor

/// Detail reads for the instruction and assignment pages: a fixed number of queries each.
enum InstructionQueries {
    struct InstructionDetail {
        /// With its source document and indicators.
        var instruction: RegisterSnapshot.InstructionFacts
        var assignments: [AssignmentIndex.Entry]
        var history: [HistoryEntry]
    }

    /// The instruction and its assignments come from the register snapshot (assignments in
    /// territory order); only the history is read: one query.
    static func instruction(_ id: Int, on db: any SQLDatabase, snapshot: RegisterSnapshot) async throws -> InstructionDetail? {
        guard let instruction = snapshot.instructions[id] else { return nil }
        let assignments = snapshot.index.assignments(ofInstruction: id)
        let history = try await HistoryEntry.read(on: db, column: "instruction_id", equals: id,
                                                  newestFirst: true, limit: 50)
        return InstructionDetail(instruction: instruction, assignments: assignments, history: history)
    }

    /// A report as its assignment's page shows it, read column by column with SQLKit
    /// (Fluent's decoding cost about 35 µs a row, more than the rest of the page).
    struct ReportRow: Sendable {
        var id: Int?
        var period: String
        var text: String
        var author: String
        var authorRole: String?
        var submittedAt: Int64
        var stateName: String
        var state: ReportState { ReportState(rawValue: stateName) ?? .submitted }
    }

    struct ValueRow: Sendable {
        var reportID: Int
        var indicatorID: Int
        var value: Double
    }

    struct FileRow: Sendable {
        var id: Int?
        var reportID: Int
        var fileName: String
        var size: Int
    }

    struct ReviewRow: Sendable {
        var reportID: Int
        var reviewer: String
        var reviewerRole: String?
        var decision: String
        var remarks: String?
        var at: Int64
    }

    /// An assignment handed down from the one shown.
    struct ChildRow: Sendable {
        var id: Int?
        var territoryID: Int
        var statusName: String
        var completion: Double?
    }

    struct ReportDetail {
        var report: ReportRow
        var values: [ValueRow]
        var files: [FileRow]
        var reviews: [ReviewRow]
    }

    struct AssignmentDetail {
        var assignment: Assignment
        /// With its source document and indicators (from the register snapshot).
        var instruction: RegisterSnapshot.InstructionFacts
        var reports: [ReportDetail]
        var history: [HistoryEntry]
        var children: [ChildRow]
        /// The road map given, in order (empty when none was).
        var roadMap: [RoadMapMilestone] = []
        /// When a road map is owed and not given: the day it is due.
        var roadMapDue: CivilDate?
        /// Whether the assignment's instruction asks its bodies for road maps.
        var asksRoadMap: Bool { roadMapDue != nil || !roadMap.isEmpty }
    }

    /// One milestone of a road map as stored.
    struct RoadMapMilestone: Decodable, Sendable {
        var position: Int
        var due: String
        var text: String
        var submitted_at: Int64
        var author: String
        var author_role: String?
    }

    /// The instruction, its source and indicators come from the register snapshot (read here
    /// when the snapshot has not yet followed the change that made the assignment).
    static func assignment(_ id: Int, snapshot: RegisterSnapshot, roadMaps: RegisterSnapshot.RoadMapTerms? = nil,
                           on db: any Database) async throws -> AssignmentDetail? {
        guard let assignment = try await Assignment.find(id, on: db) else { return nil }
        let instructionID = assignment.instructionID
        var facts = snapshot.instructions[instructionID]
        if facts == nil {
            facts = try await RegisterSnapshot.instructionFacts([instructionID], db: db as! any SQLDatabase)[instructionID]
        }
        guard let instruction = facts else { return nil }
        let sql = db as! any SQLDatabase
        let reports = try await sql.select().from("reports")
            .columns("id", "period", "text", "author", "author_role", "submitted_at", "state")
            .where("assignment_id", .equal, SQLBind(id)).orderBy("submitted_at", .descending).orderBy("id", .descending)
            .all().map { row in
                ReportRow(id: try row.decode(column: "id", as: Int.self), period: try row.decode(column: "period", as: String.self),
                          text: try row.decode(column: "text", as: String.self), author: try row.decode(column: "author", as: String.self),
                          authorRole: try row.optional("author_role", String.self),
                          submittedAt: try row.decode(column: "submitted_at", as: Int64.self),
                          stateName: try row.decode(column: "state", as: String.self))
            }
        let reportIDs = reports.compactMap(\.id)
        let values = reportIDs.isEmpty ? [] : try await sql.select().from("report_values")
            .columns("report_id", "indicator_id", "value").where("report_id", .in, SQLBind.group(reportIDs)).orderBy("id")
            .all().map { row in
                ValueRow(reportID: try row.decode(column: "report_id", as: Int.self),
                         indicatorID: try row.decode(column: "indicator_id", as: Int.self),
                         value: try row.decode(column: "value", as: Double.self))
            }
        let files = reportIDs.isEmpty ? [] : try await sql.select().from("evidence_files")
            .columns("id", "report_id", "file_name", "size").where("report_id", .in, SQLBind.group(reportIDs)).orderBy("id")
            .all().map { row in
                FileRow(id: try row.decode(column: "id", as: Int.self), reportID: try row.decode(column: "report_id", as: Int.self),
                        fileName: try row.decode(column: "file_name", as: String.self), size: try row.decode(column: "size", as: Int.self))
            }
        let reviews = reportIDs.isEmpty ? [] : try await sql.select().from("reviews")
            .columns("report_id", "reviewer", "reviewer_role", "decision", "remarks", "at")
            .where("report_id", .in, SQLBind.group(reportIDs)).orderBy("at").orderBy("id")
            .all().map { row in
                ReviewRow(reportID: try row.decode(column: "report_id", as: Int.self),
                          reviewer: try row.decode(column: "reviewer", as: String.self),
                          reviewerRole: try row.optional("reviewer_role", String.self),
                          decision: try row.decode(column: "decision", as: String.self),
                          remarks: try row.optional("remarks", String.self), at: try row.decode(column: "at", as: Int64.self))
            }
        let history = try await HistoryEntry.read(on: sql, column: "assignment_id", equals: id,
                                                  newestFirst: false, limit: nil)
        let children = try await sql.select().from("assignments").columns("id", "territory_id", "status", "completion")
            .where("parent_id", .equal, SQLBind(id)).orderBy("territory_id")
            .all().map { row in
                ChildRow(id: try row.decode(column: "id", as: Int.self), territoryID: try row.decode(column: "territory_id", as: Int.self),
                         statusName: try row.decode(column: "status", as: String.self),
                         completion: try row.optional("completion", Double.self))
            }
        let roadMap = try await sql.select()
            .columns("position", "due", "text", "submitted_at", "author", "author_role")
            .from("road_map_milestones").where("assignment_id", .equal, SQLBind(id)).orderBy("position")
            .all(decoding: RoadMapMilestone.self)
        let roadMapDue = roadMaps?.due(given: instruction.sourceDate, instructionDeadline: instruction.deadline,
                                       coExecutors: instruction.coExecutors, isTopLevel: assignment.parentID == nil,
                                       hasRoadMap: !roadMap.isEmpty)
        var detail = AssignmentDetail(
            assignment: assignment, instruction: instruction,
            reports: reports.map { report in
                ReportDetail(report: report, values: values.filter { $0.reportID == report.id },
                             files: files.filter { $0.reportID == report.id },
                             reviews: reviews.filter { $0.reportID == report.id })
            },
            history: history, children: children)
        detail.roadMap = roadMap
        detail.roadMapDue = roadMapDue
        return detail
    }
}

/// One step in an assignment's history, read with SQLKit (decoding Fluent models costs more
/// than rendering them).
struct HistoryEntry: Decodable, Sendable {
    var id: Int
    var at: Int64
    var actor: String
    var actorRole: String?
    var event: String
    var fromStatus: String?
    var toStatus: String
    var reason: String?
    var deadline: String?

    enum CodingKeys: String, CodingKey {
        case id, at, actor, event, reason, deadline
        case actorRole = "actor_role"
        case fromStatus = "from_status"
        case toStatus = "to_status"
    }

    static func read(on db: any SQLDatabase, column: String, equals value: Int, newestFirst: Bool,
                     limit: Int?) async throws -> [HistoryEntry] {
        let direction: SQLDirection = newestFirst ? .descending : .ascending
        var query = db.select().from("assignment_events")
            .columns("id", "at", "actor", "actor_role", "event", "from_status", "to_status", "reason", "deadline")
            .where(SQLIdentifier(column), .equal, SQLBind(value))
            .orderBy("at", direction).orderBy("id", direction)
        if let limit { query = query.limit(limit) }
        // Column by column: a keyed decoder per row cost more than the rest of the read.
        return try await query.all().map { row in
            HistoryEntry(id: try row.decode(column: "id", as: Int.self),
                         at: try row.decode(column: "at", as: Int64.self),
                         actor: try row.decode(column: "actor", as: String.self),
                         actorRole: try row.optional("actor_role", String.self),
                         event: try row.decode(column: "event", as: String.self),
                         fromStatus: try row.optional("from_status", String.self),
                         toStatus: try row.decode(column: "to_status", as: String.self),
                         reason: try row.optional("reason", String.self),
                         deadline: try row.optional("deadline", String.self))
        }
    }
}

extension SQLRow {
    /// A column that may be NULL.
    func optional<T: Decodable>(_ column: String, _ type: T.Type) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}
