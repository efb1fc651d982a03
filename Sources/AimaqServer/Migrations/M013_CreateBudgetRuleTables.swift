import Fluent

/// Rule tables loaded for a what-if, kept so that the what-if can be shared by its address.
/// The id is derived from the text, so the same table always has the same address.
struct M013CreateBudgetRuleTables: AsyncMigration {
    var name: String { "M013CreateBudgetRuleTables" }

    func prepare(on database: any Database) async throws {
        try await database.schema("budget_rule_tables")
            .field("id", .string, .identifier(auto: false))
            .field("text", .string, .required)
            .field("account_id", .uuid, .required)
            .field("created_at", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("budget_rule_tables").delete()
    }
}
