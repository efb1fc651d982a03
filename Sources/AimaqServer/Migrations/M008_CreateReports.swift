import Fluent
import SQLKit

/// Reports with indicator values and evidence files, reviews, notifications, API tokens,
/// and the body an account works for.
struct M008CreateReports: AsyncMigration {
    var name: String { "M008CreateReports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("reports")
            .field("id", .int64, .identifier(auto: true))
            .field("assignment_id", .int64, .required, .references("assignments", "id", onDelete: .cascade))
            .field("period", .string, .required)
            .field("text", .string, .required)
            .field("author_id", .uuid)
            .field("author", .string, .required)
            .field("submitted_at", .int64, .required)
            .field("state", .string, .required)
            .create()
        try await database.schema("report_values")
            .field("id", .int64, .identifier(auto: true))
            .field("report_id", .int64, .required, .references("reports", "id", onDelete: .cascade))
            .field("indicator_id", .int64, .required, .references("instruction_indicators", "id", onDelete: .cascade))
            .field("value", .double, .required)
            .create()
        try await database.schema("evidence_files")
            .field("id", .int64, .identifier(auto: true))
            .field("report_id", .int64, .required, .references("reports", "id", onDelete: .cascade))
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("stored_name", .string, .required)
            .field("sha256", .string, .required)
            .create()
        try await database.schema("reviews")
            .field("id", .int64, .identifier(auto: true))
            .field("report_id", .int64, .required, .references("reports", "id", onDelete: .cascade))
            .field("reviewer_id", .uuid)
            .field("reviewer", .string, .required)
            .field("decision", .string, .required)
            .field("remarks", .string)
            .field("at", .int64, .required)
            .create()
        try await database.schema("notifications")
            .field("id", .int64, .identifier(auto: true))
            .field("account_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("assignment_id", .int64)
            .field("created_at", .int64, .required)
            .field("read_at", .int64)
            .field("dedupe_key", .string)
            .unique(on: "dedupe_key")
            .create()
        try await database.schema("api_tokens")
            .field("id", .int64, .identifier(auto: true))
            .field("account_id", .uuid, .required)
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .int64, .required)
            .field("last_used_at", .int64)
            .unique(on: "token_hash")
            .create()
        try await database.schema("accounts")
            .field("body_id", .int64)
            .update()
        guard let sql = database as? any SQLDatabase else { return }
        for (index, table, column) in [
            ("reports_assignment", "reports", "assignment_id"),
            ("report_values_report", "report_values", "report_id"),
            ("evidence_report", "evidence_files", "report_id"),
            ("reviews_report", "reviews", "report_id"),
            ("notifications_account", "notifications", "account_id"),
        ] {
            try await sql.create(index: index).on(table).column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("accounts").deleteField("body_id").update()
        for table in ["api_tokens", "notifications", "reviews", "evidence_files", "report_values", "reports"] {
            try await database.schema(table).delete()
        }
    }
}
