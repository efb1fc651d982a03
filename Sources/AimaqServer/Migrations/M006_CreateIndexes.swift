import Fluent
import SQLKit

/// Indexes that list pages and scope checks lean on; plain SQL that both databases accept.
struct M006CreateIndexes: AsyncMigration {
    var name: String { "M006CreateIndexes" }

    private let indexes: [(name: String, table: String, column: String)] = [
        ("territories_parent", "territories", "parent_id"),
        ("bodies_territory", "bodies", "territory_id"),
        ("body_members_body", "body_members", "body_id"),
        ("accounts_territory", "accounts", "territory_id"),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in indexes {
            try await sql.create(index: index.name).on(index.table).column(index.column).run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        for index in indexes {
            try await sql.drop(index: index.name).run()
        }
    }
}
