import Fluent
import SQLKit

/// Departments of akimats are bodies too: each names the akimat it belongs to (`parent_id`)
/// and the instruction categories it answers for (`remit`, space-separated codes).
struct M010AddAkimatDepartments: AsyncMigration {
    var name: String { "M010AddAkimatDepartments" }

    func prepare(on database: any Database) async throws {
        // SQLite takes one column per ALTER TABLE.
        try await database.schema("bodies").field("parent_id", .int64).update()
        try await database.schema("bodies").field("remit", .string).update()
        try await (database as! any SQLDatabase).create(index: "bodies_parent").on("bodies").column("parent_id").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "bodies_parent").run()
        try await database.schema("bodies").deleteField("remit").update()
        try await database.schema("bodies").deleteField("parent_id").update()
    }
}
