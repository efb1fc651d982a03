import AimaqCore
import SQLKit
import Vapor

/// The budget section of a territory page: this year's budget with the two before it, or
/// nothing when the year has no figures for the territory.
struct BudgetSection: TerritorySection {
    func version(for code: KATOCode, _ request: Request) async throws -> Int {
        try await BudgetController.load(request, request.aimaq.clock.today().year).version
    }

    func render(for code: KATOCode, _ request: Request) async throws -> Node? {
        let year = request.aimaq.clock.today().year
        let (current, version) = try await BudgetController.load(request, year)
        let previous = try await BudgetController.load(request, year - 1).figures
        let before = try await BudgetController.load(request, year - 2).figures
        // A territory with its own budget, or with budgets below it (read only when it has none).
        guard current.budgets[code.value] != nil || current.consolidated(code, tree: request.tree).total > 0 else {
            return nil
        }
        return try await request.aimaq.pages.fragment("budget-section:\(code):\(year):\(request.language)", version: version) {
            let months = try await BudgetController.monthly(code, year: year, on: request.sql)
            return BudgetViews.section(code, year: current, previous: previous, before: before, months: months,
                                      classification: request.aimaq.budget.classification, request.page)
        }
    }
}
