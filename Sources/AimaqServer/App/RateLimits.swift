import AimaqCore
import Foundation
import SQLKit
import Synchronization
import Vapor

/// Limits on expensive work per visitor: per address for visitors who are not signed in,
/// per account for those who are. Each server counts in memory (a check costs no database
/// round trip) and, every second, adds its counts to `rate_counters` and reads the totals of
/// all servers, so the limit holds for the site as a whole within about a second. Over the
/// limit the answer is 429 with `Retry-After`.
final class RateLimits: Sendable {
    /// What is limited. The limits come from `AIMAQ_RATE_LIMITS` (`export=20,compute=120,…`
    /// per minute, or `off`).
    enum Kind: String, CaseIterable, Sendable {
        /// Whole exports (CSV, JSON) of the register and of budget lines.
        case export
        /// Work computed afresh for the visitor: a what-if that is not cached.
        case compute
        /// Taking part in a discussion: comments, replies, proposals, support, reports.
        case participation
        /// Votes on the statements of opinion-map conversations.
        case votes
    }

    static let defaults: [Kind: Int] = [.export: 20, .compute: 120, .participation: 30, .votes: 240]
    static let windowSeconds: Int64 = 60

    private struct Counter {
        var window: Int64
        /// Counted here and not yet written to the database.
        var pending = 0
        /// Counted here in this window, written or not.
        var own = 0
        /// Counted by the other servers in this window, as last read.
        var others = 0
    }

    private let limits: [Kind: Int]
    private let counters = Mutex<[String: Counter]>([:])

    init(limits: [Kind: Int]) {
        self.limits = limits
    }

    /// Parses `AIMAQ_RATE_LIMITS`: `off`, or `kind=n` pairs (per minute) over the defaults.
    static func parse(_ text: String?) throws -> [Kind: Int] {
        guard let text, !text.isEmpty else { return defaults }
        if text == "off" { return [:] }
        var limits = defaults
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let kind = Kind(rawValue: parts[0]), let limit = Int(parts[1]), limit >= 0 else {
                throw DataFolderError(description:
                    "AIMAQ_RATE_LIMITS: \"\(pair)\" is not kind=count (kinds: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")); or off)")
            }
            limits[kind] = limit
        }
        return limits
    }

    /// Who is counted: the account, or the address of a visitor who is not signed in.
    static func subject(_ request: Request) -> String {
        if let id = request.account?.id { return "account:" + id.uuidString }
        return "address:" + ClientAddress.of(request)
    }

    /// Counts one `kind` of work for the request's visitor; throws 429 over the limit.
    func charge(_ kind: Kind, _ request: Request) throws {
        guard let limit = limits[kind] else { return }
        let now = Int64(Date().timeIntervalSince1970)
        let window = now - now % Self.windowSeconds
        let key = kind.rawValue + "|" + Self.subject(request)
        let allowed = counters.withLock { counters -> Bool in
            var counter = counters[key] ?? Counter(window: window)
            if counter.window != window { counter = Counter(window: window) }
            guard counter.own + counter.others < limit else {
                counters[key] = counter
                return false
            }
            counter.own += 1
            counter.pending += 1
            counters[key] = counter
            return true
        }
        guard allowed else {
            let wait = max(1, window + Self.windowSeconds - now)
            throw Abort(.tooManyRequests, headers: ["Retry-After": String(wait)],
                        reason: request.t("error.tooMany", ["seconds": String(wait)]))
        }
    }

    /// Writes this server's new counts and reads everybody's (run every second).
    func sync(on db: any SQLDatabase) async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let window = now - now % Self.windowSeconds
        let pending = counters.withLock { counters -> [(String, Int64, Int)] in
            counters = counters.filter { $0.value.window == window }
            var out: [(String, Int64, Int)] = []
            for (key, counter) in counters where counter.pending > 0 {
                out.append((key, counter.window, counter.pending))
                counters[key]?.pending = 0
            }
            return out
        }
        for (key, window, count) in pending {
            try await db.raw("""
                INSERT INTO rate_counters (key, window_start, count) VALUES (\(bind: key), \(bind: window), \(bind: count)) \
                ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + excluded.count
                """).run()
        }
        let keys = counters.withLock { Array($0.keys) }
        guard !keys.isEmpty else {
            try await db.delete(from: "rate_counters").where("window_start", .lessThan, SQLBind(window)).run()
            return
        }
        struct Row: Decodable { var key: String; var count: Int }
        let rows = try await db.select().columns("key", "count").from("rate_counters")
            .where("window_start", .equal, SQLBind(window)).where("key", .in, SQLBind.group(keys))
            .all(decoding: Row.self)
        counters.withLock { counters in
            for row in rows {
                guard var counter = counters[row.key], counter.window == window else { continue }
                counter.others = max(0, row.count - (counter.own - counter.pending))
                counters[row.key] = counter
            }
        }
        try await db.delete(from: "rate_counters").where("window_start", .lessThan, SQLBind(window)).run()
    }

    /// The sync while the server runs.
    static func task() -> RepeatingTask {
        RepeatingTask("rate limits", every: .seconds(1)) { app in
            try await app.aimaq.limits.sync(on: app.db as! any SQLDatabase)
        }
    }
}
