import Fluent
import SQLKit

/// Source documents, instructions, their indicators, assignments and the status history.
struct M007CreateInstructionControl: AsyncMigration {
    var name: String { "M007CreateInstructionControl" }

    func prepare(on database: any Database) async throws {
        try await database.schema("source_documents")
            .field("id", .int64, .identifier(auto: true))
            .field("kind", .string, .required)
            .field("date", .string, .required)
            .field("number", .string)
            .field("title", .string, .required)
            .field("issuer_body_id", .int64, .references("bodies", "id"))
            .create()
        try await database.schema("instructions")
            .field("id", .int64, .identifier(auto: true))
            .field("source_id", .int64, .required, .references("source_documents", "id"))
            .field("point", .string, .required)
            .field("text", .string, .required)
            .field("category", .string, .required)
            .field("lead_body_id", .int64, .references("bodies", "id"))
            .field("co_executors", .string)
            .field("deadline", .string, .required)
            .field("period", .string, .required)
            .field("completion_form", .string)
            .field("is_public", .bool, .required)
            .field("weight", .double, .required)
            .create()
        try await database.schema("instruction_indicators")
            .field("id", .int64, .identifier(auto: true))
            .field("instruction_id", .int64, .required, .references("instructions", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("unit", .string, .required)
            .field("target", .double, .required)
            .field("lower_is_better", .bool, .required)
            .create()
        try await database.schema("assignments")
            .field("id", .int64, .identifier(auto: true))
            .field("instruction_id", .int64, .required, .references("instructions", "id", onDelete: .cascade))
            .field("territory_id", .int64, .required)
            .field("body_id", .int64, .references("bodies", "id"))
            .field("parent_id", .int64)
            .field("deadline", .string, .required)
            .field("status", .string, .required)
            .field("weight", .double, .required)
            .field("completion", .double)
            .field("evidence_public", .bool, .required)
            .field("updated_at", .int64, .required)
            .create()
        try await database.schema("assignment_events")
            .field("id", .int64, .identifier(auto: true))
            .field("assignment_id", .int64, .required, .references("assignments", "id", onDelete: .cascade))
            .field("at", .int64, .required)
            .field("actor", .string, .required)
            .field("event", .string, .required)
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("reason", .string)
            .field("deadline", .string)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (index, table, columns) in [
            ("instructions_source", "instructions", ["source_id"]),
            ("indicators_instruction", "instruction_indicators", ["instruction_id"]),
            ("assignments_instruction", "assignments", ["instruction_id"]),
            ("assignments_territory", "assignments", ["territory_id"]),
            ("assignments_status_deadline", "assignments", ["status", "deadline"]),
            ("assignments_deadline", "assignments", ["deadline"]),
            ("assignments_body", "assignments", ["body_id"]),
            ("assignment_events_assignment", "assignment_events", ["assignment_id"]),
        ] {
            var builder = sql.create(index: index).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["assignment_events", "assignments", "instruction_indicators", "instructions", "source_documents"] {
            try await database.schema(table).delete()
        }
    }
}
