import Fluent
import SQLKit

/// Experts' signed opinions on a draft or on its articles, with an attached file (issue 14).
struct M029ExpertOpinions: AsyncMigration {
    var name: String { "M029ExpertOpinions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("expert_opinions")
            .field("id", .int64, .identifier(auto: true))
            .field("discussion_id", .int64, .required, .references("discussions", "id", onDelete: .cascade))
            .field("anchor", .string)  // none: the whole draft
            .field("version", .int, .required)
            .field("author_id", .uuid, .required)
            .field("author", .string, .required)
            .field("affiliation", .string, .required)
            .field("position", .string, .required)
            .field("text", .string, .required)
            .field("file_name", .string)
            .field("content_type", .string)
            .field("size", .int)
            .field("stored_name", .string)
            .field("file_sha256", .string)
            .field("digest", .string, .required)
            .field("created_at", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("expert_opinions").delete()
    }
}
