import Fluent
import SQLKit

/// Comments on the articles of a draft, with one level of replies, support and opposition,
/// moderation and visitors' reports (issue 14).
struct M025Comments: AsyncMigration {
    var name: String { "M025Comments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("comments")
            .field("id", .int64, .identifier(auto: true))
            .field("discussion_id", .int64, .required, .references("discussions", "id", onDelete: .cascade))
            .field("anchor", .string, .required)
            .field("version", .int, .required)
            .field("parent_id", .int64)
            .field("author_id", .uuid, .required)
            .field("author", .string, .required)
            .field("text", .string, .required)
            .field("created_at", .int64, .required)
            .field("support", .int, .required)
            .field("oppose", .int, .required)
            .field("hidden_reason", .string)
            .field("hidden_by", .string)
            .field("reports", .int, .required)
            .create()
        try await database.schema("comment_votes")
            .field("comment_id", .int64, .required, .references("comments", "id", onDelete: .cascade))
            .field("account_id", .uuid, .required)
            .field("value", .int, .required)
            .unique(on: "comment_id", "account_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "comments_article").on("comments").column("discussion_id").column("anchor").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("comment_votes").delete()
        try await database.schema("comments").delete()
    }
}
