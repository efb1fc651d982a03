import AimaqCore
import Testing

@Suite struct ReferendumTests {
    /// Three regions, one with two districts, as a tree.
    static func tree(regions: Int = 3) throws -> TerritoryTree {
        var territories: [Territory] = []
        for n in 0..<regions {
            let code = try KATOCode(number: (11 + n * 4) * 10_000_000)
            territories.append(Territory(code: code, parent: nil, kind: .oblast, name: LocalizedName(kk: "R\(n)", ru: "R\(n)", en: "R\(n)")))
        }
        let first = territories[0].code
        for d in 1...2 {
            territories.append(Territory(code: try KATOCode(number: first.value + d * 200_000), parent: first, kind: .district,
                                         name: LocalizedName(kk: "D\(d)", ru: "D\(d)", en: "D\(d)")))
        }
        return TerritoryTree(territories)
    }

    @Test func theOfficialFiguresOf2026And2022PassAsTheyDid() throws {
        let tree = try Self.tree(regions: 1)
        let region = tree.regions[0].code
        // 15 March 2026 (DOMAIN.md): 73.12% took part, 87.15% of them said yes.
        let y2026 = Tally(eligible: 12_482_613, participants: 9_127_192, answers: [7_954_667, 898_099], invalid: 146_558)
        let results = try ReferendumResults(entered: [region: y2026], answers: 2, tree: tree)
        let verdict = Verdict(results: results, rules: .republican, tree: tree)
        #expect(verdict.valid && verdict.passed)
        #expect(verdict.checks.map(\.rule) == [.turnout, .pass])
        #expect(verdict.checks[1].count == 7_954_667 && verdict.checks[1].base == 9_127_192)
        #expect(y2026.problems().isEmpty)
        // 5 June 2022: 68.05% took part, 77.18% yes.
        let y2022 = Tally(eligible: 11_734_642, participants: 7_985_769, answers: [6_163_516, 1_490_470], invalid: 205_924)
        let verdict2022 = Verdict(results: try ReferendumResults(entered: [region: y2022], answers: 2, tree: tree),
                                  rules: .republican, tree: tree)
        #expect(verdict2022.passed)
    }

    @Test func exactlyHalfIsNotMoreThanHalf() throws {
        let tree = try Self.tree(regions: 1)
        let region = tree.regions[0].code
        let half = Tally(eligible: 100, participants: 50, answers: [40, 10], invalid: 0)
        let verdict = Verdict(results: try ReferendumResults(entered: [region: half], answers: 2, tree: tree),
                              rules: .republican, tree: tree)
        #expect(!verdict.valid, "50 of 100 is not more than half")
        #expect(!verdict.passed)
        let yesHalf = Tally(eligible: 100, participants: 60, answers: [30, 28], invalid: 2)
        let second = Verdict(results: try ReferendumResults(entered: [region: yesHalf], answers: 2, tree: tree),
                             rules: .republican, tree: tree)
        #expect(second.valid && !second.passed, "30 yes of 60 who took part is not more than half")
        var valid = ReferendumRules.republican
        valid.passBase = .valid
        #expect(Verdict(results: try ReferendumResults(entered: [region: yesHalf], answers: 2, tree: tree),
                        rules: valid, tree: tree).passed, "30 of 58 valid ballots is")
    }

    @Test func resultsRollUpAndMayNotBeGivenTwiceForOnePlace() throws {
        let tree = try Self.tree()
        let region = tree.regions[0].code
        let districts = tree.children(of: region).map(\.code)
        let a = Tally(eligible: 1_000, participants: 700, answers: [500, 180], invalid: 20)
        let b = Tally(eligible: 500, participants: 300, answers: [100, 190], invalid: 10)
        let results = try ReferendumResults(entered: [districts[0]: a, districts[1]: b], answers: 2, tree: tree)
        #expect(results.totals[region] == a + b)
        #expect(results.national.participants == 1_000)
        #expect(throws: ReferendumResults.Problem.overlap(region, below: districts[0])) {
            try ReferendumResults(entered: [region: a, districts[0]: a], answers: 2, tree: tree)
        }
        #expect(throws: ReferendumResults.Problem.answers(region, expected: 2, found: 3)) {
            try ReferendumResults(entered: [region: Tally(eligible: 1, participants: 1, answers: [1, 0, 0], invalid: 0)],
                                  answers: 2, tree: tree)
        }
    }

    @Test func aConstitutionNeedsAMajorityInTwoThirdsOfTheRegions() throws {
        let tree = try Self.tree()
        let codes = tree.regions.map(\.code)
        let yes = Tally(eligible: 100, participants: 80, answers: [70, 10], invalid: 0)
        let no = Tally(eligible: 100, participants: 80, answers: [10, 70], invalid: 0)
        // Two regions of three say yes: two thirds of 3 is 2.
        let twoOfThree = try ReferendumResults(entered: [codes[0]: yes, codes[1]: yes, codes[2]: no], answers: 2, tree: tree)
        let verdict = Verdict(results: twoOfThree, rules: .constitution, tree: tree)
        #expect(verdict.passed)
        let regions = try #require(verdict.checks.first { $0.rule == .regions })
        #expect(regions.count == 2 && regions.needed == "2" && regions.against == [codes[2]])
        // One of three: the national majority is not enough.
        let big = Tally(eligible: 1_000, participants: 900, answers: [850, 50], invalid: 0)
        let oneOfThree = try ReferendumResults(entered: [codes[0]: big, codes[1]: no, codes[2]: no], answers: 2, tree: tree)
        let second = Verdict(results: oneOfThree, rules: .constitution, tree: tree)
        #expect(second.checks.first { $0.rule == .pass }?.holds == true)
        #expect(!second.passed)
    }

    @Test func twoThirdsOfSeventeenRegionsRoundsAsTheRulesSay() {
        #expect(Ratio.twoThirds.count(of: 17, rounding: .down) == 11, "DOMAIN.md: with 17 regions in 2022 that meant 11")
        #expect(Ratio.twoThirds.count(of: 17, rounding: .up) == 12)
        #expect(Ratio.twoThirds.count(of: 20, rounding: .down) == 13)
        #expect(Ratio.half.isExceeded(by: 51, of: 100) && !Ratio.half.isExceeded(by: 50, of: 100))
        #expect(!Ratio.half.isExceeded(by: 0, of: 0))
    }

    @Test func impossibleProtocolsAreNamed() {
        let tally = Tally(eligible: 100, participants: 120, answers: [90, 30], invalid: 5)
        #expect(tally.problems() == [.moreParticipantsThanEligible(participants: 120, eligible: 100),
                                     .moreBallotsThanIssued(cast: 125, issued: 120)])
    }

    @Test func countingProgressFollowsTheElectorate() throws {
        let tree = try Self.tree()
        let codes = tree.regions.map(\.code)
        let progress = CountingProgress(electorate: [codes[0]: 600, codes[1]: 300, codes[2]: 100],
                                        entered: [codes[0]: .empty(answers: 2), codes[2]: .empty(answers: 2)])
        #expect(progress.reported == 2 && progress.expected == 3)
        #expect(progress.eligibleReported == 700 && progress.eligibleTotal == 1_000)
        #expect(!progress.complete)
    }
}

@Suite struct ReferendumProtocolTests {
    @Test func protocolsAreReadAndEveryProblemIsPlaced() throws {
        let good = "kato,eligible,participants,yes,no,invalid\n435200000,1000,700,500,180,20\n710000000,500,300,100,190,10\n"
        let tallies = try ReferendumProtocols.parse(good)
        #expect(tallies[try KATOCode("435200000")] == Tally(eligible: 1000, participants: 700, answers: [500, 180], invalid: 20))
        let bad = "kato,eligible,participants,yes,no,invalid\n43520000,1,1,1,0,0\n435200000,100,120,90,20,0\n"
            + "710000000,many,1,1,0,0\n435200000,10,5,5,0,0\n"
        #expect(throws: ReferendumProtocols.ProblemList.self) { try ReferendumProtocols.parse(bad) }
        do {
            _ = try ReferendumProtocols.parse(bad)
        } catch {
            #expect(error.problems.map(\.line) == [2, 3, 4, 5])
            #expect(error.problems[0].message.contains("not a nine-digit KATO code"))
            #expect(error.problems[1].message == "120 took part of 100 eligible")
            #expect(error.problems[2].column == 2 && error.problems[2].message.contains("eligible \"many\""))
            #expect(error.problems[3].message == "435200000 was given already on line 3")
        }
        #expect(throws: ReferendumProtocols.ProblemList.self) { try ReferendumProtocols.parse("kato,yes\n1,2\n") }
    }
}
