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

    struct ReportDetail {
        var report: ReportRecord
        var values: [ReportValue]
        var files: [EvidenceFile]
        var reviews: [ReviewRecord]
    }

    struct AssignmentDetail {
        var assignment: Assignment
        /// With its source document and indicators (from the register snapshot).
        var instruction: RegisterSnapshot.InstructionFacts
        var reports: [ReportDetail]
        var history: [HistoryEntry]
        var children: [Assignment]
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
        let reports = try await ReportRecord.query(on: db).filter(\.$assignmentID == id).sort(\.$submittedAt, .descending).all()
        let reportIDs = reports.compactMap(\.id)
        let values = reportIDs.isEmpty ? [] : try await ReportValue.query(on: db).filter(\.$reportID ~~ reportIDs).all()
        let files = reportIDs.isEmpty ? [] : try await EvidenceFile.query(on: db).filter(\.$reportID ~~ reportIDs).all()
        let reviews = reportIDs.isEmpty ? [] : try await ReviewRecord.query(on: db).filter(\.$reportID ~~ reportIDs).sort(\.$at).all()
        let history = try await HistoryEntry.read(on: db as! any SQLDatabase, column: "assignment_id", equals: id,
                                                  newestFirst: false, limit: nil)
        let children = try await Assignment.query(on: db).filter(\.$parentID == id).sort(\.$territoryID).all()
        let roadMap = try await (db as! any SQLDatabase).select()
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
                         actorRole: try row.decodeNil(column: "actor_role") ? nil : row.decode(column: "actor_role", as: String.self),
                         event: try row.decode(column: "event", as: String.self),
                         fromStatus: try row.decodeNil(column: "from_status") ? nil : row.decode(column: "from_status", as: String.self),
                         toStatus: try row.decode(column: "to_status", as: String.self),
                         reason: try row.decodeNil(column: "reason") ? nil : row.decode(column: "reason", as: String.self),
                         deadline: try row.decodeNil(column: "deadline") ? nil : row.decode(column: "deadline", as: String.self))
        }
    }
}
