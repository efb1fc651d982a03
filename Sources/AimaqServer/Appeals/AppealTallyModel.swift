import AimaqCore
import SQLKit
import Synchronization

/// The statistics of appeals kept in memory on every server (`AppealTally`): loaded whole
/// when first asked for, then changed one appeal at a time as the change feed brings the
/// appeals that changed (their audit entries name them), re-read from the database. An entry
/// that names no appeal (the demo's bulk load) makes the next reader load everything again.
final class AppealTallyModel: ReadModel {
    private let tally = Mutex<AppealTally?>(nil)
    /// Loads and applications run one after another, so a load never installs counts older
    /// than a change already applied.
    private let serial = SerialRunner()
    /// Rows read per query when loading.
    static let pageSize = 20_000

    /// `body` over the current counts (loaded first when they are not yet).
    func read<T: Sendable>(db: any SQLDatabase, _ body: (AppealTally) -> T) async throws -> T {
        while true {
            if let value = tally.withLock({ tally in tally.map(body) }) { return value }
            try await serial.run { [self] in
                guard tally.withLock({ $0 == nil }) else { return }
                let loaded = try await Self.load(on: db)
                tally.withLock { $0 = loaded }
            }
        }
    }

    func apply(_ changes: [Change], db: any SQLDatabase) async throws {
        var ids = Set<Int>()
        var everything = false
        for change in changes where change.entity == "appeal" {
            let listed = change.entityID.split(separator: ",").map { Int($0) }
            if listed.isEmpty || listed.contains(nil) { everything = true } else { ids.formUnion(listed.compactMap { $0 }) }
        }
        guard everything || !ids.isEmpty else { return }
        try await serial.run { [self, ids, everything] in
            // Not loaded yet: the load will read these as they are.
            guard tally.withLock({ $0 != nil }) else { return }
            if everything {
                tally.withLock { $0 = nil }
                return
            }
            let rows = try await Self.rows(ids: Array(ids), on: db)
            tally.withLock { tally in
                for id in ids { tally?.set(id, rows[id]) }
            }
        }
    }

    private struct Row: Decodable {
        var id: Int
        var region_id: Int
        var district_id: Int
        var topic: String
        var status: String
        var deadline: String
        var answered_on: String?
        var rating: Int?

        /// Nil for a row no version of Aimaq writes (an unknown status, a date that is not one).
        var appeal: AppealTally.Appeal? {
            guard let status = AppealStatus(rawValue: status), let deadline = try? CivilDate(deadline) else { return nil }
            return AppealTally.Appeal(region: region_id, district: district_id, topic: topic, status: status, deadline: deadline,
                                      answeredOn: answered_on.flatMap { try? CivilDate($0) }, rating: rating)
        }
    }

    private static func select(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns("id", "region_id", "district_id", "topic", "status", "deadline", "answered_on", "rating").from("appeals")
    }

    private static func load(on sql: any SQLDatabase) async throws -> AppealTally {
        var tally = AppealTally()
        var after = 0
        while true {
            let page = try await select(sql).where("id", .greaterThan, SQLBind(after)).orderBy("id").limit(pageSize)
                .all(decoding: Row.self)
            for row in page { tally.set(row.id, row.appeal) }
            guard let last = page.last, page.count == pageSize else { return tally }
            after = last.id
        }
    }

    private static func rows(ids: [Int], on sql: any SQLDatabase) async throws -> [Int: AppealTally.Appeal] {
        var result: [Int: AppealTally.Appeal] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            for row in try await select(sql).where("id", .in, SQLBind.group(chunk)).all(decoding: Row.self) {
                result[row.id] = row.appeal
            }
        }
        return result
    }
}
