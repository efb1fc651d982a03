import Fluent
import SQLKit

/// Opinion-map conversations (issue 14): short statements that participants submit and
/// moderators approve, the participants (each with the region they vote from) and every vote
/// cast, in the order it was stored. The latest vote on a statement counts; the history is
/// kept for the Polis export and for rebuilding the map.
struct M027Conversations: AsyncMigration {
    var name: String { "M027Conversations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("conversations")
            .field("id", .int64, .identifier(auto: true))
            .field("discussion_id", .int64, .references("discussions", "id", onDelete: .cascade))
            .field("territory_id", .int64)  // none: the whole country
            .field("title_kk", .string, .required)
            .field("title_ru", .string, .required)
            .field("title_en", .string, .required)
            .field("opens", .string, .required)
            .field("closes", .string, .required)
            .field("demo", .bool, .required)
            .field("revision", .int, .required)  // goes up with every change to the statements
            .create()
        try await database.schema("conversation_statements")
            .field("id", .int64, .identifier(auto: true))
            .field("conversation_id", .int64, .required, .references("conversations", "id", onDelete: .cascade))
            .field("author_id", .uuid)
            .field("text", .string, .required)
            .field("status", .string, .required)  // pending, approved, rejected
            .field("created_at", .int64, .required)
            .field("moderated_by", .string)
            .field("external_id", .int64)
            .create()
        try await database.schema("conversation_participants")
            .field("id", .int64, .identifier(auto: true))
            .field("conversation_id", .int64, .required, .references("conversations", "id", onDelete: .cascade))
            .field("account_id", .uuid)
            .field("region_id", .int64)
            .field("external_id", .int64)
            .field("created_at", .int64, .required)
            .unique(on: "conversation_id", "account_id")
            .create()
        try await database.schema("conversation_votes")
            .field("id", .int64, .identifier(auto: true))
            .field("conversation_id", .int64, .required)
            .field("statement_id", .int64, .required)
            .field("participant_id", .int64, .required)
            .field("value", .int, .required)
            .field("created_at", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "conversation_votes_order").on("conversation_votes").column("conversation_id").column("id").run()
        try await sql.create(index: "conversation_votes_participant").on("conversation_votes")
            .column("conversation_id").column("participant_id").run()
        try await sql.create(index: "conversation_statements_list").on("conversation_statements")
            .column("conversation_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("conversation_votes").delete()
        try await database.schema("conversation_participants").delete()
        try await database.schema("conversation_statements").delete()
        try await database.schema("conversations").delete()
    }
}
