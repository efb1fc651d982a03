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
        Prepared(collected, tree: tree).compare(codes: nil, before: before, after: after)
    }

    /// A year's collected revenue made ready for what-ifs: per code, each territory's amount
    /// with the budget every level's share goes to, resolved once when the year is read. A
    /// what-if then costs two splits per territory that collected the code, whatever else
    /// the year holds.
    public struct Prepared: Sendable {
        struct Item: Sendable {
            var amount: Int64
            var year: Int
            var home: BudgetLevel
            /// Positions in `budgets` of the budget that takes each level (republican first).
            var targets: (Int32, Int32, Int32, Int32)
        }

        /// Every budget that can receive anything; position 0 is the republican budget.
        public let budgets: [Budget]
        let items: [RevenueCode: [Item]]
        /// What was collected of each code, summed once.
        let totals: [RevenueCode: Int64]

        /// Nothing collected.
        public init() {
            budgets = [.republican]
            items = [:]
            totals = [:]
        }

        public init(_ collected: [Collected], tree: TerritoryTree) {
            var positions: [Budget: Int32] = [.republican: 0]
            var budgets: [Budget] = [.republican]
            func position(_ budget: Budget) -> Int32 {
                if let known = positions[budget] { return known }
                let next = Int32(budgets.count)
                positions[budget] = next
                budgets.append(budget)
                return next
            }
            var resolved: [KATOCode: (BudgetLevel, (Int32, Int32, Int32, Int32))] = [:]
            var items: [RevenueCode: [Item]] = [:]
            for entry in collected {
                let (home, targets) = resolved[entry.territory] ?? {
                    let levels = RevenueAllocation.budgets(for: entry.territory, in: tree)
                    func target(_ level: BudgetLevel) -> Int32 { position(levels[level] ?? levels[.regional] ?? .republican) }
                    let home = tree[entry.territory].map { BudgetLevel(territory: $0.level) } ?? .regional
                    let value = (home, (target(.republican), target(.regional), target(.district), target(.local)))
                    resolved[entry.territory] = value
                    return value
                }()
                items[entry.code, default: []].append(Item(amount: entry.amount, year: entry.year, home: home, targets: targets))
            }
            self.budgets = budgets
            self.items = items
            totals = items.mapValues { $0.reduce(0) { $0 + $1.amount } }
        }

        /// The collected total of the codes (every code when nil).
        public func collected(codes: [RevenueCode]?) -> Int64 {
            codes.map { $0.reduce(0) { $0 + (totals[$1] ?? 0) } } ?? totals.values.reduce(0, +)
        }

        /// What each budget receives of the codes (every code when nil) before and after.
        public func compare(codes: [RevenueCode]?, before: DistributionRules,
                            after: DistributionRules) -> [Budget: (before: Int64, after: Int64)] {
            var result: [Budget: (before: Int64, after: Int64)] = [:]
            for change in changes(codes: codes, before: before, after: after) {
                result[budgets[change.position]] = (change.before, change.after)
            }
            return result
        }

        /// The same by position in `budgets`, for callers that keep facts per position.
        public func changes(codes: [RevenueCode]?, before: DistributionRules,
                            after: DistributionRules) -> [(position: Int, before: Int64, after: Int64)] {
            var totals = [(before: Int64, after: Int64)](repeating: (0, 0), count: budgets.count)
            var touched = [Bool](repeating: false, count: budgets.count)
            for code in Set(codes ?? Array(items.keys)) {
                var splitters: [Int: (DistributionRules.Splitter, DistributionRules.Splitter)] = [:]
                for item in items[code] ?? [] {
                    let (old, new) = splitters[item.year] ?? {
                        let pair = (before.splitter(of: code, in: item.year), after.splitter(of: code, in: item.year))
                        splitters[item.year] = pair
                        return pair
                    }()
                    func target(_ level: BudgetLevel) -> Int {
                        switch level {
                        case .republican: Int(item.targets.0)
                        case .regional: Int(item.targets.1)
                        case .district: Int(item.targets.2)
                        case .local: Int(item.targets.3)
                        }
                    }
                    old.split(item.amount, collectedAt: item.home) { level, amount in
                        guard amount != 0 else { return }
                        totals[target(level)].before += amount
                        touched[target(level)] = true
                    }
                    new.split(item.amount, collectedAt: item.home) { level, amount in
                        guard amount != 0 else { return }
                        totals[target(level)].after += amount
                        touched[target(level)] = true
                    }
                }
            }
            return budgets.indices.compactMap { touched[$0] ? ($0, totals[$0].before, totals[$0].after) : nil }
        }
    }
}
