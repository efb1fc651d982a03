import AimaqCore
import Foundation
import SQLKit

/// Rate limits of signing in, per account and per client address, kept in the database so
/// that every server behind a load balancer counts the same failures.
struct LoginThrottle: Sendable {
    var perAccount = 5
    var perAddress = 20
    /// Window length in seconds.
    var window: Double = 15 * 60

    static func accountKey(_ email: String) -> String { "account:" + email }
    static func addressKey(_ address: String) -> String { "address:" + address }

    private struct Row: Decodable {
        var key: String
        var at: Double
    }

    /// Seconds to wait before this account or address may try again; nil when it may.
    func retryAfter(account: String, address: String, db: any SQLDatabase) async throws -> Double? {
        let now = Date().timeIntervalSince1970
        let keys = [Self.accountKey(account), Self.addressKey(address)]
        let rows = try await db.select().columns("key", "at").from("sign_in_failures")
            .where("key", .in, SQLBind.group(keys))
            .where("at", .greaterThan, SQLBind(now - window))
            .orderBy("at")
            .all(decoding: Row.self)
        let waits = zip(keys, [perAccount, perAddress]).compactMap { key, limit in
            AttemptLimiter.retryAfter(failures: rows.filter { $0.key == key }.map(\.at), limit: limit, window: window, now: now)
        }
        return waits.max()
    }

    func recordFailure(account: String, address: String, db: any SQLDatabase) async throws {
        let now = Date().timeIntervalSince1970
        try await db.insert(into: "sign_in_failures").columns("key", "at")
            .values(SQLBind(Self.accountKey(account)), SQLBind(now))
            .values(SQLBind(Self.addressKey(address)), SQLBind(now))
            .run()
        // What left the window is of no use: the table holds at most one window of failures.
        try await db.delete(from: "sign_in_failures").where("at", .lessThan, SQLBind(now - window)).run()
    }

    func recordSuccess(account: String, db: any SQLDatabase) async throws {
        try await db.delete(from: "sign_in_failures").where("key", .equal, SQLBind(Self.accountKey(account))).run()
    }
}
