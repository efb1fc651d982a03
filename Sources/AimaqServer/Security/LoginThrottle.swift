import AimaqCore
import Foundation
import SQLKit

/// Rate limits of signing in, kept in the database so that every server behind a load
/// balancer counts the same failures. Wrong passwords lock the pair of account and address
/// (so a stranger cannot lock an official out from elsewhere), an address that tries many
/// accounts, and, far higher, an account tried from many addresses. The account is told
/// when its pair is locked.
struct LoginThrottle: Sendable {
    var perPair = 5
    var perAddress = 20
    var perAccount = 100
    /// Window length in seconds.
    var window: Double = 15 * 60

    static func pairKey(_ email: String, _ address: String) -> String { "pair:" + address + "|" + email }
    static func addressKey(_ address: String) -> String { "address:" + address }
    static func accountKey(_ email: String) -> String { "account:" + email }

    private struct Row: Decodable {
        var key: String
        var at: Double
    }

    private func limits(account: String, address: String) -> [(String, Int)] {
        [(Self.pairKey(account, address), perPair), (Self.addressKey(address), perAddress), (Self.accountKey(account), perAccount)]
    }

    /// Seconds to wait before this account may try again from this address; nil when it may.
    func retryAfter(account: String, address: String, db: any SQLDatabase) async throws -> Double? {
        let now = Date().timeIntervalSince1970
        let limits = limits(account: account, address: address)
        let rows = try await db.select().columns("key", "at").from("sign_in_failures")
            .where("key", .in, SQLBind.group(limits.map(\.0)))
            .where("at", .greaterThan, SQLBind(now - window))
            .orderBy("at")
            .all(decoding: Row.self)
        return limits.compactMap { key, limit in
            AttemptLimiter.retryAfter(failures: rows.filter { $0.key == key }.map(\.at), limit: limit, window: window, now: now)
        }.max()
    }

    /// Counts a failure; true when it has just locked the pair (the moment to tell the account).
    @discardableResult
    func recordFailure(account: String, address: String, db: any SQLDatabase) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        var insert = db.insert(into: "sign_in_failures").columns("key", "at")
        for (key, _) in limits(account: account, address: address) { insert = insert.values(SQLBind(key), SQLBind(now)) }
        try await insert.run()
        // What left the window is of no use: the table holds at most one window of failures.
        try await db.delete(from: "sign_in_failures").where("at", .lessThan, SQLBind(now - window)).run()
        let pair = try await db.select().columns("key", "at").from("sign_in_failures")
            .where("key", .equal, SQLBind(Self.pairKey(account, address))).all(decoding: Row.self)
        return pair.count == perPair
    }

    func recordSuccess(account: String, address: String, db: any SQLDatabase) async throws {
        try await db.delete(from: "sign_in_failures")
            .where("key", .equal, SQLBind(Self.pairKey(account, address))).run()
    }
}
