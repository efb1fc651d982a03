import AimaqCore
import Foundation
import SQLKit
import Vapor

/// The register in memory: every assignment as an `AssignmentIndex` entry, with the headings
/// of the instructions the pages print beside them.
struct RegisterSnapshot: Sendable {
    struct Heading: Sendable {
        var point: String
        var text: String
        var sourceTitle: String
        var isPublic: Bool
    }

    /// A source document as the register's filter lists it.
    struct Source: Sendable {
        var id: Int
        var date: String
        var title: String
    }

    let index: AssignmentIndex
    let headings: [Int: Heading]
    /// Newest first.
    let sources: [Source]
    /// Grows with every load: pages rendered from this snapshot are kept under this number.
    var version = 0

    func row(_ entry: AssignmentIndex.Entry) -> RegisterRow {
        let heading = headings[entry.instructionID]
        return RegisterRow(id: entry.id, instructionID: entry.instructionID, point: heading?.point ?? "",
                           text: heading?.text ?? "", category: entry.category.rawValue,
                           sourceTitle: heading?.sourceTitle ?? "", territory: entry.territory, bodyID: entry.bodyID,
                           deadline: entry.deadline.description, status: entry.status.rawValue,
                           completion: entry.completion, isPublic: heading?.isPublic ?? entry.isPublic)
    }

    /// A stored assignment the register cannot read: the database was changed outside Aimaq.
    struct CorruptRow: Error, CustomStringConvertible {
        let id: Int
        let column: String
        let value: String
        var description: String { "assignment \(id): \(column) \"\(value)\" is not valid" }
    }

    private struct AssignmentRow: Decodable {
        var id: Int
        var instruction_id: Int
        var source_id: Int
        var territory_id: Int
        var body_id: Int?
        var deadline: String
        var status: String
        var completion: Double?
        var weight: Double
        var is_public: Bool
        var category: String
    }

    private struct HeadingRow: Decodable {
        var id: Int
        var point: String
        var text: String
        var is_public: Bool
        var source_title: String
    }

    private struct SourceRow: Decodable {
        var id: Int
        var date: String
        var title: String
    }

    /// Reads every assignment, instruction heading and source: three queries.
    static func load(_ db: any SQLDatabase) async throws -> RegisterSnapshot {
        let rows = try await db.select()
            .from(SQLAlias(SQLIdentifier("assignments"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("instructions"), as: SQLIdentifier("i")), method: SQLJoinMethod.inner,
                  on: SQLColumn("instruction_id", table: "a"), .equal, SQLColumn("id", table: "i"))
            .column(SQLColumn("id", table: "a")).column(SQLColumn("instruction_id", table: "a"))
            .column(SQLColumn("source_id", table: "i")).column(SQLColumn("territory_id", table: "a"))
            .column(SQLColumn("body_id", table: "a")).column(SQLColumn("deadline", table: "a"))
            .column(SQLColumn("status", table: "a")).column(SQLColumn("completion", table: "a"))
            .column(SQLColumn("weight", table: "a")).column(SQLColumn("is_public", table: "a"))
            .column(SQLColumn("category", table: "a"))
            .all(decoding: AssignmentRow.self)
        var entries: [AssignmentIndex.Entry] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            guard let deadline = try? CivilDate(row.deadline) else {
                throw CorruptRow(id: row.id, column: "deadline", value: row.deadline)
            }
            guard let status = AssignmentStatus(rawValue: row.status) else {
                throw CorruptRow(id: row.id, column: "status", value: row.status)
            }
            guard let category = InstructionCategory(rawValue: row.category) else {
                throw CorruptRow(id: row.id, column: "category", value: row.category)
            }
            entries.append(AssignmentIndex.Entry(
                id: row.id, instructionID: row.instruction_id, sourceID: row.source_id, territory: row.territory_id,
                bodyID: row.body_id, deadline: deadline, status: status,
                completion: row.completion, weight: row.weight, isPublic: row.is_public, category: category))
        }
        let headings = try await db.select()
            .from(SQLAlias(SQLIdentifier("instructions"), as: SQLIdentifier("i")))
            .join(SQLAlias(SQLIdentifier("source_documents"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                  on: SQLColumn("source_id", table: "i"), .equal, SQLColumn("id", table: "s"))
            .column(SQLColumn("id", table: "i")).column(SQLColumn("point", table: "i"))
            .column(SQLColumn("text", table: "i"))
            .column(SQLColumn("is_public", table: "i"))
            .column(SQLAlias(SQLColumn("title", table: "s"), as: SQLIdentifier("source_title")))
            .all(decoding: HeadingRow.self)
        let sources = try await db.select().from("source_documents")
            .column("id").column("date").column("title")
            .orderBy("date", .descending).orderBy("id", .ascending)
            .all(decoding: SourceRow.self)
        return RegisterSnapshot(
            index: AssignmentIndex(entries),
            headings: Dictionary(headings.map {
                ($0.id, Heading(point: $0.point, text: $0.text, sourceTitle: $0.source_title,
                                isPublic: $0.is_public))
            }, uniquingKeysWith: { first, _ in first }),
            sources: sources.map { Source(id: $0.id, date: $0.date, title: $0.title) })
    }
}

/// Holds the current `RegisterSnapshot` (see `LoadedValues`): a write to assignments calls
/// `invalidate()`, the next reader loads a new snapshot, and a snapshot older than `maxAge`
/// is served while one background load replaces it.
final class RegisterSnapshots: Sendable {
    static let maxAge = 60.0
    private let snapshots = LoadedValues<Int, RegisterSnapshot>(maxAge: maxAge)

    /// Called after every committed write to assignments or instructions.
    func invalidate() { snapshots.invalidate() }

    func current(_ db: any SQLDatabase) async throws -> RegisterSnapshot {
        let loaded = try await snapshots.value(0) { try await RegisterSnapshot.load(db) }
        var snapshot = loaded.value
        snapshot.version = loaded.version
        return snapshot
    }
}

extension Request {
    /// The register snapshot, loaded through the application's database (not the request's),
    /// since one load serves many requests.
    func registerSnapshot() async throws -> RegisterSnapshot {
        try await aimaq.register.current(application.db as! any SQLDatabase)
    }
}
