import Fluent

struct M001CreateTerritories: AsyncMigration {
    var name: String { "M001CreateTerritories" }

    func prepare(on database: any Database) async throws {
        try await database.schema("territories")
            .field("id", .int64, .identifier(auto: false))
            .field("parent_id", .int64)
            .field("kind", .string, .required)
            .field("name_kk", .string, .required)
            .field("name_ru", .string, .required)
            .field("name_en", .string, .required)
            .field("iso", .string)
            .field("population", .int64)
            .field("population_note", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("territories").delete()
    }
}
