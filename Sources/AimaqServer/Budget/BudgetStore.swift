import AimaqCore
import Fluent
import SQLKit
import Vapor

/// Writes a checked budget file in one transaction with one audit entry. A file replaces what
/// is stored for the same period and territories: budget lines of the same kind, year, month
/// and territory; transfers of the same kind, year, sender and receiver.
enum BudgetStore {
    struct Summary: Sendable, Equatable {
        var written: Int
        var replaced: Int
    }

    /// Rows per INSERT statement: values are written as checked literals (numbers, and codes
    /// that are digits), which both databases parse faster than as many binds.
    static let batch = 1_000
    static let indexRebuildThreshold = 100_000

    static func write(_ file: BudgetImport.File, app: Application, actor: String, demo: Bool = false,
                      progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        defer { app.aimaq.budget.invalidate() }
        return try await AuditLog.record(on: app.db, actor: actor) { db in
            let sql = try db.sql
            let summary: Summary
            switch file {
            case .lines(let lines): summary = try await writeLines(lines, sql: sql, demo: demo, progress: progress)
            case .transfers(let transfers): summary = try await writeTransfers(transfers, sql: sql, demo: demo)
            }
            let what = if case .lines = file { "lines" } else { "transfers" }
            return (summary, AuditEvent(action: "budget.import", entity: "budget_\(what)", entityID: "file",
                                        before: "{\"replaced\":\(summary.replaced)}",
                                        after: "{\"written\":\(summary.written),\"demo\":\(demo)}"))
        }
    }

    private static func writeLines(_ lines: [BudgetImport.Line], sql: any SQLDatabase, demo: Bool,
                                   progress: (@Sendable (Int, Int) -> Void)?) async throws -> Summary {
        struct Period: Hashable { var kind: String; var year: Int; var month: Int }
        var territories: [Period: Set<Int>] = [:]
        for line in lines {
            territories[Period(kind: line.kind.rawValue, year: line.year, month: line.month), default: []].insert(line.territory.value)
        }
        var replaced = 0
        for (period, codes) in territories {
            for chunk in Array(codes).sorted().chunked(into: 500) {
                func matching<Builder: SQLPredicateBuilder>(_ query: Builder) -> Builder {
                    query.where("kind", .equal, SQLBind(period.kind)).where("year", .equal, SQLBind(period.year))
                        .where("month", .equal, SQLBind(period.month)).where("territory_id", .in, SQLBind.group(Array(chunk)))
                }
                let before = try await count(matching(sql.select().from("budget_lines")))
                guard before > 0 else { continue }
                replaced += before
                try await matching(sql.delete(from: "budget_lines")).run()
            }
        }
        // A large file goes in faster without index upkeep: the indexes are dropped and built
        // again afterwards, inside the same transaction.
        let rebuild = lines.count >= indexRebuildThreshold
        if rebuild, sql.dialect.name == "sqlite" {
            // Room for the new pages and the index sort in memory (this connection only).
            try await sql.raw("PRAGMA cache_size = -262144").run()
            try await sql.raw("PRAGMA temp_store = MEMORY").run()
        }
        if rebuild {
            for index in M012ReindexBudgetLines.lineIndexes { try await sql.drop(index: index.name).run() }
        }
        // The next statement is built on another core while the database runs this one.
        let chunks = lines.chunked(into: batch)
        func statement(_ index: Int) -> Task<String, Never>? {
            guard index < chunks.count else { return nil }
            let chunk = chunks[index]
            return Task { insertStatement(chunk, demo: demo) }
        }
        var written = 0
        var next = statement(0)
        for index in chunks.indices {
            guard let text = await next?.value else { break }
            next = statement(index + 1)
            try await sql.raw(SQLQueryString(stringLiteral: text)).run()
            written += chunks[index].count
            progress?(written, lines.count)
        }
        if rebuild { try await M012ReindexBudgetLines.createLineIndexes(on: sql) }
        return Summary(written: written, replaced: replaced)
    }

    /// One multi-row INSERT; every value is a checked number or a code of digits.
    static func insertStatement(_ lines: ArraySlice<BudgetImport.Line>, demo: Bool) -> String {
        let flag = demo ? "TRUE" : "FALSE"
        var text = "INSERT INTO budget_lines (kind, territory_id, level, year, month, code, approved, adjusted, executed, demo) VALUES "
        text.reserveCapacity(lines.count * 80)
        for (index, line) in lines.enumerated() {
            if index > 0 { text += "," }
            text += "('\(line.kind.rawValue)',\(line.territory.value),\(line.level.rawValue),\(line.year),\(line.month),'\(line.code)',"
            text += "\(line.approved),\(line.adjusted),\(line.executed),\(flag))"
        }
        return text
    }

    private static func writeTransfers(_ transfers: [BudgetImport.Transfer], sql: any SQLDatabase, demo: Bool) async throws -> Summary {
        struct Key: Hashable { var kind: String; var year: Int; var from: Int?; var to: Int? }
        var replaced = 0
        for key in Set(transfers.map { Key(kind: $0.kind.rawValue, year: $0.year, from: $0.from?.value, to: $0.to?.value) }) {
            func matching<Builder: SQLPredicateBuilder>(_ query: Builder) -> Builder {
                let query = query.where("kind", .equal, SQLBind(key.kind)).where("year", .equal, SQLBind(key.year))
                    .where("from_territory", key.from == nil ? .is : .equal, key.from.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                return query.where("to_territory", key.to == nil ? .is : .equal, key.to.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            }
            let before = try await count(matching(sql.select().from("budget_transfers")))
            if before > 0 {
                replaced += before
                try await matching(sql.delete(from: "budget_transfers")).run()
            }
        }
        for chunk in transfers.chunked(into: batch) {
            var insert = sql.insert(into: "budget_transfers").columns("kind", "from_territory", "to_territory", "year", "amount", "demo")
            for transfer in chunk {
                insert = insert.values([SQLBind(transfer.kind.rawValue), SQLBind(transfer.from?.value), SQLBind(transfer.to?.value),
                                        SQLBind(transfer.year), SQLBind(transfer.amount), SQLBind(demo)] as [any SQLExpression])
            }
            try await insert.run()
        }
        return Summary(written: transfers.count, replaced: replaced)
    }

    private static func count(_ query: SQLSelectBuilder) async throws -> Int {
        try await query.column(SQLAlias(SQLQueryString("COUNT(*)"), as: SQLIdentifier("n"))).first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
