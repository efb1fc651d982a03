import Fluent
import SQLKit

/// Road maps of complex instructions: the milestones an assignment's body set, in order,
/// with who gave them and when (Government decree No. 209 of 11 April 2022).
struct M022RoadMaps: AsyncMigration {
    var name: String { "M022RoadMaps" }

    func prepare(on database: any Database) async throws {
        try await database.schema("road_map_milestones")
            .field("id", .int64, .identifier(auto: true))
            .field("assignment_id", .int64, .required, .references("assignments", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("due", .string, .required)
            .field("text", .string, .required)
            .field("submitted_at", .int64, .required)
            .field("author", .string, .required)
            .field("author_role", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "road_map_milestones_assignment").on("road_map_milestones").column("assignment_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("road_map_milestones").delete()
    }
}
