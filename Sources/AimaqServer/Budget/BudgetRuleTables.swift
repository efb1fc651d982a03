import AimaqCore
import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// Rule tables that visitors load into the what-if, kept under an id derived from their text
/// so that a what-if over them can be shared by its address. A table is checked like the
/// bundled one (every share exact, each code summing to one) before it is kept.
enum BudgetRuleTables {
    static let maxBytes = 256 * 1024
    /// Tables one account may keep: enough for any study, not a free file store.
    static let perAccount = 50

    struct QuotaReached: Error {}

    /// The first 16 hex digits of the SHA-256 of the text with its line ends made `\n`.
    static func id(of text: String) -> String {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        return Hex.string(SHA256.hash(data: Data(normalised.utf8)).prefix(8))
    }

    static func isID(_ text: String) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Checks a table; the error says what and where.
    static func check(_ text: String) -> Result<DistributionRules, CSVReader.ParseError> {
        guard text.utf8.count <= maxBytes else {
            return .failure(CSVReader.ParseError(line: 1, column: 1, message: "a rule table is at most \(maxBytes / 1024) KiB"))
        }
        let rules: DistributionRules
        do {
            rules = try DistributionRules.parse(text)
        } catch {
            return .failure(error)
        }
        guard !rules.years.isEmpty else {
            return .failure(CSVReader.ParseError(line: 2, column: 1, message: "the table names no rule"))
        }
        return .success(rules)
    }

    /// Keeps a checked table (once: the same text has the same id) and answers its id.
    static func store(_ text: String, account: UUID, actor: String, on db: any Database) async throws -> String {
        let id = id(of: text)
        @Sendable func kept(on db: any Database) async throws -> Bool {
            try await (db as! any SQLDatabase).select().column("id").from("budget_rule_tables")
                .where("id", .equal, SQLBind(id)).first() != nil
        }
        guard try await !kept(on: db) else { return id }
        let owned = try await (db as! any SQLDatabase).select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("budget_rule_tables").where("account_id", .equal, SQLBind(account))
            .first(decodingColumn: "n", as: Int.self) ?? 0
        guard owned < perAccount else { throw QuotaReached() }
        try await AuditLog.record(on: db, actor: actor) { db in
            // Loaded by someone else a moment ago: kept once.
            let sql = db as! any SQLDatabase
            guard try await !kept(on: db) else {
                return ((), AuditEvent(action: "budget.rule-table", entity: "budget_rule_tables", entityID: id, before: nil, after: nil))
            }
            try await sql.insert(into: "budget_rule_tables")
                .columns("id", "text", "account_id", "created_at")
                .values(SQLBind(id), SQLBind(text), SQLBind(account), SQLBind(KazakhstanTime.nowMilliseconds()))
                .run()
            return ((), AuditEvent(action: "budget.rule-table", entity: "budget_rule_tables", entityID: id,
                                   before: nil, after: "{\"bytes\":\(text.utf8.count)}"))
        }
        return id
    }

    /// A kept table, or nil when no table has that id.
    static func load(_ id: String, on db: any SQLDatabase) async throws -> DistributionRules? {
        guard let text = try await db.select().column("text").from("budget_rule_tables")
            .where("id", .equal, SQLBind(id)).first(decodingColumn: "text", as: String.self) else { return nil }
        return try? DistributionRules.parse(text)
    }
}
