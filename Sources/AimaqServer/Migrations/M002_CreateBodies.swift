import Fluent

struct M002CreateBodies: AsyncMigration {
    var name: String { "M002CreateBodies" }

    func prepare(on database: any Database) async throws {
        try await database.schema("bodies")
            .field("id", .int64, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("territory_id", .int64)
            .field("name_kk", .string, .required)
            .field("name_ru", .string, .required)
            .field("name_en", .string, .required)
            .field("valid_from", .string)
            .field("valid_to", .string)
            .field("seats", .int)
            .create()
        try await database.schema("body_members")
            .field("id", .int64, .identifier(auto: true))
            .field("body_id", .int64, .required, .references("bodies", "id", onDelete: .cascade))
            .field("person_name", .string, .required)
            .field("role", .string, .required)
            .field("commission", .string)
            .field("term_from", .string)
            .field("term_to", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("body_members").delete()
        try await database.schema("bodies").delete()
    }
}
