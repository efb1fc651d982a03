import Fluent
import SQLKit

/// Proposals of amendment to a draft's articles, their support and the responsible body's
/// dispositions (issue 14).
struct M026Proposals: AsyncMigration {
    var name: String { "M026Proposals" }

    func prepare(on database: any Database) async throws {
        try await database.schema("proposals")
            .field("id", .int64, .identifier(auto: true))
            .field("discussion_id", .int64, .required, .references("discussions", "id", onDelete: .cascade))
            .field("anchor", .string, .required)
            .field("version", .int, .required)
            .field("author_id", .uuid, .required)
            .field("author", .string, .required)
            .field("wording", .string, .required)
            .field("justification", .string, .required)
            .field("created_at", .int64, .required)
            .field("support", .int, .required)
            .field("disposition", .string)
            .field("disposition_reason", .string)
            .field("disposed_by", .string)
            .create()
        try await database.schema("proposal_supports")
            .field("proposal_id", .int64, .required, .references("proposals", "id", onDelete: .cascade))
            .field("account_id", .uuid, .required)
            .unique(on: "proposal_id", "account_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("proposal_supports").delete()
        try await database.schema("proposals").delete()
    }
}
