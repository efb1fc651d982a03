import Fluent

/// The audit log. The entry's sequence number is its primary key, so two writers that race
/// for the same place in the chain cannot both succeed: the loser retries on top of the winner.
struct M004CreateAuditEntries: AsyncMigration {
    var name: String { "M004CreateAuditEntries" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_entries")
            .field("id", .int64, .identifier(auto: false))
            .field("timestamp", .int64, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_entries").delete()
    }
}
