import AimaqCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// Recovery codes: ten one-time codes shown once at enrolment, kept as hashes.
extension SecondFactorController {
    static func normalised(_ code: String) -> String { code.uppercased().filter { $0.isLetter || $0.isNumber } }

    /// Ten new codes (the old ones end), returned to be shown once; kept as SHA-256.
    static func newRecoveryCodes(account: UUID, on db: any SQLDatabase) async throws -> [String] {
        try await db.delete(from: "recovery_codes").where("account_id", .equal, SQLBind(account)).run()
        var codes: [String] = []
        var insert = db.insert(into: "recovery_codes").columns("code_hash", "account_id")
        for _ in 0..<10 {
            let text = Base32.encode([UInt8].random(count: 7))  // 56 bits, 12 characters
            let shown = String(text.prefix(6)) + "-" + String(text.dropFirst(6).prefix(6))
            codes.append(shown)
            insert = insert.values(SQLBind(WebSessions.hash(normalised(shown))), SQLBind(account))
        }
        try await insert.run()
        return codes
    }

    /// True when `code` is an unused recovery code of the account (it is used up now).
    static func useRecoveryCode(_ code: String, account: UUID, on db: any SQLDatabase) async throws -> Bool {
        let hash = WebSessions.hash(normalised(code))
        guard normalised(code).count == 12,
              try await db.select().column("code_hash").from("recovery_codes").where("code_hash", .equal, SQLBind(hash))
                .where("account_id", .equal, SQLBind(account)).where("used_at", .is, SQLLiteral.null).first() != nil else { return false }
        try await db.update("recovery_codes").set("used_at", to: SQLBind(KazakhstanTime.nowMilliseconds()))
            .where("code_hash", .equal, SQLBind(hash)).run()
        return true
    }
}
