/// Which share of each revenue code each budget level keeps, year by year: data, so that any
/// law (or a what-if) can be loaded. Shares are held in ten-thousandths (basis points of a
/// percent: 0.6 is 6,000), so that they sum to exactly one and split money without drift.
public struct DistributionRules: Sendable, Equatable {
    public static let whole = 10_000

    /// year → code → level → share in ten-thousandths.
    public private(set) var shares: [Int: [RevenueCode: [BudgetLevel: Int]]] = [:]

    public init() {}

    /// Sets the shares of one code in one year; they must sum to exactly one.
    public mutating func set(year: Int, code: RevenueCode, shares new: [BudgetLevel: Int]) throws(RuleError) {
        guard new.values.allSatisfy({ $0 >= 0 }), new.values.reduce(0, +) == Self.whole else {
            throw RuleError(message: "the shares of \(code) in \(year) sum to \(Self.format(new.values.reduce(0, +))), not 1")
        }
        shares[year, default: [:]][code] = new.filter { $0.value > 0 }
    }

    public struct RuleError: Error, Equatable, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public var years: [Int] { shares.keys.sorted() }

    /// The shares of a code in a year; nil when the table says nothing of it.
    public func shares(of code: RevenueCode, in year: Int) -> [BudgetLevel: Int]? { shares[year]?[code] }

    /// Splits `amount` (whole tenge; negative for refunds) of `code` collected in `year`
    /// between the levels. The parts always add up to `amount` exactly: each level gets its
    /// share rounded down, and the tenge left over go one by one to the largest remainders
    /// (the lower level number first on a tie). A code the table does not name stays where
    /// it was collected (`collectedAt`).
    public func split(_ amount: Int64, of code: RevenueCode, in year: Int,
                      collectedAt: BudgetLevel) -> [BudgetLevel: Int64] {
        var parts: [BudgetLevel: Int64] = [:]
        splitter(of: code, in: year).split(amount, collectedAt: collectedAt) { parts[$0] = $1 }
        return parts
    }

    /// The rule of one code in one year, looked up and ordered once, for splitting many
    /// amounts (a what-if splits every territory's receipts of a code twice).
    public func splitter(of code: RevenueCode, in year: Int) -> Splitter {
        Splitter(levels: (shares(of: code, in: year) ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, UInt64($0.value)) })
    }

    public struct Splitter: Sendable {
        let levels: [(level: BudgetLevel, share: UInt64)]

        /// Hands each level its part of `amount`, as `DistributionRules.split` describes.
        public func split(_ amount: Int64, collectedAt: BudgetLevel, into part: (BudgetLevel, Int64) -> Void) {
            guard !levels.isEmpty else { return part(collectedAt, amount) }
            let magnitude = amount.magnitude
            var quotients: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            var remainders: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            var given: UInt64 = 0
            withUnsafeMutableBytes(of: &quotients) { q in
                withUnsafeMutableBytes(of: &remainders) { r in
                    let q = q.bindMemory(to: UInt64.self), r = r.bindMemory(to: UInt64.self)
                    for (index, entry) in levels.enumerated() {
                        let (high, low) = magnitude.multipliedFullWidth(by: entry.share)
                        (q[index], r[index]) = UInt64(DistributionRules.whole).dividingFullWidth((high, low))
                        given += q[index]
                    }
                    // The tenge left over go one by one to the largest remainders, the lower
                    // level first on a tie (fewer than one per level).
                    var left = magnitude - given
                    while left > 0 {
                        var best = -1
                        for index in levels.indices where best < 0 || r[index] > r[best] { best = index }
                        q[best] += 1
                        r[best] = 0
                        left -= 1
                    }
                    for (index, entry) in levels.enumerated() {
                        part(entry.level, amount < 0 ? -Int64(q[index]) : Int64(q[index]))
                    }
                }
            }
        }
    }

    /// A copy in which `share` (ten-thousandths of the collected amount) of `code` moves from
    /// one level to another in `year`, for a what-if. The moved share cannot exceed what the
    /// `from` level keeps.
    public func moving(_ share: Int, of code: RevenueCode, in year: Int, from: BudgetLevel,
                       to: BudgetLevel) throws(RuleError) -> DistributionRules {
        var rule = shares(of: code, in: year) ?? [:]
        let held = rule[from] ?? 0
        guard share >= 0, share <= held else {
            throw RuleError(message: "level \(from.rawValue) keeps \(Self.format(held)) of \(code) in \(year); cannot move \(Self.format(share))")
        }
        rule[from] = held - share
        rule[to, default: 0] += share
        var copy = self
        try copy.set(year: year, code: code, shares: rule)
        return copy
    }

    /// A copy in which every code that `other` names for `source` takes that rule in `year`:
    /// a second rule table laid over this one, for a what-if. Codes it does not name keep
    /// their rule. Answers the codes whose shares change, in order.
    public func overlaid(with other: DistributionRules, from source: Int, onto year: Int)
        -> (rules: DistributionRules, changed: [RevenueCode]) {
        var copy = self
        var changed: [RevenueCode] = []
        for (code, rule) in other.shares[source] ?? [:] where shares(of: code, in: year) != rule {
            copy.shares[year, default: [:]][code] = rule
            changed.append(code)
        }
        return (copy, changed.sorted())
    }

    /// `6000` → `0.6`.
    public static func format(_ share: Int) -> String {
        let whole = share / Self.whole, fraction = share % Self.whole
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 4 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// Reads a share written with at most four decimals (`0.6`, `1`, `0.3333`), exactly.
    public static func parseShare(_ text: String) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy(\.isNumber),
              let whole = Int(parts[0]), whole <= 1 else { return nil }
        var fraction = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...4).contains(digits.count), digits.allSatisfy(\.isNumber), let value = Int(digits) else { return nil }
            fraction = value * [1, 1_000, 100, 10, 1][digits.count]
        }
        let share = whole * Self.whole + fraction
        return share <= Self.whole ? share : nil
    }

    /// Reads `year,code,level,share`. Every line is checked, and each (year, code) must sum
    /// to exactly one; an error names the line and column (for a sum, the code's first line).
    public static func parse(_ text: String) throws(CSVReader.ParseError) -> DistributionRules {
        var collected: [Int: [RevenueCode: [BudgetLevel: Int]]] = [:]
        var firstLine: [String: Int] = [:]
        for record in try CSVReader().records(text, required: ["year", "code", "level", "share"]) {
            func fail(_ column: String, _ message: String) -> CSVReader.ParseError {
                CSVReader.ParseError(line: record.line, column: record.column(of: column), message: message)
            }
            guard let year = Int(record["year"]), (2000...2100).contains(year) else {
                throw fail("year", "a year is four digits, got \"\(record["year"])\"")
            }
            guard let code = RevenueCode(record["code"]), code.depth == .specific else {
                throw fail("code", "rules are per six-digit revenue code, got \"\(record["code"])\"")
            }
            guard let number = Int(record["level"]), let level = BudgetLevel(rawValue: number) else {
                throw fail("level", "a budget level is 1, 2, 3 or 4, got \"\(record["level"])\"")
            }
            guard let share = parseShare(record["share"]) else {
                throw fail("share", "a share is a number from 0 to 1 with at most four decimals, got \"\(record["share"])\"")
            }
            guard collected[year]?[code]?[level] == nil else {
                throw fail("level", "level \(number) of \(code) in \(year) is given twice")
            }
            collected[year, default: [:]][code, default: [:]][level] = share
            firstLine["\(year):\(code)"] = firstLine["\(year):\(code)"] ?? record.line
        }
        var rules = DistributionRules()
        for (year, codes) in collected {
            for (code, levels) in codes {
                do {
                    try rules.set(year: year, code: code, shares: levels)
                } catch {
                    throw CSVReader.ParseError(line: firstLine["\(year):\(code)"] ?? 0, column: 4, message: error.message)
                }
            }
        }
        return rules
    }
}
