import AimaqCore
import Foundation
import SQLKit
import Vapor

/// The budget classification and rule table (bundled data files), and the per-year figures
/// the pages and the API read, kept in memory until an import changes them.
final class BudgetState: ReadModel {
    let classification: BudgetClassification
    let rules: DistributionRules
    /// Each year is read at first use and again after an import that touches it (the change
    /// feed brings imports made on other servers or on the command line).
    private let years = LoadedValues<Int, BudgetYear>()
    /// Loaded rule tables never change (the id is derived from the text): read once. An id
    /// with no table is not remembered (another server may keep that table a moment later).
    private let ruleTables = LoadedValues<String, DistributionRules>()

    init(classification: BudgetClassification, rules: DistributionRules) {
        self.classification = classification
        self.rules = rules
    }

    /// Reads the bundled classification and rule table; a bad file stops the start with its
    /// name, line and column.
    static func bundled() throws -> BudgetState {
        func file(_ name: String) throws -> String { try BundledFile.text(name, folder: "Resources/Data/budget") }
        do {
            let classification = try BudgetClassification.parse(revenue: try file("revenue-codes.csv"),
                                                                 functions: try file("expenditure-functions.csv"))
            let rules = try DistributionRules.parse(try file("distribution-rules.csv"))
            return BudgetState(classification: classification, rules: rules)
        } catch let error as CSVReader.ParseError {
            throw DataFolderError(description: "budget data: \(error)")
        }
    }

    /// Each year is read again at its next use.
    func invalidate() { years.invalidate() }

    func apply(_ changes: [Change], db: any SQLDatabase) async throws {
        var touched: Set<Int> = []
        var all = false
        for change in changes where change.entity == "budget_lines" || change.entity == "budget_transfers" {
            let listed = change.numbers("years")
            if listed.isEmpty { all = true } else { touched.formUnion(listed) }
        }
        if all { years.invalidate() } else { for year in touched { years.invalidate(year) } }
    }

    /// A rule table loaded for the what-if, or nil when no table has that id.
    func ruleTable(_ id: String, db: any SQLDatabase) async throws -> DistributionRules? {
        struct NoSuchTable: Error {}
        do {
            return try await ruleTables.value(id) {
                guard let table = try await BudgetRuleTables.load(id, on: db) else { throw NoSuchTable() }
                return table
            }.value
        } catch is NoSuchTable {
            return nil
        }
    }

    /// The figures of one year, with the version pages rendered from them are kept under.
    func year(_ year: Int, db: any SQLDatabase, tree: TerritoryTree) async throws -> (figures: BudgetYear, version: Int) {
        let loaded = try await years.value(year) { [classification, rules] in
            try await BudgetYear.load(year, db: db, tree: tree, classification: classification, rules: rules)
        }
        return (loaded.value, loaded.version)
    }
}
