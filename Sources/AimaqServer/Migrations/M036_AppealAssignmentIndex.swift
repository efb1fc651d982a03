import Fluent
import SQLKit

/// The assignment page looks up the appeals and issues it was made from: without an index that
/// read every appeal (20,000 in the demo) on every page.
struct M036AppealAssignmentIndex: AsyncMigration {
    var name: String { "M036AppealAssignmentIndex" }

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).create(index: "appeals_assignment").on("appeals").column("assignment_id").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).drop(index: "appeals_assignment").run()
    }
}
