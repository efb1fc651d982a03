import Fluent
import SQLKit

/// Sessions of signed-in people, kept by Aimaq itself (`WebSessions`): the hash of the
/// cookie's secret, the account, when it began and was last used, its CSRF token, and where
/// it signs in from, so that sessions expire on the server and an account can list and end
/// them. Visitors who are not signed in have none. Vapor's session table goes.
struct M016WebSessions: AsyncMigration {
    var name: String { "M016WebSessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions")
            .field("id_hash", .string, .identifier(auto: false))
            .field("account_id", .uuid, .required)
            .field("created_at", .int64, .required)
            .field("seen_at", .int64, .required)
            .field("csrf", .string, .required)
            .field("address", .string, .required)
            .field("agent", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "web_sessions_account").on("web_sessions").column("account_id").run()
        try await sql.drop(table: "_fluent_sessions").ifExists().run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("web_sessions").delete()
        try await SessionRecord.migration.prepare(on: database).get()
    }
}
