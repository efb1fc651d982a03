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

/// A named lease in the database: at most one server holds it until it runs out, so work
/// that must run once (the deadline sweep) runs on one server at a time.
enum Lease {
    /// Takes the lease for `seconds`, or extends it when `holder` has it; false when another
    /// server holds it and it has not run out.
    static func acquire(_ name: String, holder: String, seconds: Double, db: any SQLDatabase) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        struct Row: Decodable { var holder: String }
        if try await db.select().column("holder").from("leases").where("name", .equal, SQLBind(name))
            .first(decoding: Row.self) == nil {
            do {
                try await db.insert(into: "leases").columns("name", "holder", "until")
                    .values(SQLBind(name), SQLBind(holder), SQLBind(now + seconds)).run()
                return true
            } catch {
                // Another server inserted it first: fall through to the update, which it wins.
            }
        }
        try await db.update("leases")
            .set("holder", to: SQLBind(holder)).set("until", to: SQLBind(now + seconds))
            .where("name", .equal, SQLBind(name))
            .where { $0.where("until", .lessThan, SQLBind(now)).orWhere("holder", .equal, SQLBind(holder)) }
            .run()
        let current = try await db.select().column("holder").from("leases").where("name", .equal, SQLBind(name))
            .first(decoding: Row.self)
        return current?.holder == holder
    }
}
