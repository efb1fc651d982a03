import AimaqCore
import Vapor

/// Reads a budget file against the territory tree and the classification.
enum BudgetImporter {
    struct Parsed: Sendable {
        var file: BudgetImport.File
        var count: Int {
            switch file {
            case .lines(let lines): lines.count
            case .transfers(let transfers): transfers.count
            }
        }
        var what: String { if case .lines = file { "budget lines" } else { "transfers" } }
        /// Every territory the file writes for (for the importer's scope).
        var territories: Set<KATOCode> {
            switch file {
            case .lines(let lines): Set(lines.map(\.territory))
            case .transfers(let transfers): Set(transfers.flatMap { [$0.from, $0.to].compactMap { $0 } })
            }
        }
    }

    static func parse(_ text: String, app: Application) async -> Result<Parsed, BudgetImport.Problems> {
        let tree = app.aimaq.territories.tree
        return await BudgetImport.parse(text, classification: app.aimaq.budget.classification,
                                        level: { tree[$0]?.level }, parent: { tree[$0]?.parent })
            .map { Parsed(file: $0) }
    }
}
