import Fluent
import SQLKit

/// The second factor: each account's TOTP secret (and the one being enrolled, and the last
/// step used), and recovery codes kept as hashes.
struct M019SecondFactor: AsyncMigration {
    var name: String { "M019SecondFactor" }

    func prepare(on database: any Database) async throws {
        try await database.schema("accounts").field("totp_secret", .string).update()
        try await database.schema("accounts").field("totp_pending", .string).update()
        try await database.schema("accounts").field("totp_last_step", .int64).update()
        try await database.schema("recovery_codes")
            .field("code_hash", .string, .identifier(auto: false))
            .field("account_id", .uuid, .required)
            .field("used_at", .int64)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "recovery_codes_account").on("recovery_codes").column("account_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("recovery_codes").delete()
        try await database.schema("accounts").deleteField("totp_last_step").update()
        try await database.schema("accounts").deleteField("totp_pending").update()
        try await database.schema("accounts").deleteField("totp_secret").update()
    }
}
