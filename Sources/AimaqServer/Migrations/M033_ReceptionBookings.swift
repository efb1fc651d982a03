import Fluent
import SQLKit

/// Deputies' receptions (issue 15): a reception is a meeting of kind `reception` split into
/// slots; a signed-in resident books one slot, with what they want to raise.
struct M033ReceptionBookings: AsyncMigration {
    var name: String { "M033ReceptionBookings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("reception_bookings")
            .field("id", .int64, .identifier(auto: true))
            .field("meeting_id", .int64, .required, .references("meetings", "id", onDelete: .cascade))
            .field("slot", .int, .required)
            .field("account_id", .uuid, .required)
            .field("name", .string, .required)
            .field("topic", .string, .required)
            .field("note", .string, .required)
            .field("created_at", .int64, .required)
            .unique(on: "meeting_id", "slot")
            .unique(on: "meeting_id", "account_id")
            .create()
        // How many slots of 15 minutes a reception offers (none for other meetings).
        try await database.schema("meetings").field("slots", .int).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("meetings").deleteField("slots").update()
        try await database.schema("reception_bookings").delete()
    }
}
