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

    /// The two indexes of budget lines as this migration made them (M012 replaces them with
    /// one, and makes them again when it is reverted).
    static func createLineIndexes(on sql: any SQLDatabase) async throws {
        try await sql.create(index: "budget_lines_period").on("budget_lines").column("year").column("kind").column("month").run()
        try await sql.create(index: "budget_lines_territory").on("budget_lines")
            .column("territory_id").column("year").column("kind").column("month").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("budget_transfers").delete()
        try await database.schema("budget_lines").delete()
    }
}
