import Fluent
import SQLKit

/// Copies what the register filters on (the instruction's visibility and category) onto each
/// assignment, and the instruction onto each status change, so that the register counts and
/// the instruction history read one table through an index instead of joining large ones.
struct M009DenormaliseRegister: AsyncMigration {
    var name: String { "M009DenormaliseRegister" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds a single column per ALTER TABLE.
        try await database.schema("assignments").field("is_public", .bool, .required, .sql(.default(true))).update()
        try await database.schema("assignments").field("category", .string, .required, .sql(.default(""))).update()
        try await database.schema("assignment_events")
            .field("instruction_id", .int64)
            .update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("UPDATE assignments SET is_public = (SELECT i.is_public FROM instructions i WHERE i.id = assignments.instruction_id), category = (SELECT i.category FROM instructions i WHERE i.id = assignments.instruction_id)").run()
        try await sql.raw("UPDATE assignment_events SET instruction_id = (SELECT a.instruction_id FROM assignments a WHERE a.id = assignment_events.assignment_id)").run()
        for (index, table, columns) in [
            ("assignments_public_deadline", "assignments", ["is_public", "deadline"]),
            ("assignments_public_territory", "assignments", ["is_public", "territory_id"]),
            ("assignment_events_instruction_at", "assignment_events", ["instruction_id", "at"]),
        ] {
            var builder = sql.create(index: index).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in ["assignments_public_deadline", "assignments_public_territory", "assignment_events_instruction_at"] {
                try await sql.drop(index: index).run()
            }
        }
        try await database.schema("assignment_events").deleteField("instruction_id").update()
        try await database.schema("assignments").deleteField("is_public").update()
        try await database.schema("assignments").deleteField("category").update()
    }
}
