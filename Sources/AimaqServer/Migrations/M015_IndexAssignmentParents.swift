import Fluent
import SQLKit

/// The assignment page lists the assignments handed down from it: without an index that was a
/// scan of the whole register (22 ms at 50,000 assignments).
struct M015IndexAssignmentParents: AsyncMigration {
    var name: String { "M015IndexAssignmentParents" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "assignments_parent").on("assignments").column("parent_id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "assignments_parent").run()
    }
}
