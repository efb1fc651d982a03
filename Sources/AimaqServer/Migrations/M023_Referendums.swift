import Fluent
import SQLKit

/// Referendums and polls with their results by territory (issue 14).
struct M023Referendums: AsyncMigration {
    var name: String { "M023Referendums" }

    func prepare(on database: any Database) async throws {
        try await database.schema("referendums")
            .field("id", .int64, .identifier(auto: true))
            .field("held_on", .string, .required)
            .field("kind", .string, .required)
            .field("title_kk", .string, .required)
            .field("title_ru", .string, .required)
            .field("title_en", .string, .required)
            .field("question_kk", .string, .required)
            .field("question_ru", .string, .required)
            .field("question_en", .string, .required)
            .field("rules", .string, .required)
            .field("demo", .bool, .required)
            .create()
        try await database.schema("referendum_results")
            .field("referendum_id", .int64, .required, .references("referendums", "id", onDelete: .cascade))
            .field("territory_id", .int64, .required)
            .field("eligible", .int64, .required)
            .field("participants", .int64, .required)
            .field("answers", .string, .required)
            .field("invalid", .int64, .required)
            .field("recorded_at", .int64, .required)
            .field("recorded_by", .string, .required)
            .unique(on: "referendum_id", "territory_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("referendum_results").delete()
        try await database.schema("referendums").delete()
    }
}
