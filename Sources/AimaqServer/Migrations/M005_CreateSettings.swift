import Fluent

/// Facts about the installation itself (for example that it holds demo data).
struct M005CreateSettings: AsyncMigration {
    var name: String { "M005CreateSettings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("settings")
            .field("id", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("settings").delete()
    }
}
