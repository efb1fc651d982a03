import Fluent

struct M003CreateAccounts: AsyncMigration {
    var name: String { "M003CreateAccounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("accounts")
            .id()
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("territory_id", .int64)
            .field("active", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("accounts").delete()
    }
}
