import Fluent
import SQLKit

/// Corrects the People's Council of installations made before: its name is Kazakhstan Halyk
/// Kenesi, and it is a consultative body, whose members are members (not deputies).
struct M021PeoplesCouncilName: AsyncMigration {
    var name: String { "M021PeoplesCouncilName" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let name = BodyDraft.peoplesCouncilName
        try await sql.update("bodies")
            .set("name_kk", to: SQLBind(name.kk)).set("name_ru", to: SQLBind(name.ru)).set("name_en", to: SQLBind(name.en))
            .where("kind", .equal, SQLBind("peoples_council"))
            .run()
        try await sql.update("body_members").set("role", to: SQLBind("member"))
            .where("role", .equal, SQLBind("deputy"))
            .where("body_id", .in, SQLGroupExpression(
                sql.select().column("id").from("bodies").where("kind", .equal, SQLBind("peoples_council")).select))
            .run()
    }

    /// The old names are not restored: they were wrong.
    func revert(on database: any Database) async throws {}
}
