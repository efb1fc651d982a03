import Fluent
import SQLKit

/// Issue 15: everything raised that a body must answer (citizens' appeals, issues raised at
/// meetings and receptions, voters' mandates) in one table followed the same way; visits with
/// their programme of meetings; the register of objects and investment projects.
struct M032AppealsAndVisits: AsyncMigration {
    var name: String { "M032AppealsAndVisits" }

    func prepare(on database: any Database) async throws {
        try await database.schema("appeals")
            .field("id", .int64, .identifier(auto: true))
            .field("number", .string)
            .field("channel", .string, .required)  // online, meeting, reception, mandate
            .field("territory_id", .int64, .required)
            .field("district_id", .int64, .required)  // the bucket similar appeals are grouped in
            .field("region_id", .int, .required)
            .field("topic", .string, .required)
            .field("body_id", .int64)
            .field("author_id", .uuid)
            .field("author_name", .string)  // who raised it (staff only; never public)
            .field("text", .string, .required)
            .field("publishable", .bool, .required)
            .field("public_text", .string)  // masked once when stored: what the public may read
            .field("status", .string, .required)
            .field("registered_on", .string, .required)
            .field("deadline", .string, .required)
            .field("extensions", .int, .required)
            .field("extension_reason", .string)
            .field("answered_on", .string)
            .field("answer", .string)
            .field("answered_by", .string)
            .field("rating", .int)
            .field("rating_note", .string)
            .field("escalations", .int, .required)
            .field("group_id", .int64)
            .field("meeting_id", .int64)
            .field("assignment_id", .int64)
            .field("electoral_district", .string)  // voters' mandates
            .field("history", .string, .required)  // JSON: every step, so that an escalation loses no answer
            .field("created_at", .int64, .required)
            .field("demo", .bool, .required)
            .unique(on: "number")
            .create()
        try await database.schema("visits")
            .field("id", .int64, .identifier(auto: true))
            .field("territory_id", .int64, .required)
            .field("title_kk", .string, .required)
            .field("title_ru", .string, .required)
            .field("title_en", .string, .required)
            .field("starts", .string, .required)
            .field("ends", .string, .required)
            .field("delegation", .string, .required)  // one member per line
            .field("demo", .bool, .required)
            .create()
        try await database.schema("meetings")
            .field("id", .int64, .identifier(auto: true))
            .field("visit_id", .int64, .references("visits", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("territory_id", .int64, .required)
            .field("starts_at", .string, .required)  // local time, 2026-01-08T10:00
            .field("title_kk", .string, .required)
            .field("title_ru", .string, .required)
            .field("title_en", .string, .required)
            .field("address", .string, .required)
            .field("participants", .string, .required)
            .field("agenda", .string, .required)
            .field("minutes", .string)
            .field("object_id", .int64)
            .field("demo", .bool, .required)
            .create()
        try await database.schema("territory_objects")
            .field("id", .int64, .identifier(auto: true))
            .field("territory_id", .int64, .required)
            .field("kind", .string, .required)
            .field("name_kk", .string, .required)
            .field("name_ru", .string, .required)
            .field("name_en", .string, .required)
            .field("body_id", .int64)
            .field("cost", .double)  // thousand tenge
            .field("funding", .string, .required)
            .field("planned_start", .string)
            .field("planned_end", .string)
            .field("actual_end", .string)
            .field("progress", .int, .required)
            .field("budget_line", .string)
            .field("instruction_id", .int64)
            .field("demo", .bool, .required)
            .create()
        // One row that every change to appeals moves on: the version the pages are cached by.
        try await database.schema("appeal_revision")
            .field("id", .int, .identifier(auto: false))
            .field("revision", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.insert(into: "appeal_revision").columns("id", "revision").values(SQLBind(1), SQLBind(0)).run()
        try await sql.create(index: "appeals_body").on("appeals").column("body_id").column("status").run()
        try await sql.create(index: "appeals_author").on("appeals").column("author_id").run()
        try await sql.create(index: "appeals_territory").on("appeals").column("territory_id").run()
        try await sql.create(index: "appeals_bucket").on("appeals").column("district_id").column("topic").run()
        try await sql.create(index: "appeals_region").on("appeals").column("region_id").column("topic").run()
        try await sql.create(index: "appeals_meeting").on("appeals").column("meeting_id").run()
        try await sql.create(index: "appeals_group").on("appeals").column("group_id").run()
        try await sql.create(index: "meetings_visit").on("meetings").column("visit_id").run()
        try await sql.create(index: "meetings_time").on("meetings").column("starts_at").run()
        try await sql.create(index: "territory_objects_territory").on("territory_objects").column("territory_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("territory_objects").delete()
        try await database.schema("meetings").delete()
        try await database.schema("visits").delete()
        try await database.schema("appeals").delete()
        try await database.schema("appeal_revision").delete()
    }
}
