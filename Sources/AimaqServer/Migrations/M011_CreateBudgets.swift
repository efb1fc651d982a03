import Fluent
import SQLKit

/// Budget lines (revenue received, expenditure, revenue collected before it is split) and
/// transfers between budgets. Amounts are whole tenge; `demo` marks generated figures.
struct M011CreateBudgets: AsyncMigration {
    var name: String { "M011CreateBudgets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("budget_lines")
            .field("id", .int64, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("territory_id", .int64, .required)
            .field("level", .int, .required)
            .field("year", .int, .required)
            .field("month", .int, .required)
            .field("code", .string, .required)
            .field("approved", .int64, .required)
            .field("adjusted", .int64, .required)
            .field("executed", .int64, .required)
            .field("demo", .bool, .required)
            .create()
        try await database.schema("budget_transfers")
            .field("id", .int64, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("from_territory", .int64)
            .field("to_territory", .int64)
            .field("year", .int, .required)
            .field("amount", .int64, .required)
            .field("demo", .bool, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await Self.createLineIndexes(on: sql)
        try await sql.create(index: "budget_transfers_year").on("budget_transfers").column("year").column("kind").run()
    }

    /// The indexes of `budget_lines` (a large import drops and rebuilds them).
    static let lineIndexes: [(name: String, columns: [String])] = [
        ("budget_lines_period", ["year", "kind", "month"]),
        ("budget_lines_territory", ["territory_id", "year", "kind", "month"]),
    ]

    static func createLineIndexes(on sql: any SQLDatabase) async throws {
        for index in lineIndexes {
            var builder = sql.create(index: index.name).on("budget_lines")
            for column in index.columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("budget_transfers").delete()
        try await database.schema("budget_lines").delete()
    }
}
