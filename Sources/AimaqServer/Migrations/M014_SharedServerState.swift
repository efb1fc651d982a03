import Fluent
import SQLKit

/// What several servers on one database must share: failed sign-ins (the throttle), leases
/// (one server at a time runs the deadline sweep) and evidence files kept in the database.
struct M014SharedServerState: AsyncMigration {
    var name: String { "M014SharedServerState" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_failures")
            .field("id", .int, .identifier(auto: true))
            .field("key", .string, .required)
            .field("at", .double, .required)
            .create()
        try await database.schema("leases")
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("until", .double, .required)
            .create()
        try await database.schema("evidence_blobs")
            .field("stored_name", .string, .identifier(auto: false))
            .field("data", .data, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "sign_in_failures_key").on("sign_in_failures").column("key").column("at").run()
        try await sql.create(index: "sign_in_failures_at").on("sign_in_failures").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("evidence_blobs").delete()
        try await database.schema("leases").delete()
        try await database.schema("sign_in_failures").delete()
    }
}
