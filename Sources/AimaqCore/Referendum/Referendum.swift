import Foundation

/// Referendums and polls: tallies by territory, their roll-up through the territory tree,
/// the progress of counting, and the verdict under validity rules that are data.
///
/// The rules of the Constitutional Law of 2 November 1995 No. 2592 "On the republican
/// referendum" are the default (`ReferendumRules.republican`): valid when more than half of
/// the eligible took part; passed when more than half of those who took part said yes; for
/// the Constitution also a majority in at least two thirds of the regions. How the two
/// thirds are rounded is marked (verify) in DOMAIN.md ("with 17 regions in 2022 that meant
/// 11") and is a setting.

/// An exact share `numerator / denominator`, compared without floating point.
public struct Ratio: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, _ denominator: Int) {
        precondition(denominator > 0 && numerator >= 0 && numerator <= denominator, "a ratio lies between 0 and 1")
        self.numerator = numerator
        self.denominator = denominator
    }

    public static let half = Ratio(1, 2)
    public static let twoThirds = Ratio(2, 3)

    /// `count / base` is strictly more than this share.
    public func isExceeded(by count: Int, of base: Int) -> Bool {
        base > 0 && count * denominator > base * numerator
    }

    /// The smallest whole number of `total` that reaches this share: rounded up, or down.
    public func count(of total: Int, rounding: Rounding) -> Int {
        let product = total * numerator
        switch rounding {
        case .up: return (product + denominator - 1) / denominator
        case .down: return product / denominator
        }
    }

    public enum Rounding: String, Sendable, Codable { case up, down }

    public var description: String { "\(numerator)/\(denominator)" }
}

/// One territory's protocol: the eligible voters, the ballots issued (those who took part),
/// the votes for each answer in the question's order (a yes/no question: yes, then no), and
/// the invalid ballots. A sum of protocols is a tally too.
public struct Tally: Sendable, Equatable, Codable {
    public var eligible: Int
    public var participants: Int
    public var answers: [Int]
    public var invalid: Int

    public init(eligible: Int, participants: Int, answers: [Int], invalid: Int) {
        self.eligible = eligible
        self.participants = participants
        self.answers = answers
        self.invalid = invalid
    }

    public static func empty(answers: Int) -> Tally {
        Tally(eligible: 0, participants: 0, answers: Array(repeating: 0, count: answers), invalid: 0)
    }

    /// Ballots found valid.
    public var valid: Int { answers.reduce(0, +) }
    /// Ballots found in the boxes, valid or not.
    public var cast: Int { valid + invalid }

    public static func + (left: Tally, right: Tally) -> Tally {
        precondition(left.answers.count == right.answers.count, "tallies of one question")
        return Tally(eligible: left.eligible + right.eligible, participants: left.participants + right.participants,
                     answers: zip(left.answers, right.answers).map { $0 + $1 }, invalid: left.invalid + right.invalid)
    }

    /// What makes a protocol impossible, said plainly (nothing when it adds up).
    public func problems() -> [Problem] {
        var found: [Problem] = []
        if eligible < 0 || participants < 0 || invalid < 0 || answers.contains(where: { $0 < 0 }) { found.append(.negative) }
        if participants > eligible { found.append(.moreParticipantsThanEligible(participants: participants, eligible: eligible)) }
        if cast > participants { found.append(.moreBallotsThanIssued(cast: cast, issued: participants)) }
        return found
    }

    public enum Problem: Sendable, Equatable {
        case negative
        case moreParticipantsThanEligible(participants: Int, eligible: Int)
        case moreBallotsThanIssued(cast: Int, issued: Int)
    }
}

/// What the share of yes is counted against.
public enum PassBase: String, Sendable, Codable, CaseIterable {
    /// Everyone who took part (ballots issued): the official percentages of 2022 and 2026.
    case participants
    /// Ballots found in the boxes, valid or not.
    case cast
    /// Valid ballots only.
    case valid

    public func base(of tally: Tally) -> Int {
        switch self {
        case .participants: tally.participants
        case .cast: tally.cast
        case .valid: tally.valid
        }
    }
}

/// The validity rules of one referendum, kept with it.
public struct ReferendumRules: Sendable, Equatable, Codable {
    /// Valid when more than this share of the eligible took part.
    public var turnout: Ratio
    /// Passed when yes is more than this share of `passBase`.
    public var pass: Ratio
    public var passBase: PassBase
    /// For a constitution: yes must also win (by `pass`) in at least this share of the regions.
    public var regions: RegionRule?

    public struct RegionRule: Sendable, Equatable, Codable {
        public var share: Ratio
        public var rounding: Ratio.Rounding

        public init(share: Ratio, rounding: Ratio.Rounding) {
            self.share = share
            self.rounding = rounding
        }
    }

    public init(turnout: Ratio, pass: Ratio, passBase: PassBase, regions: RegionRule?) {
        self.turnout = turnout
        self.pass = pass
        self.passBase = passBase
        self.regions = regions
    }

    /// A republican referendum on a law or a question.
    public static let republican = ReferendumRules(turnout: .half, pass: .half, passBase: .participants, regions: nil)
    /// A republican referendum on the Constitution (two thirds of the regions, rounded down as
    /// DOMAIN.md reads the 2022 count; verify).
    public static let constitution = ReferendumRules(turnout: .half, pass: .half, passBase: .participants,
                                                     regions: RegionRule(share: .twoThirds, rounding: .down))
}

/// Results entered or imported per territory, at any level, rolled up to every ancestor.
public struct ReferendumResults: Sendable {
    /// Totals of every territory that has results at or below it.
    public private(set) var totals: [KATOCode: Tally] = [:]
    /// The whole country.
    public private(set) var national: Tally

    public enum Problem: Error, Sendable, Equatable {
        /// Results were given for a territory and also for one below it.
        case overlap(KATOCode, below: KATOCode)
        case answers(KATOCode, expected: Int, found: Int)
    }

    /// Sums `entered` up the tree. A territory may carry results or have them below it, not
    /// both: a district's total entered beside its villages' would count them twice.
    public init(entered: [KATOCode: Tally], answers: Int, tree: TerritoryTree) throws(Problem) {
        national = .empty(answers: answers)
        let codes = Set(entered.keys)
        for (code, tally) in entered.sorted(by: { $0.key.value < $1.key.value }) {
            guard tally.answers.count == answers else {
                throw .answers(code, expected: answers, found: tally.answers.count)
            }
            let above = Self.ancestors(of: code, tree: tree)
            if let higher = above.first(where: codes.contains) { throw .overlap(higher, below: code) }
            for territory in [code] + above {
                totals[territory] = (totals[territory] ?? .empty(answers: answers)) + tally
            }
            national = national + tally
        }
    }

    private static func ancestors(of code: KATOCode, tree: TerritoryTree) -> [KATOCode] {
        let known = tree.ancestors(of: code).map(\.code).reversed()
        return known.isEmpty ? (code.level == .region ? [] : [code.region]) : Array(known)
    }

    /// The region totals, by region code.
    public func regions(of tree: TerritoryTree) -> [(code: KATOCode, tally: Tally)] {
        tree.regions.compactMap { region in totals[region.code].map { (region.code, $0) } }
    }
}

/// The verdict under the rules, each rule with the figures it was judged on.
public struct Verdict: Sendable, Equatable {
    public var checks: [Check]
    /// Every rule holds.
    public var passed: Bool { checks.allSatisfy(\.holds) }
    /// The referendum is valid (turnout), whatever the answer.
    public var valid: Bool { checks.first { $0.rule == .turnout }?.holds ?? false }

    public enum Rule: String, Sendable { case turnout, pass, regions }

    public struct Check: Sendable, Equatable {
        public var rule: Rule
        public var holds: Bool
        /// turnout: participants; pass: yes; regions: regions where yes won.
        public var count: Int
        /// turnout: eligible; pass: the pass base; regions: regions with results.
        public var base: Int
        /// The share to exceed (turnout, pass) or, for regions, the number needed.
        public var needed: String
        /// regions: those where yes did not win.
        public var against: [KATOCode] = []
    }

    /// Judges a yes/no question's results (answer 0 is yes). Regions are the tree's
    /// first-level units that have results.
    public init(results: ReferendumResults, rules: ReferendumRules, tree: TerritoryTree) {
        let national = results.national
        let yes = national.answers.first ?? 0
        var checks = [
            Check(rule: .turnout, holds: rules.turnout.isExceeded(by: national.participants, of: national.eligible),
                  count: national.participants, base: national.eligible, needed: rules.turnout.description),
            Check(rule: .pass, holds: rules.pass.isExceeded(by: yes, of: rules.passBase.base(of: national)),
                  count: yes, base: rules.passBase.base(of: national), needed: rules.pass.description),
        ]
        if let rule = rules.regions {
            let regions = results.regions(of: tree)
            let against = regions.filter { !rules.pass.isExceeded(by: $0.tally.answers.first ?? 0, of: rules.passBase.base(of: $0.tally)) }
            let all = tree.regions.count
            let needed = rule.share.count(of: all, rounding: rule.rounding)
            let won = regions.count - against.count
            checks.append(Check(rule: .regions, holds: won >= needed, count: won, base: all, needed: String(needed),
                                against: against.map(\.code)))
        }
        self.checks = checks
    }
}

/// How far counting has come: the territories of the electorate that have results, and the
/// eligible voters they hold.
public struct CountingProgress: Sendable, Equatable {
    public var reported: Int
    public var expected: Int
    public var eligibleReported: Int
    public var eligibleTotal: Int

    /// `electorate`: eligible voters per territory, as imported before the vote.
    public init(electorate: [KATOCode: Int], entered: [KATOCode: Tally]) {
        expected = electorate.count
        reported = electorate.keys.filter { entered[$0] != nil }.count
        eligibleTotal = electorate.values.reduce(0, +)
        eligibleReported = electorate.filter { entered[$0.key] != nil }.values.reduce(0, +)
    }

    public var complete: Bool { expected > 0 && reported == expected }
}

/// Protocols of a yes/no question read from CSV: `kato,eligible,participants,yes,no,invalid`,
/// one territory a line. Every problem is said with its line and column, and all are said
/// at once.
public enum ReferendumProtocols {
    public static let columns = ["kato", "eligible", "participants", "yes", "no", "invalid"]

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    public static func parse(_ text: String) throws(ProblemList) -> [KATOCode: Tally] {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader().records(text, required: columns)
        } catch {
            throw ProblemList(problems: [Problem(line: error.line, column: error.column, message: error.message)])
        }
        var tallies: [KATOCode: Tally] = [:]
        var lines: [KATOCode: Int] = [:]
        var problems: [Problem] = []
        for record in records {
            let codeText = record["kato"].trimmingCharacters(in: .whitespaces)
            guard let code = try? KATOCode(codeText) else {
                problems.append(Problem(line: record.line, column: record.column(of: "kato"),
                                        message: "\"\(codeText)\" is not a nine-digit KATO code"))
                continue
            }
            var numbers: [String: Int] = [:]
            for name in columns.dropFirst() {
                let field = record[name].trimmingCharacters(in: .whitespaces)
                guard let value = Int(field), value >= 0 else {
                    problems.append(Problem(line: record.line, column: record.column(of: name),
                                            message: "\(name) \"\(field)\" is not a whole number of zero or more"))
                    continue
                }
                numbers[name] = value
            }
            guard numbers.count == columns.count - 1 else { continue }
            if let first = lines[code] {
                problems.append(Problem(line: record.line, column: record.column(of: "kato"),
                                        message: "\(code) was given already on line \(first)"))
                continue
            }
            let tally = Tally(eligible: numbers["eligible"]!, participants: numbers["participants"]!,
                              answers: [numbers["yes"]!, numbers["no"]!], invalid: numbers["invalid"]!)
            for problem in tally.problems() {
                let message = switch problem {
                case .negative: "a figure is negative"
                case .moreParticipantsThanEligible(let participants, let eligible):
                    "\(participants) took part of \(eligible) eligible"
                case .moreBallotsThanIssued(let cast, let issued):
                    "yes, no and invalid add up to \(cast), more than the \(issued) ballots issued"
                }
                problems.append(Problem(line: record.line, column: 1, message: message))
            }
            lines[code] = record.line
            tallies[code] = tally
        }
        guard problems.isEmpty else { throw ProblemList(problems: problems) }
        return tallies
    }

    public struct ProblemList: Error, Sendable, Equatable, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }
}

/// The electorate of a referendum or poll, read from CSV before the vote: `kato,eligible`, one
/// territory a line (at any level, none inside another). Every problem is said with its line
/// and column, and all at once.
public enum ReferendumElectorate {
    public static let columns = ["kato", "eligible"]

    public static func parse(_ text: String, tree: TerritoryTree? = nil) throws(ReferendumProtocols.ProblemList) -> [KATOCode: Int] {
        typealias Problem = ReferendumProtocols.Problem
        let records: [CSVReader.Record]
        do {
            records = try CSVReader().records(text, required: columns)
        } catch {
            throw ReferendumProtocols.ProblemList(problems: [Problem(line: error.line, column: error.column, message: error.message)])
        }
        var electorate: [KATOCode: Int] = [:]
        var lines: [KATOCode: Int] = [:]
        var problems: [Problem] = []
        for record in records {
            let codeText = record["kato"].trimmingCharacters(in: .whitespaces)
            guard let code = try? KATOCode(codeText) else {
                problems.append(Problem(line: record.line, column: record.column(of: "kato"), message: "\"\(codeText)\" is not a nine-digit KATO code"))
                continue
            }
            if let tree, tree[code] == nil {
                problems.append(Problem(line: record.line, column: record.column(of: "kato"), message: "\(code) is not a territory of the tree"))
                continue
            }
            let field = record["eligible"].trimmingCharacters(in: .whitespaces)
            guard let eligible = Int(field), eligible > 0 else {
                problems.append(Problem(line: record.line, column: record.column(of: "eligible"),
                                        message: "eligible \"\(field)\" is not a whole number above zero"))
                continue
            }
            if let first = lines[code] {
                problems.append(Problem(line: record.line, column: record.column(of: "kato"), message: "\(code) was given already on line \(first)"))
                continue
            }
            lines[code] = record.line
            electorate[code] = eligible
        }
        if let tree {
            // A territory inside another given one: the same voters would count twice.
            for (code, line) in lines.sorted(by: { $0.value < $1.value }) {
                if let outer = tree.ancestors(of: code).first(where: { lines[$0.code] != nil }) {
                    problems.append(Problem(line: line, column: 1, message: "\(code) lies in \(outer.code) (line \(lines[outer.code] ?? 0)): "
                                            + "the same voters would count twice; give one level"))
                }
            }
        }
        guard problems.isEmpty else {
            throw ReferendumProtocols.ProblemList(problems: problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        return electorate
    }
}
