import Fluent
import SQLKit

/// A discussion's revision, raised with every change its draft page shows (a version, a
/// comment, an opinion map), so that the page can be kept rendered until then (issue 14).
struct M028DiscussionRevision: AsyncMigration {
    var name: String { "M028DiscussionRevision" }

    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE discussions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("ALTER TABLE discussions DROP COLUMN revision").run()
    }
}
