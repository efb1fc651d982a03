import Fluent
import SQLKit

/// The electorate of a referendum by territory, imported before the vote, against which
/// counting progress is shown (issue 14).
struct M031ReferendumElectorate: AsyncMigration {
    var name: String { "M031ReferendumElectorate" }

    func prepare(on database: any Database) async throws {
        try await database.schema("referendum_electorate")
            .field("referendum_id", .int64, .required, .references("referendums", "id", onDelete: .cascade))
            .field("territory_id", .int64, .required)
            .field("eligible", .int64, .required)
            .unique(on: "referendum_id", "territory_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("referendum_electorate").delete()
    }
}
