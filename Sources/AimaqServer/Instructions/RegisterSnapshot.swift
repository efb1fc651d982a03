import AimaqCore
import Foundation
import SQLKit
import Synchronization
import Vapor

/// The register in memory: every assignment as an `AssignmentIndex` entry, with the facts of
/// the instructions the pages print beside them and on each instruction's page.
struct RegisterSnapshot: Sendable {
    /// An instruction as its page shows it, with its source document and indicators.
    struct InstructionFacts: Sendable {
        struct Indicator: Sendable {
            var id: Int
            var name: String
            var unit: String
            var target: Double
        }

        var id: Int
        var sourceID: Int
        var point: String
        var text: String
        var category: String
        var leadBodyID: Int?
        var coExecutors: String?
        var deadline: String
        var period: String
        var completionForm: String?
        var isPublic: Bool
        var sourceKind: String
        var sourceDate: String
        var sourceTitle: String
        var indicators: [Indicator] = []
    }

    /// A source document as the register's filter lists it.
    struct Source: Sendable {
        var id: Int
        var date: String
        var title: String
    }

    var index: AssignmentIndex
    /// Read at load and for each instruction a change brings (instructions are not edited).
    var instructions: [Int: InstructionFacts]
    /// Newest first.
    var sources: [Source]
    /// The versions of what pages show (a territory's subtree, an instruction, everything):
    /// pages rendered from this snapshot are kept under them.
    var versions = ScopeVersions()
    /// The version of the whole register.
    var version: Int { versions.all }

    /// The snapshot after `changed` assignments were read again (`missing` ids are gone).
    func applying(_ changed: [AssignmentIndex.Entry], missing: Set<Int>) -> RegisterSnapshot {
        var next = self
        next.index = index.applying(changed, removing: missing)
        for entry in changed {
            next.versions.changed(assignment: entry.id, instruction: entry.instructionID, territory: entry.territory)
            // The page of the assignment it was handed down from lists it with its status.
            if let parent = entry.parentID { next.versions.changed(assignment: parent, instruction: entry.instructionID, territory: entry.territory) }
        }
        for id in missing {
            if let old = index.entries.first(where: { $0.id == id }) {
                next.versions.changed(assignment: id, instruction: old.instructionID, territory: old.territory)
            }
        }
        return next
    }

    func row(_ entry: AssignmentIndex.Entry) -> RegisterRow {
        let heading = instructions[entry.instructionID]
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

    /// What decides whether an assignment owes a road map, and by when.
    struct RoadMapTerms: Sendable {
        var rule = RoadMapRule()
        var calendar: WorkingCalendar

        /// Whether the assignment owes a road map, and when it is due (nil when it does not,
        /// or has given one): only assignments given straight from a complex instruction.
        func due(given: String, instructionDeadline: String, coExecutors: String?, isTopLevel: Bool,
                 hasRoadMap: Bool) -> CivilDate? {
            guard isTopLevel, !hasRoadMap, let given = try? CivilDate(given),
                  let deadline = try? CivilDate(instructionDeadline),
                  rule.isRequired(given: given, deadline: deadline,
                                  severalBodies: !(coExecutors ?? "").trimmingCharacters(in: .whitespaces).isEmpty) else {
                return nil
            }
            return rule.due(given: given, calendar: calendar)
        }
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
        var parent_id: Int?
        var source_date: String
        var instruction_deadline: String
        var co_executors: String?
        var has_road_map: Int
    }

    /// Reads the instructions with these ids (every instruction when nil), with their source
    /// documents and indicators: two queries.
    static func instructionFacts(_ ids: [Int]?, db: any SQLDatabase) async throws -> [Int: InstructionFacts] {
        if let ids, ids.isEmpty { return [:] }
        var query = db.select()
            .from(SQLAlias(SQLIdentifier("instructions"), as: SQLIdentifier("i")))
            .join(SQLAlias(SQLIdentifier("source_documents"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                  on: SQLColumn("source_id", table: "i"), .equal, SQLColumn("id", table: "s"))
        for column in ["id", "source_id", "point", "text", "category", "lead_body_id", "co_executors", "deadline",
                       "period", "completion_form", "is_public"] {
            query = query.column(SQLColumn(column, table: "i"))
        }
        query = query
            .column(SQLAlias(SQLColumn("kind", table: "s"), as: SQLIdentifier("source_kind")))
            .column(SQLAlias(SQLColumn("date", table: "s"), as: SQLIdentifier("source_date")))
            .column(SQLAlias(SQLColumn("title", table: "s"), as: SQLIdentifier("source_title")))
        if let ids { query = query.where(SQLColumn("id", table: "i"), .in, SQLBind.group(ids)) }
        var facts: [Int: InstructionFacts] = [:]
        for row in try await query.all() {
            let id = try row.decode(column: "id", as: Int.self)
            facts[id] = InstructionFacts(
                id: id, sourceID: try row.decode(column: "source_id", as: Int.self),
                point: try row.decode(column: "point", as: String.self), text: try row.decode(column: "text", as: String.self),
                category: try row.decode(column: "category", as: String.self),
                leadBodyID: try row.optional("lead_body_id", Int.self), coExecutors: try row.optional("co_executors", String.self),
                deadline: try row.decode(column: "deadline", as: String.self), period: try row.decode(column: "period", as: String.self),
                completionForm: try row.optional("completion_form", String.self),
                isPublic: try row.decode(column: "is_public", as: Bool.self),
                sourceKind: try row.decode(column: "source_kind", as: String.self),
                sourceDate: try row.decode(column: "source_date", as: String.self),
                sourceTitle: try row.decode(column: "source_title", as: String.self))
        }
        var indicators = db.select().from("instruction_indicators")
            .columns("id", "instruction_id", "name", "unit", "target")
        if let ids { indicators = indicators.where("instruction_id", .in, SQLBind.group(ids)) }
        for row in try await indicators.orderBy("id").all() {
            facts[try row.decode(column: "instruction_id", as: Int.self)]?.indicators.append(
                InstructionFacts.Indicator(id: try row.decode(column: "id", as: Int.self),
                                           name: try row.decode(column: "name", as: String.self),
                                           unit: try row.decode(column: "unit", as: String.self),
                                           target: try row.decode(column: "target", as: Double.self)))
        }
        return facts
    }

    private struct SourceRow: Decodable {
        var id: Int
        var date: String
        var title: String
    }

    /// Reads the assignments with these ids (every assignment when nil), as index entries.
    static func entries(_ ids: [Int]?, roadMaps: RoadMapTerms, db: any SQLDatabase) async throws -> [AssignmentIndex.Entry] {
        var query = db.select()
            .from(SQLAlias(SQLIdentifier("assignments"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("instructions"), as: SQLIdentifier("i")), method: SQLJoinMethod.inner,
                  on: SQLColumn("instruction_id", table: "a"), .equal, SQLColumn("id", table: "i"))
            .join(SQLAlias(SQLIdentifier("source_documents"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                  on: SQLColumn("source_id", table: "i"), .equal, SQLColumn("id", table: "s"))
            .column(SQLColumn("id", table: "a")).column(SQLColumn("instruction_id", table: "a"))
            .column(SQLColumn("source_id", table: "i")).column(SQLColumn("territory_id", table: "a"))
            .column(SQLColumn("body_id", table: "a")).column(SQLColumn("deadline", table: "a"))
            .column(SQLColumn("status", table: "a")).column(SQLColumn("completion", table: "a"))
            .column(SQLColumn("weight", table: "a")).column(SQLColumn("is_public", table: "a"))
            .column(SQLColumn("category", table: "a")).column(SQLColumn("parent_id", table: "a"))
            .column(SQLAlias(SQLColumn("date", table: "s"), as: SQLIdentifier("source_date")))
            .column(SQLAlias(SQLColumn("deadline", table: "i"), as: SQLIdentifier("instruction_deadline")))
            .column(SQLColumn("co_executors", table: "i"))
            .column(SQLAlias(SQLQueryString(
                "CASE WHEN EXISTS (SELECT 1 FROM road_map_milestones m WHERE m.assignment_id = a.id) THEN 1 ELSE 0 END"),
                as: SQLIdentifier("has_road_map")))
        if let ids { query = query.where(SQLColumn("id", table: "a"), .in, SQLBind.group(ids)) }
        let rows = try await query.all(decoding: AssignmentRow.self)
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
                completion: row.completion, weight: row.weight, isPublic: row.is_public, category: category,
                parentID: row.parent_id,
                roadMapDue: roadMaps.due(given: row.source_date, instructionDeadline: row.instruction_deadline,
                                         coExecutors: row.co_executors, isTopLevel: row.parent_id == nil,
                                         hasRoadMap: row.has_road_map != 0)))
        }
        return entries
    }

    /// Reads every assignment, instruction (with its source and indicators) and source: four queries.
    static func load(_ db: any SQLDatabase, roadMaps: RoadMapTerms) async throws -> RegisterSnapshot {
        let entries = try await entries(nil, roadMaps: roadMaps, db: db)
        let instructions = try await instructionFacts(nil, db: db)
        let sources = try await db.select().from("source_documents")
            .column("id").column("date").column("title")
            .orderBy("date", .descending).orderBy("id", .ascending)
            .all(decoding: SourceRow.self)
        return RegisterSnapshot(index: AssignmentIndex(entries), instructions: instructions,
                                sources: sources.map { Source(id: $0.id, date: $0.date, title: $0.title) })
    }
}

/// Holds the current `RegisterSnapshot` and keeps it current by following the change feed:
/// a change of assignments reads those assignments again and applies them to the index; a
/// plan import (new instructions) reads the register again. Loaded at first use.
final class RegisterSnapshots: ReadModel {
    private struct State {
        var snapshot: RegisterSnapshot?
        /// Raised when a change arrives before the first load is installed: a load that began
        /// before it may have missed it and is not kept.
        var epoch = 0
        var loading: (epoch: Int, task: Task<RegisterSnapshot, any Error>)?
        /// The highest version handed out, so that a fresh load starts above it.
        var highest = 0
        /// Moves with every snapshot installed.
        var generation = 0
    }

    private let state = Mutex(State())
    let roadMaps: RegisterSnapshot.RoadMapTerms

    init(roadMaps: RegisterSnapshot.RoadMapTerms) {
        self.roadMaps = roadMaps
    }

    /// Forgets the snapshot: the next reader loads it again (after changes made outside the
    /// audited write path, as the demo loader makes them).
    func invalidate() {
        state.withLock { state in
            state.snapshot = nil
            state.epoch += 1
        }
    }

    private func install(_ snapshot: RegisterSnapshot, _ state: inout State) -> RegisterSnapshot {
        var snapshot = snapshot
        if snapshot.versions.base <= state.highest { snapshot.versions = ScopeVersions(base: state.highest + 1) }
        state.highest = max(state.highest, snapshot.versions.all)
        state.snapshot = snapshot
        state.generation += 1
        return snapshot
    }

    func current(_ db: any SQLDatabase) async throws -> RegisterSnapshot {
        enum Step { case ready(RegisterSnapshot), wait(Task<RegisterSnapshot, any Error>, Int) }
        let step: Step = state.withLock { state in
            if let snapshot = state.snapshot { return .ready(snapshot) }
            if let loading = state.loading, loading.epoch == state.epoch { return .wait(loading.task, loading.epoch) }
            let task = Task { [roadMaps] in try await RegisterSnapshot.load(db, roadMaps: roadMaps) }
            state.loading = (state.epoch, task)
            return .wait(task, state.epoch)
        }
        switch step {
        case .ready(let snapshot):
            return snapshot
        case .wait(let task, let epoch):
            let loaded = try await task.value
            return state.withLock { state in
                if let snapshot = state.snapshot { return snapshot }
                guard epoch == state.epoch else { return loaded }
                state.loading = nil
                return install(loaded, &state)
            }
        }
    }

    func apply(_ changes: [Change], db: any SQLDatabase) async throws {
        var ids: Set<Int> = []
        var reload = false
        for change in changes {
            switch change.entity {
            case "assignment":
                if let id = Int(change.entityID) { ids.insert(id) }
                ids.formUnion(change.numbers("children"))
            case "instructions":
                reload = true
            case "appeal" where change.action == "appeal.assign":
                // An appeal or an issue raised taken under control: a new assignment (and the
                // instruction made for it).
                if let id = change.number("assignment") { ids.insert(id) }
            default:
                continue
            }
        }
        guard reload || !ids.isEmpty else { return }
        let loaded = state.withLock { state -> Bool in
            if state.snapshot == nil { state.epoch += 1 }
            return state.snapshot != nil
        }
        guard loaded else { return }
        if reload {
            let fresh = try await RegisterSnapshot.load(db, roadMaps: roadMaps)
            state.withLock { state in _ = install(fresh, &state) }
            return
        }
        let entries = try await RegisterSnapshot.entries(Array(ids), roadMaps: roadMaps, db: db)
        let missing = ids.subtracting(entries.map(\.id))
        // The instructions of new assignments that the snapshot does not know yet.
        let unknown = state.withLock { state in
            Set(entries.map(\.instructionID)).filter { state.snapshot?.instructions[$0] == nil }
        }
        let newInstructions = try await RegisterSnapshot.instructionFacts(Array(unknown), db: db)
        func next(_ snapshot: RegisterSnapshot) -> RegisterSnapshot {
            var next = snapshot.applying(entries, missing: missing)
            next.instructions.merge(newInstructions) { _, new in new }
            for facts in newInstructions.values where !next.sources.contains(where: { $0.id == facts.sourceID }) {
                next.sources.append(RegisterSnapshot.Source(id: facts.sourceID, date: facts.sourceDate, title: facts.sourceTitle))
                next.sources.sort { $0.date != $1.date ? $0.date > $1.date : $0.id < $1.id }
            }
            return next
        }
        // The new snapshot is made outside the lock (it copies the whole index, which readers
        // share), and installed if nothing was installed meanwhile; else made again inside.
        guard let (base, generation) = state.withLock({ state in state.snapshot.map { ($0, state.generation) } }) else { return }
        let made = next(base)
        state.withLock { state in
            guard let snapshot = state.snapshot else { return }
            let applied = state.generation == generation ? made : next(snapshot)
            state.highest = max(state.highest, applied.versions.all)
            state.snapshot = applied
            state.generation += 1
        }
    }
}

extension Request {
    /// The register snapshot, loaded through the application's database (not the request's),
    /// since one load serves many requests.
    func registerSnapshot() async throws -> RegisterSnapshot {
        try await aimaq.register.current(application.db as! any SQLDatabase)
    }
}
