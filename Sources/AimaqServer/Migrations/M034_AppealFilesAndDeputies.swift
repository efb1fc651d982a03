import Fluent
import SQLKit

/// Issue 15, second part: files attached to appeals, answers and meetings (minutes, photos),
/// checked like evidence; appeals addressed to a deputy and the contact of whoever raised an
/// issue at a meeting; who hosted a meeting and for which body; notifications about appeals.
struct M034AppealFilesAndDeputies: AsyncMigration {
    var name: String { "M034AppealFilesAndDeputies" }

    func prepare(on database: any Database) async throws {
        try await database.schema("appeal_files")
            .field("id", .int64, .identifier(auto: true))
            .field("appeal_id", .int64)
            .field("meeting_id", .int64)
            .field("purpose", .string, .required)  // appeal, answer, minutes, photo
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int64, .required)
            .field("stored_name", .string, .required)
            .field("sha256", .string, .required)
            .field("uploaded_at", .int64, .required)
            .create()
        try await database.schema("appeals").field("deputy_id", .uuid).update()
        // How to tell whoever raised an issue at a meeting (staff only; never public).
        try await database.schema("appeals").field("contact", .string).update()
        try await database.schema("meetings").field("host_id", .uuid).update()
        try await database.schema("meetings").field("body_id", .int64).update()
        try await database.schema("notifications").field("appeal_id", .int64).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "appeal_files_appeal").on("appeal_files").column("appeal_id").run()
        try await sql.create(index: "appeal_files_meeting").on("appeal_files").column("meeting_id").run()
        try await sql.create(index: "appeals_deputy").on("appeals").column("deputy_id").run()
        try await sql.create(index: "meetings_host").on("meetings").column("host_id").run()
        try await sql.create(index: "meetings_body").on("meetings").column("body_id").run()
    }

    func revert(on database: any Database) async throws {
        // SQLite drops no column an index still names.
        if let sql = database as? any SQLDatabase {
            for index in ["meetings_body", "meetings_host", "appeals_deputy"] {
                try await sql.drop(index: index).run()
            }
        }
        try await database.schema("notifications").deleteField("appeal_id").update()
        try await database.schema("meetings").deleteField("body_id").update()
        try await database.schema("meetings").deleteField("host_id").update()
        try await database.schema("appeals").deleteField("contact").update()
        try await database.schema("appeals").deleteField("deputy_id").update()
        try await database.schema("appeal_files").delete()
    }
}
