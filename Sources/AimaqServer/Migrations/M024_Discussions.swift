import Fluent
import SQLKit

/// Public and expert discussions of drafts, and the drafts' versions (issue 14). A version
/// keeps the whole document (sections, articles, anchors) as JSON: versions are read whole
/// and compared article by article.
struct M024Discussions: AsyncMigration {
    var name: String { "M024Discussions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("discussions")
            .field("id", .int64, .identifier(auto: true))
            .field("territory_id", .int64)  // none: the whole country
            .field("body_id", .int64)
            .field("title_kk", .string, .required)
            .field("title_ru", .string, .required)
            .field("title_en", .string, .required)
            .field("opens", .string, .required)
            .field("expert_review", .string, .required)
            .field("dispositions", .string, .required)
            .field("closes", .string, .required)
            .field("demo", .bool, .required)
            .create()
        try await database.schema("draft_versions")
            .field("id", .int64, .identifier(auto: true))
            .field("discussion_id", .int64, .required, .references("discussions", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("document", .string, .required)
            .field("created_at", .int64, .required)
            .field("created_by", .string, .required)
            .unique(on: "discussion_id", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("draft_versions").delete()
        try await database.schema("discussions").delete()
    }
}
