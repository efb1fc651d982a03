import Fluent
import SQLKit

/// Notifications about receptions: the deputy hears that a slot was booked, the resident is
/// reminded the day before; each names its meeting.
struct M035MeetingNotifications: AsyncMigration {
    var name: String { "M035MeetingNotifications" }

    func prepare(on database: any Database) async throws {
        try await database.schema("notifications").field("meeting_id", .int64).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notifications").deleteField("meeting_id").update()
    }
}
