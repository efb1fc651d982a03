/// How far an assignment is, from 0 to 1, and how that rolls up to an instruction and to
/// every level of the territory tree.
public enum Completion {
    /// An indicator with its target and the latest reported value.
    public struct Indicator: Sendable, Equatable {
        public var target: Double
        public var actual: Double?
        /// True when less is better (for example days of waiting); completion is then target / actual.
        public var lowerIsBetter: Bool
        public init(target: Double, actual: Double?, lowerIsBetter: Bool = false) {
            self.target = target
            self.actual = actual
            self.lowerIsBetter = lowerIsBetter
        }

        /// 0…1; a missing value counts as 0.
        public var completion: Double {
            guard let actual, target.isFinite, actual.isFinite else { return 0 }
            if lowerIsBetter {
                if actual <= target { return 1 }
                return actual > 0 ? min(1, max(0, target / actual)) : 1
            }
            if target == 0 { return actual >= 0 ? 1 : 0 }
            return min(1, max(0, actual / target))
        }
    }

    /// Completion implied by the status alone, used when an assignment has no indicators.
    public static func completion(of status: AssignmentStatus) -> Double? {
        switch status {
        case .registered, .assigned: 0
        case .inProgress, .extended, .returned: 0.25
        case .reportSubmitted: 0.5
        case .accepted: 1
        case .removedFromControl: nil // no longer counted
        }
    }

    /// Completion of one assignment: an accepted one is complete; otherwise the mean of its
    /// indicators, or the status figure when it has none. `nil` when it no longer counts.
    public static func completion(status: AssignmentStatus, indicators: [Indicator]) -> Double? {
        if status == .accepted { return 1 }
        guard let byStatus = completion(of: status) else { return nil }
        guard !indicators.isEmpty else { return byStatus }
        return indicators.reduce(0) { $0 + $1.completion } / Double(indicators.count)
    }

    /// A completion figure with the weight it carries in a roll-up.
    public struct Weighted: Sendable, Equatable {
        public var completion: Double
        public var weight: Double
        public init(completion: Double, weight: Double = 1) {
            self.completion = completion
            self.weight = weight
        }
    }

    /// The weighted mean, or nil when nothing counts (no items or zero weight).
    public static func rollUp(_ items: [Weighted]) -> Double? {
        let total = items.reduce(0) { $0 + max(0, $1.weight) }
        guard total > 0 else { return nil }
        return items.reduce(0) { $0 + $1.completion * max(0, $1.weight) } / total
    }

    /// Rolls completion up the territory tree: each assignment counts for its own territory
    /// and for every ancestor. Returns the completion and the number of assignments per code.
    public static func rollUp(byTerritory items: [(territory: KATOCode, item: Weighted)],
                              tree: TerritoryTree) -> [KATOCode: (completion: Double, count: Int)] {
        var sums: [KATOCode: (weighted: Double, weight: Double, count: Int)] = [:]
        sums.reserveCapacity(items.count * 2)
        func add(_ code: KATOCode, _ item: Weighted, _ weight: Double) {
            var sum = sums[code] ?? (0, 0, 0)
            sum.weighted += item.completion * weight
            sum.weight += weight
            sum.count += 1
            sums[code] = sum
        }
        for (territory, item) in items {
            let weight = max(0, item.weight)
            add(territory, item, weight)
            if tree.contains(territory) {
                for code in tree.ancestorCodes(of: territory) { add(code, item, weight) }
            } else {
                for code in territory.nominalAncestors where code != territory { add(code, item, weight) }
            }
        }
        return sums.compactMapValues { sum in
            sum.weight > 0 ? (sum.weighted / sum.weight, sum.count) : nil
        }
    }
}
