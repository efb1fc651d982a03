import AimaqCore
import Crypto
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

    /// The SHA-256 of a file's bytes, in hex.
    static func digest(_ bytes: some Sequence<UInt8>) -> String {
        Hex.sha256(bytes)
    }

    /// `bulk` (by default: files of `indexRebuildThreshold` lines or more) replaces what the
    /// file covers in one pass and builds the index afresh; it is a parameter for the tests.
    /// `sha256` is the digest of the file as received, kept in the audit entry so that the
    /// file can be matched later to what was imported.
    static func write(_ file: BudgetImport.File, app: Application, actor: String, demo: Bool = false, bulk: Bool? = nil,
                      sha256: String? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        let years = file.years.map(String.init).joined(separator: ",")
        let summary = try await AuditLog.record(on: app.db, actor: actor) { db in
            let sql = try db.sql
            let summary: Summary
            switch file {
            case .lines(let lines):
                summary = try await writeLines(lines, sql: sql, demo: demo, bulk: bulk ?? (lines.count >= indexRebuildThreshold),
                                               progress: progress)
            case .transfers(let transfers): summary = try await writeTransfers(transfers, sql: sql, demo: demo)
            }
            let what = if case .lines = file { "lines" } else { "transfers" }
            return (summary, AuditEvent(action: "budget.import", entity: "budget_\(what)", entityID: "file",
                                        before: "{\"replaced\":\(summary.replaced)}",
                                        after: "{\"written\":\(summary.written),\"demo\":\(demo),\"years\":[\(years)]"
                                            + (sha256.map { ",\"sha256\":\"\($0)\"" } ?? "") + "}"))
        }
        await app.followChanges()
        return summary
    }

    private static func writeLines(_ lines: [BudgetImport.Line], sql: any SQLDatabase, demo: Bool, bulk: Bool,
                                   progress: (@Sendable (Int, Int) -> Void)?) async throws -> Summary {
        // A large file goes in faster without index upkeep: the index is dropped and built
        // again afterwards, inside the same transaction.
        if bulk, sql.dialect.name == "sqlite" {
            // Room for the new pages and the index sort in memory (this connection only).
            // Only hints: SQLite refuses to change temporary storage inside a transaction once
            // it is in use (seen on a large upload through the import page), and the import
            // goes on without them.
            try? await sql.raw("PRAGMA cache_size = -262144").run()
            try? await sql.raw("PRAGMA temp_store = MEMORY").run()
        }
        if bulk {
            try await BudgetSchema.dropLineIndexes(on: sql)
        }
        let replaced = bulk ? try await replaceAtOnce(lines, sql: sql) : try await replaceByPeriod(lines, sql: sql)
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
        if bulk { try await BudgetSchema.createLineIndexes(on: sql) }
        return Summary(written: written, replaced: replaced)
    }

    /// Deletes what is stored for the kinds, years, months and territories of the lines, period
    /// by period through the index: for files of a few lines.
    private static func replaceByPeriod(_ lines: [BudgetImport.Line], sql: any SQLDatabase) async throws -> Int {
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
        return replaced
    }

    /// Deletes what is stored for the kinds, years, months and territories of a large file in
    /// one statement: the periods go into a temporary table (of this connection, inside the
    /// transaction), and one pass over the budget lines, with no index to keep, removes
    /// those they cover. Answers how many lines went.
    private static func replaceAtOnce(_ lines: [BudgetImport.Line], sql: any SQLDatabase) async throws -> Int {
        struct Period: Hashable { var kind: BudgetImport.LineKind; var year: Int; var month: Int; var territory: Int }
        let periods = Array(Set(lines.map { Period(kind: $0.kind, year: $0.year, month: $0.month, territory: $0.territory.value) }))
        try await sql.raw("""
            CREATE TEMPORARY TABLE import_periods (kind VARCHAR(16) NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL,
            territory_id BIGINT NOT NULL, PRIMARY KEY (territory_id, year, kind, month))
            """).run()
        for chunk in periods.chunked(into: batch) {
            // Checked values only: a kind from its enum and numbers.
            let values = chunk.map { "('\($0.kind.rawValue)',\($0.year),\($0.month),\($0.territory))" }.joined(separator: ",")
            try await sql.raw("INSERT INTO import_periods (kind, year, month, territory_id) VALUES \(unsafeRaw: values)").run()
        }
        let covered = """
            EXISTS (SELECT 1 FROM import_periods p WHERE p.territory_id = budget_lines.territory_id
            AND p.year = budget_lines.year AND p.kind = budget_lines.kind AND p.month = budget_lines.month)
            """
        let replaced: Int
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DELETE FROM budget_lines WHERE \(unsafeRaw: covered)").run()
            replaced = try await sql.raw("SELECT changes() AS n").first(decodingColumn: "n", as: Int.self) ?? 0
        } else {
            replaced = try await sql.raw("""
                WITH deleted AS (DELETE FROM budget_lines WHERE \(unsafeRaw: covered) RETURNING 1) SELECT COUNT(*) AS n FROM deleted
                """).first(decodingColumn: "n", as: Int.self) ?? 0
        }
        try await sql.raw("DROP TABLE import_periods").run()
        return replaced
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
