/// Applies a rule table to revenue collected in territories: each amount is split between
/// the republican budget and the budgets of the region, district and village (or rural
/// district) where it was collected. What was collected is always exactly what the budgets
/// receive, to the tenge.
public enum RevenueAllocation {
    /// Revenue of one code collected in one territory in one year.
    public struct Collected: Sendable, Equatable {
        public var territory: KATOCode
        public var code: RevenueCode
        public var year: Int
        public var amount: Int64

        public init(territory: KATOCode, code: RevenueCode, year: Int, amount: Int64) {
            self.territory = territory
            self.code = code
            self.year = year
            self.amount = amount
        }
    }

    /// The budget that receives a level's share of revenue collected in a territory.
    public enum Budget: Hashable, Sendable, Comparable {
        case republican
        case territory(KATOCode)

        public static func < (a: Budget, b: Budget) -> Bool {
            switch (a, b) {
            case (.republican, .territory): true
            case (.territory(let x), .territory(let y)): x.value < y.value
            default: false
            }
        }
    }

    /// Who keeps which level for a territory: its region (level 2), the district above it or
    /// itself (level 3) and itself at level 4. A level the territory has no budget for (the
    /// districts of a city of republican significance, or level 4 for revenue collected at
    /// district level) folds into the nearest budget above it.
    public static func budgets(for territory: KATOCode, in tree: TerritoryTree) -> [BudgetLevel: Budget] {
        let chain = ([tree[territory]].compactMap { $0 } + tree.ancestors(of: territory).reversed())
        let region = chain.first { $0.level == .region }
        let district = chain.first { $0.level == .district }
        let local = chain.last { $0.level >= .ruralDistrict }
        var result: [BudgetLevel: Budget] = [.republican: .republican]
        guard let region else { return result }
        result[.regional] = .territory(region.code)
        // A city of republican significance keeps one budget for all its parts.
        let isCity = region.kind == .republicanCity
        let districtBudget: Budget = (!isCity ? district : nil).map { .territory($0.code) } ?? .territory(region.code)
        result[.district] = districtBudget
        result[.local] = (!isCity ? local : nil).map { .territory($0.code) } ?? districtBudget
        return result
    }

    /// Receipts per budget and code for one year: the collected amounts split by `rules`.
    public static func receipts(_ collected: [Collected], rules: DistributionRules, tree: TerritoryTree)
        -> [Budget: [RevenueCode: Int64]] {
        var result: [Budget: [RevenueCode: Int64]] = [:]
        var budgetsCache: [KATOCode: [BudgetLevel: Budget]] = [:]
        for item in collected {
            let budgets = budgetsCache[item.territory] ?? budgets(for: item.territory, in: tree)
            budgetsCache[item.territory] = budgets
            let home = tree[item.territory].map { BudgetLevel(territory: $0.level) } ?? .regional
            for (level, amount) in rules.split(item.amount, of: item.code, in: item.year, collectedAt: home) where amount != 0 {
                let budget = budgets[level] ?? budgets[.regional] ?? .republican
                result[budget, default: [:]][item.code, default: 0] += amount
            }
        }
        return result
    }
}

extension RevenueAllocation {
    /// What each budget receives of the collected revenue under two rule tables: the what-if.
    /// The differences add up to zero over all budgets (the republican one included), since
    /// every split adds up to what was collected.
    public static func compare(_ collected: [Collected], before: DistributionRules, after: DistributionRules,
                               tree: TerritoryTree) -> [Budget: (before: Int64, after: Int64)] {
        var result: [Budget: (before: Int64, after: Int64)] = [:]
        for (budget, codes) in receipts(collected, rules: before, tree: tree) {
            result[budget, default: (0, 0)].before += codes.values.reduce(0, +)
        }
        for (budget, codes) in receipts(collected, rules: after, tree: tree) {
            result[budget, default: (0, 0)].after += codes.values.reduce(0, +)
        }
        return result
    }
}
