import Testing
@testable import AimaqCore

@Suite struct AssignmentIndexTests {
    /// A small deterministic generator, so failures repeat.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let territories = [430000000, 431000000, 433200000, 433220100, 435200000, 435220100, 750000000, 751110000]
    static let today = try! CivilDate("2026-03-02")

    static func entries(_ count: Int, seed: UInt64) -> [AssignmentIndex.Entry] {
        var random = Generator(state: seed)
        return (0..<count).map { n in
            let status = AssignmentStatus.allCases[random.next(AssignmentStatus.allCases.count)]
            return AssignmentIndex.Entry(
                id: count * 3 - n * 2, instructionID: 1 + random.next(6), sourceID: 1 + random.next(3),
                territory: territories[random.next(territories.count)], bodyID: random.next(4) == 0 ? nil : 10 + random.next(3),
                deadline: today.adding(days: random.next(80) - 40), status: status,
                completion: random.next(5) == 0 ? nil : Double(random.next(101)) / 100, weight: Double(1 + random.next(3)),
                isPublic: random.next(4) != 0, category: [InstructionCategory.roads, .water, .digital][random.next(3)])
        }
    }

    /// What the index must answer, computed the slow and obvious way.
    static func expected(_ entries: [AssignmentIndex.Entry], _ query: AssignmentIndex.Query) -> [AssignmentIndex.Entry] {
        let open: (AssignmentIndex.Entry) -> Bool = { !$0.status.isFinal && $0.status != .reportSubmitted }
        let matching = entries.filter { e in
            (!query.publicOnly || e.isPublic)
                && (query.source.map { e.sourceID == $0 } ?? true)
                && (query.instruction.map { e.instructionID == $0 } ?? true)
                && (query.status.map { e.status == $0 } ?? true)
                && (query.territories.map { $0.contains(e.territory) } ?? true)
                && (query.body.map { e.bodyID == $0 } ?? true)
                && (query.category.map { e.category == $0 } ?? true)
                && (!query.overdue || (open(e) && e.deadline < today))
                && (query.dueWithin.map { open(e) && e.deadline >= today && e.deadline <= today.adding(days: $0) } ?? true)
        }
        let statusOrder = AssignmentStatus.allCases.map(\.rawValue).sorted()
        func key(_ e: AssignmentIndex.Entry) -> Double {
            switch query.sort {
            case .deadline: Double(e.deadline.dayNumber)
            case .deadlineDescending: -Double(e.deadline.dayNumber)
            case .territory: Double(e.territory)
            case .status: Double(statusOrder.firstIndex(of: e.status.rawValue)!)
            case .completion: -(e.completion ?? -1)
            }
        }
        return matching.sorted { (key($0), $0.id) < (key($1), $1.id) }
    }

    @Test func pagesMatchAFilterAndSortDoneByHand() {
        let entries = Self.entries(600, seed: 7)
        let index = AssignmentIndex(entries)
        var random = Generator(state: 99)
        for _ in 0..<300 {
            var query = AssignmentIndex.Query()
            query.publicOnly = random.next(2) == 0
            if random.next(3) == 0 { query.source = 1 + random.next(3) }
            if random.next(4) == 0 { query.instruction = 1 + random.next(6) }
            if random.next(3) == 0 { query.status = AssignmentStatus.allCases[random.next(AssignmentStatus.allCases.count)] }
            if random.next(3) == 0 {
                query.territories = [430000000..<440000000, 433200000..<433300000, 750000000..<760000000][random.next(3)]
            }
            if random.next(4) == 0 { query.body = 10 + random.next(3) }
            if random.next(4) == 0 { query.category = .water }
            query.overdue = random.next(4) == 0
            if random.next(4) == 0 { query.dueWithin = random.next(30) }
            query.sort = AssignmentIndex.Sort.allCases[random.next(AssignmentIndex.Sort.allCases.count)]
            let want = Self.expected(entries, query)
            let per = 1 + random.next(40)
            let page = 1 + random.next(4)
            let got = index.page(query, today: Self.today, page: page, per: per)
            #expect(got.total == want.count, "\(query)")
            let slice = Array(want.dropFirst((page - 1) * per).prefix(per))
            #expect(got.entries.map(\.id) == slice.map(\.id), "\(query) page \(page) per \(per)")
            #expect(index.all(query, today: Self.today).map(\.id) == want.map(\.id))
        }
    }

    @Test func aPageBeyondTheEndIsEmptyButCountsEverything() {
        let index = AssignmentIndex(Self.entries(50, seed: 3))
        var query = AssignmentIndex.Query()
        query.publicOnly = false
        let result = index.page(query, today: Self.today, page: 1_000, per: 25)
        #expect(result.entries.isEmpty)
        #expect(result.total == 50)
        #expect(index.page(query, today: Self.today, page: 2, per: Int.max).entries.isEmpty)
    }

    @Test func talliesAddUpPerTerritoryWithinASubtree() {
        let entries = Self.entries(500, seed: 11)
        let index = AssignmentIndex(entries)
        for (range, publicOnly) in [(430000000..<440000000, true), (433200000..<433300000, false), (0..<Int.max, false)] {
            let tallies = index.tallies(in: range == 0..<Int.max ? nil : range, publicOnly: publicOnly, today: Self.today)
            let counted = entries.filter {
                range.contains($0.territory) && $0.status != .removedFromControl && (!publicOnly || $0.isPublic)
            }
            #expect(tallies.values.reduce(0) { $0 + $1.assigned } == counted.count)
            #expect(Set(tallies.keys) == Set(counted.map(\.territory)))
            for (territory, tally) in tallies {
                let here = counted.filter { $0.territory == territory }
                #expect(tally.assigned == here.count)
                #expect(tally.overdue == here.filter { $0.isOverdue(today: Self.today) }.count)
                #expect(tally.awaitingReview == here.filter { $0.status == .reportSubmitted }.count)
                let weighted = here.reduce(0.0) { $0 + ($1.completion ?? 0) * $1.weight }
                let weight = here.reduce(0.0) { $0 + ($1.completion == nil ? 0 : $1.weight) }
                #expect(abs(tally.weightedCompletion - weighted) < 1e-9)
                #expect(tally.weight == weight)
            }
        }
    }

    @Test func anInstructionsAssignmentsComeInTerritoryOrder() {
        let entries = Self.entries(300, seed: 5)
        let index = AssignmentIndex(entries)
        for instruction in 1...6 {
            let want = entries.filter { $0.instructionID == instruction }.sorted { ($0.territory, $0.id) < ($1.territory, $1.id) }
            #expect(index.assignments(ofInstruction: instruction) == want)
        }
        #expect(index.assignments(ofInstruction: 999).isEmpty)
    }

    @Test func emptyIndexAnswersNothing() {
        let index = AssignmentIndex([])
        #expect(index.page(AssignmentIndex.Query(), today: Self.today, page: 1, per: 10).total == 0)
        #expect(index.tallies(in: 430000000..<440000000, publicOnly: true, today: Self.today).isEmpty)
    }
    /// An index that followed a series of changes answers exactly as one built afresh from
    /// the entries after them, in every order: changed statuses, deadlines and figures, new
    /// entries, removed ones, and an entry that moved territory.
    @Test func changesAppliedOneByOneGiveTheSameIndexAsARebuild() {
        var current = Self.entries(400, seed: 11)
        var index = AssignmentIndex(current)
        var random = Generator(state: 99)
        for round in 0..<60 {
            var changed: [AssignmentIndex.Entry] = []
            var removed: Set<Int> = []
            for _ in 0..<(1 + random.next(5)) {
                var entry = current[random.next(current.count)]
                switch random.next(5) {
                case 0: entry.status = AssignmentStatus.allCases[random.next(AssignmentStatus.allCases.count)]
                case 1: entry.deadline = Self.today.adding(days: random.next(90) - 45)
                case 2: entry.completion = random.next(3) == 0 ? nil : Double(random.next(101)) / 100
                case 3: entry.territory = Self.territories[random.next(Self.territories.count)]
                default: entry.id = 10_000 + round * 10 + changed.count
                }
                changed.append(entry)
            }
            if round % 7 == 3 { removed.insert(current[random.next(current.count)].id) }
            index = index.applying(changed, removing: removed)
            var byID = Dictionary(current.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
            for entry in changed { byID[entry.id] = entry }
            for id in removed { byID[id] = nil }
            current = Array(byID.values)
            let rebuilt = AssignmentIndex(current)
            #expect(index.entries == rebuilt.entries, "round \(round): stored entries differ")
            for sort in AssignmentIndex.Sort.allCases {
                var query = AssignmentIndex.Query()
                query.publicOnly = false
                query.sort = sort
                #expect(index.all(query, today: Self.today).map(\.id) == rebuilt.all(query, today: Self.today).map(\.id),
                        "round \(round): order \(sort) differs")
            }
            let instruction = 1 + random.next(6)
            #expect(index.assignments(ofInstruction: instruction) == rebuilt.assignments(ofInstruction: instruction))
        }
    }

    @Test func versionsRiseForTheTerritoryItsAncestorsAndTheInstructionOnly() throws {
        var versions = ScopeVersions(base: 10)
        let shieli = try KATOCode(number: 435200000), akmaya = try KATOCode(number: 435233100)
        let region = try KATOCode(number: 430000000), almaty = try KATOCode(number: 750000000)
        versions.changed(assignment: 9, instruction: 3, territory: akmaya.value)
        #expect(versions.territory(akmaya) == 11)
        #expect(versions.territory(shieli) == 11)
        #expect(versions.territory(region) == 11)
        #expect(versions.territory(almaty) == 10)
        #expect(versions.instruction(3) == 11)
        #expect(versions.instruction(4) == 10)
        #expect(versions.territory(nil) == 11)
        #expect(versions.assignment(9) == 11)
        #expect(versions.assignment(8) == 10)
    }
}
