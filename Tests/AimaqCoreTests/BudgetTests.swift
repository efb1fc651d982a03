import Foundation
import Testing
@testable import AimaqCore

@Suite struct BudgetClassificationTests {
    /// The data files the server ships, read from the source tree.
    static func dataFile(_ name: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Sources/AimaqServer/Resources/Data/budget/\(name)"), encoding: .utf8)
    }

    @Test func revenueCodesSplitIntoTheirParts() throws {
        let code = try #require(RevenueCode("104302"))
        #expect(code.category == .tax)
        #expect(code.depth == .specific)
        #expect(code.parent?.text == "1043")
        #expect(code.parent?.parent?.text == "104")
        #expect(code.parent?.parent?.parent?.text == "1")
        #expect(code.parent?.parent?.parent?.parent == nil)
        #expect(RevenueCode("402301")?.category == .transfers)
        #expect(!RevenueCode.Category.transfers.isOwn && RevenueCode.Category.saleOfCapital.isOwn)
        for bad in ["", "10", "10430", "1043021", "504302", "10430x"] { #expect(RevenueCode(bad) == nil, "\(bad)") }
    }

    @Test func territoriesKeepTheBudgetOfTheirLevel() {
        #expect(BudgetLevel(territory: .region) == .regional)
        #expect(BudgetLevel(territory: .district) == .district)
        #expect(BudgetLevel(territory: .ruralDistrict) == .local)
        #expect(BudgetLevel(territory: .village) == .local)
    }

    @Test func theShippedClassificationLoadsAndHoldsTheCodesOfTheDomain() throws {
        let classification = try BudgetClassification.parse(revenue: try Self.dataFile("revenue-codes.csv"),
                                                             functions: try Self.dataFile("expenditure-functions.csv"))
        for text in ["101201", "101202", "101110", "103101", "104101", "104102", "104302", "104401", "104402", "104501", "105101"] {
            #expect(classification.revenue[RevenueCode(text)!] != nil, "\(text)")
        }
        #expect(classification.functions.count == 15)
        #expect(classification.functions["04"]?.en.contains("Education") == true)
        #expect(classification.revenue.values.allSatisfy { !$0.name.kk.isEmpty && !$0.name.ru.isEmpty && !$0.name.en.isEmpty })
    }

    @Test func aBadClassificationFileSaysWhatAndWhere() {
        let header = "code,level,name_kk,name_ru,name_en\n"
        func error(_ body: String) -> CSVReader.ParseError? {
            do { _ = try BudgetClassification.parse(revenue: header + body, functions: "code,name_kk,name_ru,name_en\n"); return nil }
            catch { return error }
        }
        #expect(error("1,category,a,b,c\n10x,class,a,b,c\n") == .init(line: 3, column: 1,
            message: "a revenue code has 1, 3, 4 or 6 digits and starts with 1 to 4, got \"10x\""))
        #expect(error("1,category,a,b,c\n101,subclass,a,b,c\n")?.column == 2)
        #expect(error("1,category,a,b,c\n1,category,a,b,c\n")?.message == "1 is listed twice")
        #expect(error("1,category,a,b,c\n1011,subclass,a,b,c\n") == .init(line: 3, column: 1, message: "1011 has no parent 101 in the file"))
    }
}

@Suite struct DistributionRuleTests {
    static let header = "year,code,level,share\n"

    @Test func sharesAreReadExactly() {
        #expect(DistributionRules.parseShare("0.6") == 6_000)
        #expect(DistributionRules.parseShare("1") == 10_000)
        #expect(DistributionRules.parseShare("1.0") == 10_000)
        #expect(DistributionRules.parseShare("0.3333") == 3_333)
        #expect(DistributionRules.parseShare("0.05") == 500)
        for bad in ["1.5", "2", "0.12345", "-0.1", "abc", ".5", "0."] { #expect(DistributionRules.parseShare(bad) == nil, "\(bad)") }
        #expect(DistributionRules.format(6_000) == "0.6")
        #expect(DistributionRules.format(10_000) == "1")
        #expect(DistributionRules.format(3_333) == "0.3333")
    }

    @Test func theShippedTableMovesIncomeTaxToDistrictsIn2026() throws {
        let rules = try DistributionRules.parse(try BudgetClassificationTests.dataFile("distribution-rules.csv"))
        #expect(rules.years == [2024, 2025, 2026])
        let pit = RevenueCode("101201")!
        #expect(rules.shares(of: pit, in: 2026) == [.district: 10_000])
        #expect((rules.shares(of: pit, in: 2025)?[.regional] ?? 0) > 0)
        #expect(rules.shares(of: RevenueCode("105101")!, in: 2026) == [.republican: 10_000])
    }

    @Test func aSplitAlwaysAddsUpToTheTenge() throws {
        var rules = DistributionRules()
        let code = RevenueCode("101202")!
        try rules.set(year: 2026, code: code, shares: [.regional: 3_333, .district: 3_333, .local: 3_334])
        let spread = (0..<200).map { Int64($0) * 7_919_113_337 % 1_000_000_000_007 - 300_000_000 }
        for amount in [0, 1, 2, 7, 9_999, 10_001, 123_456_789_011, -5, -1_000_003] + spread {
            let parts = rules.split(Int64(amount), of: code, in: 2026, collectedAt: .district)
            #expect(parts.values.reduce(0, +) == Int64(amount), "\(amount)")
            for (level, share) in rules.shares(of: code, in: 2026)! {
                // No part strays more than a tenge from its exact share.
                let exact = Double(amount) * Double(share) / 10_000
                #expect(abs(Double(parts[level] ?? 0) - exact) < 1.0001, "\(amount) \(level)")
            }
        }
        // 10 tenge at thirds: 3.333, 3.333, 3.334 → 3, 3, 4 (the largest remainder gets the tenge left).
        #expect(rules.split(10, of: code, in: 2026, collectedAt: .district) == [.regional: 3, .district: 3, .local: 4])
        // A code the table does not name stays where it was collected.
        #expect(rules.split(500, of: RevenueCode("104101")!, in: 2026, collectedAt: .regional) == [.regional: 500])
        #expect(rules.split(500, of: code, in: 2025, collectedAt: .local) == [.local: 500])
    }

    @Test func aWhatIfMovesAShareAndKeepsTheWhole() throws {
        var rules = DistributionRules()
        let code = RevenueCode("101201")!
        try rules.set(year: 2026, code: code, shares: [.regional: 6_000, .district: 4_000])
        let moved = try rules.moving(2_500, of: code, in: 2026, from: .regional, to: .local)
        #expect(moved.shares(of: code, in: 2026) == [.regional: 3_500, .district: 4_000, .local: 2_500])
        #expect(rules.shares(of: code, in: 2026) == [.regional: 6_000, .district: 4_000])
        #expect(throws: DistributionRules.RuleError.self) { try rules.moving(7_000, of: code, in: 2026, from: .regional, to: .local) }
        let all = try rules.moving(6_000, of: code, in: 2026, from: .regional, to: .district)
        #expect(all.shares(of: code, in: 2026) == [.district: 10_000])
    }

    @Test func aSecondTableReplacesOnlyTheCodesItNames() throws {
        var rules = DistributionRules()
        let pit = RevenueCode("101201")!, vat = RevenueCode("105101")!, property = RevenueCode("104102")!
        try rules.set(year: 2026, code: pit, shares: [.district: 10_000])
        try rules.set(year: 2026, code: vat, shares: [.republican: 10_000])
        try rules.set(year: 2025, code: pit, shares: [.regional: 5_000, .district: 5_000])
        try rules.set(year: 2025, code: vat, shares: [.republican: 10_000])
        // Last year's table laid over this year's: only income tax differs.
        let (back, changed) = rules.overlaid(with: rules, from: 2025, onto: 2026)
        #expect(changed == [pit])
        #expect(back.shares(of: pit, in: 2026) == [.regional: 5_000, .district: 5_000])
        #expect(back.shares(of: vat, in: 2026) == [.republican: 10_000])
        #expect(back.shares(of: pit, in: 2025) == rules.shares(of: pit, in: 2025))
        // A loaded table that names one new code and one unchanged code.
        let loaded = try DistributionRules.parse("year,code,level,share\n2030,104102,4,0.75\n2030,104102,3,0.25\n2030,105101,1,1\n")
        let (other, codes) = rules.overlaid(with: loaded, from: 2030, onto: 2026)
        #expect(codes == [property])
        #expect(other.shares(of: property, in: 2026) == [.local: 7_500, .district: 2_500])
        #expect(other.shares(of: pit, in: 2026) == [.district: 10_000])
        #expect(rules.overlaid(with: loaded, from: 2029, onto: 2026).changed.isEmpty)
    }

    @Test func aBadRuleTableSaysWhatAndWhere() {
        func error(_ body: String) -> CSVReader.ParseError? {
            do { _ = try DistributionRules.parse(Self.header + body); return nil } catch { return error }
        }
        #expect(error("2026,101201,3,0.6\n2026,101201,2,0.3\n") == .init(line: 2, column: 4,
            message: "the shares of 101201 in 2026 sum to 0.9, not 1"))
        #expect(error("2026,1012,3,1\n") == .init(line: 2, column: 2, message: "rules are per six-digit revenue code, got \"1012\""))
        #expect(error("2026,101201,5,1\n")?.column == 3)
        #expect(error("2026,101201,3,1.2\n")?.column == 4)
        #expect(error("26,101201,3,1\n")?.column == 1)
        #expect(error("2026,101201,3,0.5\n2026,101201,3,0.5\n") == .init(line: 3, column: 3, message: "level 3 of 101201 in 2026 is given twice"))
    }
}

@Suite struct BudgetIndicatorTests {
    @Test func figuresGiveOwnRevenueDependenceAndExecution() {
        // Arshaly district 2026 (DOMAIN.md): revenue 9,667,602 thousand, tax 4,705,847, transfers 4,433,270.
        var figures = BudgetFigures(population: 40_000)
        figures.add(4_705_847_000, category: .tax)
        figures.add(528_485_000, category: .nonTax)
        figures.add(4_433_270_000, category: .transfers)
        figures.plan = 9_667_602_000
        figures.executed = 9_474_250_000
        #expect(figures.total == 9_667_602_000)
        #expect(figures.own == 5_234_332_000)
        #expect(abs(figures.transferDependence! - 0.458570) < 1e-6)
        #expect(abs(figures.ownPerPerson! - 130_858.3) < 0.01)
        #expect(abs(figures.execution! - 0.98) < 1e-4)
        #expect(BudgetFigures().transferDependence == nil)
        #expect(BudgetFigures().execution == nil)
        #expect(BudgetFigures().ownPerPerson == nil)
    }

    @Test func changeRankAndShareBelowTheRegion() {
        #expect(BudgetIndicators.change(from: 100, to: 125) == 0.25)
        #expect(BudgetIndicators.change(from: -100, to: -50) == 0.5)
        #expect(BudgetIndicators.change(from: 0, to: 5) == nil)
        #expect(BudgetIndicators.rank([3: 0.5, 1: 0.9, 2: 0.5, 4: 0.1]) == [1: 1, 2: 2, 3: 2, 4: 4])
        #expect(BudgetIndicators.rank([Int: Double]()).isEmpty)
        #expect(BudgetIndicators.shareBelowRegion(regional: 30, below: 70) == 0.7)
        #expect(BudgetIndicators.shareBelowRegion(regional: 0, below: 0) == nil)
    }

    @Test func equalisationFillsTheGapToTheStandardAndNoMore() {
        let (needs, total) = Equalisation.needs(standard: 100_000, territories: [
            (territory: 1, own: 50_000_000, population: 1_000),   // needs 50,000,000
            (territory: 2, own: 150_000_000, population: 1_000),  // above: 0
            (territory: 3, own: 99_999_999, population: 1_000),   // needs 1
            (territory: 4, own: 0, population: 0),                 // nobody: 0
        ])
        #expect(needs.map(\.territory) == [1, 3, 2, 4])
        #expect(needs.map(\.amount) == [50_000_000, 1, 0, 0])
        #expect(total == 50_000_001)
        #expect(total == needs.reduce(0) { $0 + $1.amount })
    }
}

@Suite struct RevenueAllocationTests {
    /// A region with a district, a rural district and a village, and a city of republican
    /// significance with one of its districts.
    static let tree: TerritoryTree = {
        let kato = "id;parent_id;code;name\n1;0;430000000;Кызылординская область\n2;1;435200000;Чиилийский район\n"
            + "3;2;435233000;Акмаянский с.о.\n4;3;435233100;с.Акмая\n5;0;710000000;г.Астана\n6;5;711100000;район Алматы\n"
        let regions = "kato,iso,kind,name_kk,name_ru,name_en,centre_en,population,population_note\n"
            + "430000000,KZ-43,oblast,Қызылорда облысы,Кызылординская область,Kyzylorda Region,Kyzylorda,845900,x\n"
            + "710000000,KZ-71,city,Астана,г. Астана,Astana,Astana,1630640,x\n"
        return TerritoryTree(try! KATOClassifier.territories(classifier: kato, regions: regions))
    }()

    static func code(_ text: String) -> KATOCode { try! KATOCode(text) }

    @Test func eachLevelGoesToItsBudgetAndCitiesKeepOne() {
        let village = RevenueAllocation.budgets(for: Self.code("435233100"), in: Self.tree)
        #expect(village[.regional] == .territory(Self.code("430000000")))
        #expect(village[.district] == .territory(Self.code("435200000")))
        #expect(village[.local] == .territory(Self.code("435233000"))) // the rural district keeps the budget
        let cityDistrict = RevenueAllocation.budgets(for: Self.code("711100000"), in: Self.tree)
        #expect(cityDistrict[.district] == .territory(Self.code("710000000")))
        #expect(cityDistrict[.local] == .territory(Self.code("710000000")))
    }

    @Test func receiptsAddUpToWhatWasCollectedAndTheWhatIfBalances() throws {
        var rules = DistributionRules()
        let pit = RevenueCode("101201")!, property = RevenueCode("104102")!
        try rules.set(year: 2026, code: pit, shares: [.regional: 3_000, .district: 7_000])
        try rules.set(year: 2026, code: property, shares: [.local: 10_000])
        let collected = [
            RevenueAllocation.Collected(territory: Self.code("435233000"), code: pit, year: 2026, amount: 1_000_001),
            RevenueAllocation.Collected(territory: Self.code("435233000"), code: property, year: 2026, amount: 5_000),
            RevenueAllocation.Collected(territory: Self.code("711100000"), code: pit, year: 2026, amount: 2_000_000),
        ]
        let receipts = RevenueAllocation.receipts(collected, rules: rules, tree: Self.tree)
        #expect(receipts[.territory(Self.code("430000000"))]?[pit] == 300_000)
        #expect(receipts[.territory(Self.code("435200000"))]?[pit] == 700_001)
        #expect(receipts[.territory(Self.code("435233000"))]?[property] == 5_000)
        #expect(receipts[.territory(Self.code("710000000"))]?[pit] == 2_000_000) // the city keeps both levels
        let total = receipts.values.flatMap(\.values).reduce(0, +)
        #expect(total == collected.reduce(0) { $0 + $1.amount })

        let after = try rules.moving(2_000, of: pit, in: 2026, from: .district, to: .local)
        let comparison = RevenueAllocation.compare(collected, before: rules, after: after, tree: Self.tree)
        #expect(comparison.values.reduce(0) { $0 + $1.after - $1.before } == 0)
        #expect(comparison[.territory(Self.code("435233000"))]! == (before: 5_000, after: 205_000))
        #expect(comparison[.territory(Self.code("435200000"))]! == (before: 700_001, after: 500_001))
    }

    /// The what-if's prepared form gives, budget by budget, exactly what splitting every
    /// receipt with each table gives: refunds, odd amounts, ties and codes no rule names.
    @Test func preparedWhatIfAgreesWithSplittingEveryReceipt() throws {
        var rules = DistributionRules()
        let pit = RevenueCode("101201")!, property = RevenueCode("104102")!, unnamed = RevenueCode("105101")!
        try rules.set(year: 2026, code: pit, shares: [.republican: 3_333, .regional: 3_333, .district: 3_334])
        try rules.set(year: 2026, code: property, shares: [.local: 10_000])
        let after = try rules.moving(1_234, of: pit, in: 2026, from: .district, to: .local)
        let places = ["435233000", "435200000", "430000000", "711100000", "435233100"].map(Self.code)
        var collected: [RevenueAllocation.Collected] = []
        var seed: UInt64 = 7
        for (n, place) in places.enumerated() {
            for code in [pit, property, unnamed] {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1
                let amount = Int64(seed >> 44) * (n % 3 == 0 ? -1 : 1) + 1
                collected.append(.init(territory: place, code: code, year: 2026, amount: amount))
            }
        }
        func totals(_ table: DistributionRules) -> [RevenueAllocation.Budget: Int64] {
            RevenueAllocation.receipts(collected, rules: table, tree: Self.tree).mapValues { $0.values.reduce(0, +) }
        }
        let before = totals(rules), changed = totals(after)
        let prepared = RevenueAllocation.Prepared(collected, tree: Self.tree).compare(codes: nil, before: rules, after: after)
        #expect(Set(prepared.keys) == Set(before.keys).union(changed.keys))
        for (budget, amounts) in prepared {
            #expect(amounts.before == before[budget] ?? 0, "\(budget)")
            #expect(amounts.after == changed[budget] ?? 0, "\(budget)")
        }
        let onlyPIT = RevenueAllocation.Prepared(collected, tree: Self.tree).compare(codes: [pit], before: rules, after: after)
        #expect(onlyPIT.values.reduce(0) { $0 + $1.after - $1.before } == 0)
    }
}

@Suite struct BudgetImportTests {
    static let header = "kind,territory,year,month,code,approved,adjusted,executed\r\n"

    static func parse(_ text: String, parts: Int) async throws -> Result<BudgetImport.File, BudgetImport.Problems> {
        let classification = try BudgetClassification.parse(revenue: try BudgetClassificationTests.dataFile("revenue-codes.csv"),
                                                             functions: try BudgetClassificationTests.dataFile("expenditure-functions.csv"))
        return await BudgetImport.parse(text, classification: classification, parts: parts, level: { $0.level }, parent: { _ in nil })
    }

    @Test func aLinesFileIsCheckedFromItsBytesInAnyNumberOfPieces() async throws {
        // Quoted fields, empty amounts and CRLF line ends, read in one piece or several.
        var text = Self.header
        for month in 1...12 { text += "\"revenue\",435200000,2026,\(month),\"101201\",\(month * 100),,\(month * 90)\r\n" }
        text += "expenditure,435200000,2026,0,04,5,6,-7\n"
        for parts in [1, 2, 5] {
            guard case .success(.lines(let lines)) = try await Self.parse(text, parts: parts) else {
                Issue.record("parts \(parts): the file should be good")
                continue
            }
            #expect(lines.count == 13)
            #expect(lines.first == BudgetImport.Line(kind: .revenue, territory: try KATOCode("435200000"), level: .district, year: 2026,
                                                    month: 1, code: "101201", approved: 100, adjusted: 0, executed: 90))
            #expect(lines.last == BudgetImport.Line(kind: .expenditure, territory: try KATOCode("435200000"), level: .district, year: 2026,
                                                   month: 0, code: "04", approved: 5, adjusted: 6, executed: -7))
        }
    }

    @Test func problemsKeepTheirLinesWhicheverPieceFindsThem() async throws {
        var text = Self.header
        for month in 1...12 { text += "revenue,435200000,2026,\(month),101201,1,0,1\n" }
        // Line 14 repeats line 2; line 15 has a bad code; line 16 a bad territory and month.
        text += "revenue,435200000,2026,1,101201,2,0,2\nrevenue,435200000,2026,1,1012x1,1,0,1\nrevenue,43520000,2026,13,101201,1,0,1\n"
        for parts in [1, 2, 3, 8] {
            guard case .failure(let problems) = try await Self.parse(text, parts: parts) else {
                Issue.record("parts \(parts): the file should be refused")
                continue
            }
            #expect(problems.items.map { "\($0.line):\($0.column)" } == ["14:5", "15:5", "16:2", "16:4"], "parts \(parts)")
            #expect(problems.items[0].message.contains("given twice"))
            #expect(problems.items[1].message.contains("\"1012x1\""))
        }
    }
}
