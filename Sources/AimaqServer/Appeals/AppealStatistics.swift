import AimaqCore
import Synchronization
import SQLKit

/// Counts of appeals for one area (a region, or a district of a region).
struct AppealCounts: Sendable, Equatable {
    var total = 0
    var awaiting = 0
    var overdue = 0
    var answered = 0
    var answeredOnTime = 0
    var ratings = 0
    var ratingSum = 0

    var onTimeShare: Double? { answered > 0 ? Double(answeredOnTime) / Double(answered) : nil }
    var meanRating: Double? { ratings > 0 ? Double(ratingSum) / Double(ratings) : nil }

    mutating func add(_ other: AppealCounts) {
        total += other.total; awaiting += other.awaiting; overdue += other.overdue; answered += other.answered
        answeredOnTime += other.answeredOnTime; ratings += other.ratings; ratingSum += other.ratingSum
    }

    func perTenThousand(_ population: Int?) -> Double? {
        guard let population, population > 0 else { return nil }
        return Double(total) * 10_000 / Double(population)
    }
}

/// Statistics of appeals by territory and topic in one query (grouped in the database).
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
            .column(SQLFunction("SUM", args: SQLIdentifier("rating")), as: "rating_sum")
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
    /// The appeals' version when they were counted.
    var revision: Int
    var counts: [Int: AppealCounts]
    var topics: [String: Int]
}

/// Figures that may be a second old: each server computes a key at most about once a
/// second, however many ask; while one request recomputes an expired entry, the others are
/// answered with the previous figures (appeals arrive many times a second at national scale,
/// and the statistics read every appeal).
final class RecentFigures<Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value?
        var computedAt: ContinuousClock.Instant
        var refreshing: Bool
    }

    private enum Decision { case use(Value), refresh(stale: Value?) }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: Duration

    init(lifetime: Duration = .seconds(1)) {
        self.lifetime = lifetime
    }

    func value(_ key: String, compute: @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let decision: Decision = entries.withLock { entries in
            if let entry = entries[key], let value = entry.value {
                if now - entry.computedAt < lifetime || entry.refreshing { return .use(value) }
                entries[key]?.refreshing = true
                return .refresh(stale: value)
            }
            return .refresh(stale: nil)
        }
        switch decision {
        case .use(let value):
            return value
        case .refresh:
            do {
                let value = try await compute()
                entries.withLock { entries in
                    entries[key] = Entry(value: value, computedAt: ContinuousClock.now, refreshing: false)
                    // Keys are few (regions × topics × days); old days go.
                    if entries.count > 2_000 { entries.removeAll() }
                }
                return value
            } catch {
                entries.withLock { $0[key]?.refreshing = false }
                throw error
            }
        }
    }

    func clear() { entries.withLock { $0.removeAll() } }
}
