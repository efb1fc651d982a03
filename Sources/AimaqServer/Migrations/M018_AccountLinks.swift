import Fluent
import SQLKit

/// One-time links that let a person set their own password (a new account, or a reset by
/// an administrator): only the hash of the link's secret is kept.
struct M018AccountLinks: AsyncMigration {
    var name: String { "M018AccountLinks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("account_links")
            .field("token_hash", .string, .identifier(auto: false))
            .field("account_id", .uuid, .required)
            .field("created_at", .int64, .required)
            .field("expires_at", .int64, .required)
            .field("used_at", .int64)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "account_links_account").on("account_links").column("account_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("account_links").delete()
    }
}
