import Fluent
import SQLKit

/// Consultative online polls: a question with options, open between two dates, one vote per
/// account, kept with the region the voter lives or works in (issue 14).
struct M030Polls: AsyncMigration {
    var name: String { "M030Polls" }

    func prepare(on database: any Database) async throws {
        try await database.schema("polls")
            .field("id", .int64, .identifier(auto: true))
            .field("territory_id", .int64)  // none: the whole country
            .field("discussion_id", .int64)
            .field("title_kk", .string, .required)
            .field("title_ru", .string, .required)
            .field("title_en", .string, .required)
            .field("options", .string, .required)  // JSON: [{kk, ru, en}]
            .field("opens", .string, .required)
            .field("closes", .string, .required)
            .field("demo", .bool, .required)
            .create()
        try await database.schema("poll_votes")
            .field("poll_id", .int64, .required, .references("polls", "id", onDelete: .cascade))
            .field("account_id", .uuid)
            .field("choice", .int, .required)
            .field("region_id", .int64)
            .field("created_at", .int64, .required)
            .unique(on: "poll_id", "account_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("poll_votes").delete()
        try await database.schema("polls").delete()
    }
}
