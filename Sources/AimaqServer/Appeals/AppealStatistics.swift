import AimaqCore
import Synchronization
import SQLKit

/// Statistics of appeals counted by the database, one query over the whole table: the rule the
/// kept tally (`AppealTallyModel`) is held to in tests.
enum AppealStatistics {
    /// Counts by region (`within` nil) or by district bucket of one region, optionally for one topic.
    static func counts(within region: KATOCode?, topic: String?, today: CivilDate,
                       on sql: any SQLDatabase) async throws -> [Int: AppealCounts] {
        struct Row: Decodable {
            var area: Int
            var total: Int
            var awaiting: Int?
            var overdue: Int?
            var answered: Int?
            var on_time: Int?
            var ratings: Int?
            var rating_sum: Int?
        }
        let awaiting = AppealStatus.allCases.filter(\.awaitsAnswer).map(\.rawValue)
        let area: SQLExpression = region == nil ? SQLIdentifier("region_id") : SQLIdentifier("district_id")
        var query = sql.select()
            .column(area, as: "area")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")
            .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN status IN (\(awaiting.map { "'\($0)'" }.joined(separator: ","))) THEN 1 ELSE 0 END")), as: "awaiting")
            .column(SQLFunction("SUM", args: SQLQueryString("CASE WHEN status IN (\(unsafeRaw: awaiting.map { "'\($0)'" }.joined(separator: ","))) AND deadline < \(bind: today.description) THEN 1 ELSE 0 END")), as: "overdue")
            .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN status = 'answered' THEN 1 ELSE 0 END")), as: "answered")
            .column(SQLFunction("SUM", args: SQLRaw("CASE WHEN status = 'answered' AND answered_on <= deadline THEN 1 ELSE 0 END")), as: "on_time")
            .column(SQLFunction("COUNT", args: SQLIdentifier("rating")), as: "ratings")
            // PostgreSQL sums a BIGINT column into NUMERIC: counted back as an integer.
            .column(SQLRaw("CAST(SUM(rating) AS BIGINT)"), as: "rating_sum")
            .from("appeals")
        if let region { query = query.where("region_id", .equal, SQLBind(region.regionNumber)) }
        if let topic { query = query.where("topic", .equal, SQLBind(topic)) }
        let rows = try await query.groupBy(area).all(decoding: Row.self)
        return rows.reduce(into: [:]) { result, row in
            result[row.area] = AppealCounts(total: row.total, awaiting: row.awaiting ?? 0, overdue: row.overdue ?? 0,
                                            answered: row.answered ?? 0, answeredOnTime: row.on_time ?? 0,
                                            ratings: row.ratings ?? 0, ratingSum: row.rating_sum ?? 0)
        }
    }

    /// Counts by topic over an area (nil: the country).
    static func byTopic(within territory: KATOCode?, today: CivilDate, on sql: any SQLDatabase) async throws -> [String: Int] {
        struct Row: Decodable { var topic: String; var n: Int }
        var query = sql.select().column("topic").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("appeals")
        if let territory {
            query = query.where("territory_id", .greaterThanOrEqual, SQLBind(territory.subtree.lowerBound))
                .where("territory_id", .lessThan, SQLBind(territory.subtree.upperBound))
        }
        return try await query.groupBy("topic").all(decoding: Row.self).reduce(into: [:]) { $0[$1.topic] = $1.n }
    }
}

/// The figures of one statistics page.
struct AppealFigures: Sendable {
    var counts: [Int: AppealCounts]
    var topics: [String: Int]
}

/// Values kept by version, allowed to be a moment behind: a value of the current version is
/// served as it is; an older one is served while it is younger than `maxStale` or while
/// another request is already making the new one; otherwise this request makes it (one per
/// key at a time). With a `background` executor an older value is remade there from three
/// quarters of `maxStale` on, while every reader still gets it; only one older than `maxStale` (after a
/// quiet spell) is made by the reader, who waits. At national scale appeals change many times
/// a second and every change moves the version: without this, every change would send every
/// visitor to recount and re-render at once. With `maxStale` zero, every change is seen at once.
final class FreshEnough<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var version: Int
        var madeAt: ContinuousClock.Instant
        var refreshing: Bool
    }

    private enum Decision { case use(Value), make, remake(Value) }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 2_000) {
        self.capacity = capacity
    }

    /// `make` returns the value and the version it was made at (read before making it).
    /// `now` is the present (tests move it).
    func value(_ key: String, version: Int, maxStale: Duration, background: (any TaskExecutor)? = nil,
               now: ContinuousClock.Instant = .now,
               make: @escaping @Sendable () async throws -> (Value, version: Int)) async throws -> Value {
        let offPath = background != nil && maxStale > .zero
        let decision: Decision = entries.withLock { entries in
            guard let entry = entries[key] else { return .make }
            if entry.version >= version { return .use(entry.value) }
            let age = now - entry.madeAt
            if entry.refreshing || age < (offPath ? maxStale * 3 / 4 : maxStale) { return .use(entry.value) }
            entries[key]?.refreshing = true
            return offPath && age < maxStale ? .remake(entry.value) : .make
        }
        switch decision {
        case .use(let value):
            return value
        case .remake(let older):
            Task(executorPreference: background) { _ = try? await self.made(key, make) }
            return older
        case .make:
            return try await made(key, make)
        }
    }

    private func made(_ key: String, _ make: @Sendable () async throws -> (Value, version: Int)) async throws -> Value {
        do {
            let (value, madeAt) = try await make()
            entries.withLock { entries in
                if entries.count >= capacity, entries[key] == nil { entries.removeAll() }
                entries[key] = Entry(value: value, version: madeAt, madeAt: ContinuousClock.now, refreshing: false)
            }
            return value
        } catch {
            entries.withLock { $0[key]?.refreshing = false }
            throw error
        }
    }
}

/// A number read from the database at most once per `maxAge` and shared by every request
/// meanwhile (the appeals' revision, which every visitors' page of appeals would otherwise
/// read). It only moves forward.
final class RecentNumber: Sendable {
    private let state = Mutex<(value: Int, readAt: ContinuousClock.Instant?)>((0, nil))

    init() {}

    func value(maxAge: Duration, read: () async throws -> Int) async throws -> Int {
        let now = ContinuousClock.now
        let cached: Int? = state.withLock { state in
            guard let at = state.readAt, now - at < maxAge else { return nil }
            return state.value
        }
        if let cached { return cached }
        let value = try await read()
        return state.withLock { state in
            state = (max(state.value, value), ContinuousClock.now)
            return state.value
        }
    }
}
