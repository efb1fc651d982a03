import SQLKit

/// The indexes of `budget_lines`, described once: the migration creates them and a large
/// import drops and rebuilds them from the same description.
enum BudgetSchema {
    /// Year first serves the load of a year, the lines of a year in territory order (the
    /// API's order, without sorting the year), a territory's months, and the replacement of
    /// a period on import.
    static let lineIndexes: [(name: String, columns: [String])] = [
        ("budget_lines_year", ["year", "territory_id", "kind", "month"]),
    ]

    static func createLineIndexes(on sql: any SQLDatabase) async throws {
        for index in lineIndexes {
            var builder = sql.create(index: index.name).on("budget_lines")
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    static func dropLineIndexes(on sql: any SQLDatabase) async throws {
        for index in lineIndexes { try await sql.drop(index: index.name).ifExists().run() }
    }
}
