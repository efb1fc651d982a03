import Fluent

/// The role of whoever acted, beside their name, in an assignment's history, on reports and
/// on reviews: pages and the API show people by name and role, never by e-mail.
struct M020ActorRoles: AsyncMigration {
    var name: String { "M020ActorRoles" }

    func prepare(on database: any Database) async throws {
        try await database.schema("assignment_events").field("actor_role", .string).update()
        try await database.schema("reports").field("author_role", .string).update()
        try await database.schema("reviews").field("reviewer_role", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("reviews").deleteField("reviewer_role").update()
        try await database.schema("reports").deleteField("author_role").update()
        try await database.schema("assignment_events").deleteField("actor_role").update()
    }
}
