/// What a territory's budget looks like in a year, from its revenue by category, its plan
/// and its execution. Amounts are whole tenge.
public struct BudgetFigures: Sendable, Equatable {
    public var tax: Int64 = 0
    public var nonTax: Int64 = 0
    public var saleOfCapital: Int64 = 0
    public var transfers: Int64 = 0
    /// Revenue plan (adjusted where adjusted) and what was executed against it.
    public var plan: Int64 = 0
    public var executed: Int64 = 0
    public var population: Int = 0

    public init(tax: Int64 = 0, nonTax: Int64 = 0, saleOfCapital: Int64 = 0, transfers: Int64 = 0,
                plan: Int64 = 0, executed: Int64 = 0, population: Int = 0) {
        self.tax = tax
        self.nonTax = nonTax
        self.saleOfCapital = saleOfCapital
        self.transfers = transfers
        self.plan = plan
        self.executed = executed
        self.population = population
    }

    public mutating func add(_ amount: Int64, category: RevenueCode.Category) {
        switch category {
        case .tax: tax += amount
        case .nonTax: nonTax += amount
        case .saleOfCapital: saleOfCapital += amount
        case .transfers: transfers += amount
        }
    }

    public var own: Int64 { tax + nonTax + saleOfCapital }
    public var total: Int64 { own + transfers }
    /// Transfers as a share of all revenue, 0…1; nil without revenue.
    public var transferDependence: Double? { total > 0 ? Double(transfers) / Double(total) : nil }
    public var ownPerPerson: Double? { population > 0 ? Double(own) / Double(population) : nil }
    /// Execution against plan; nil without a plan.
    public var execution: Double? { plan > 0 ? Double(executed) / Double(plan) : nil }
}

/// Indicators across territories: change on the year before, rank among peers, the share
/// of a region's local revenue held by its districts and villages.
public enum BudgetIndicators {
    /// Relative change from `before` to `now`; nil when there is no base.
    public static func change(from before: Int64, to now: Int64) -> Double? {
        before != 0 ? Double(now - before) / Double(abs(before)) : nil
    }

    /// Ranks from 1 (the highest value) among territories that have a value; equal values
    /// share a rank (1, 2, 2, 4). Ties are ordered by key so the result is stable.
    public static func rank<Key: Comparable & Hashable>(_ values: [Key: Double]) -> [Key: Int] {
        let ordered = values.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var ranks: [Key: Int] = [:]
        var previous: Double?
        var rank = 0
        for (index, entry) in ordered.enumerated() {
            if entry.value != previous { rank = index + 1 }
            ranks[entry.key] = rank
            previous = entry.value
        }
        return ranks
    }

    /// The share of a region's own local revenue (its own budget plus those of its districts
    /// and villages) held below the regional level: the figure the programme quotes as 70%.
    public static func shareBelowRegion(regional: Int64, below: Int64) -> Double? {
        let total = regional + below
        return total > 0 ? Double(below) / Double(total) : nil
    }
}

/// Equalisation: for a standard of own revenue per person, what each territory below it
/// would need to reach it, and the total.
public enum Equalisation {
    public struct Need: Sendable, Equatable {
        public var territory: Int
        /// Whole tenge; 0 for territories at or above the standard.
        public var amount: Int64
    }

    /// `standard` is tenge of own revenue per person. A territory with `population` people and
    /// `own` revenue needs `standard × population − own` when that is positive. Sorted by
    /// need, largest first.
    public static func needs(standard: Int64, territories: [(territory: Int, own: Int64, population: Int)])
        -> (needs: [Need], total: Int64) {
        var needs: [Need] = []
        var total: Int64 = 0
        for entry in territories {
            let target = standard * Int64(entry.population)
            let amount = max(0, target - entry.own)
            needs.append(Need(territory: entry.territory, amount: amount))
            total += amount
        }
        needs.sort { $0.amount != $1.amount ? $0.amount > $1.amount : $0.territory < $1.territory }
        return (needs, total)
    }
}
