import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Budgets {
        static let lines = """
        kind,territory,year,month,code,approved,adjusted,executed
        revenue,430000000,2026,0,103101,500000,0,480000
        revenue,430000000,2026,0,402103,900000,0,900000
        revenue,435200000,2026,1,101201,100000,0,90000
        revenue,435200000,2026,2,101201,100000,0,110000
        revenue,435200000,2026,0,402203,300000,0,300000
        revenue,435233000,2026,0,104102,20000,0,15000
        expenditure,435200000,2026,0,04,200000,210000,190000
        collected,435233000,2026,0,101201,1000000,0,1000000
        revenue,430000000,2025,0,103101,400000,0,400000
        revenue,430000000,2025,0,402103,1000000,0,1000000

        """

        struct Indicators: Decodable {
            var totalRevenue: Int64
            var ownRevenue: Int64
            var transfers: Int64
            var transferDependence: Double?
            var execution: Double?
            var changeOnYearBefore: Double?
            var shareHeldBelow: Double?
            var demo: Bool
        }

        static func importLines(_ app: Application, _ text: String) async throws -> BudgetStore.Summary {
            guard case .success(let parsed) = await BudgetImporter.parse(text, app: app) else {
                Issue.record("the file should parse")
                return BudgetStore.Summary(written: 0, replaced: 0)
            }
            return try await BudgetStore.write(parsed.file, app: app, actor: "test")
        }

        @Test func theBundledTablesFollowTheCorrectedFacts() throws {
            let state = try BudgetState.bundled()
            // Before 2026 districts kept at least half of the CIT of small and medium business (old Budget Code, art. 52).
            let sme = try #require(RevenueCode("101111"))
            for year in [2024, 2025] {
                let shares = try #require(state.rules.shares(of: sme, in: year))
                #expect((shares[.district] ?? 0) * 2 >= shares.values.reduce(0, +))
            }
            // The sale of the right to lease land plots is 303202.
            #expect(state.classification.revenue[try #require(RevenueCode("303202"))] != nil)
            #expect(state.classification.revenue[try #require(RevenueCode("303201"))] == nil)
        }

        @Test func importedLinesGiveIndicatorsAndAReimportReplaces() async throws {
            try await withAimaq { app, _ in
                #expect(try await Self.importLines(app, Self.lines) == .init(written: 10, replaced: 0))
                var visitor = Visitor(app)
                let region = try await visitor.get("/api/v1/budget/indicators?territory=430000000&year=2026")
                    .content.decode(Indicators.self)
                // Consolidated: the region's own (480,000) and its district's and rural district's
                // (90,000 + 110,000 + 15,000), with the transfers the region received from above.
                #expect(region.ownRevenue == 695_000)
                #expect(region.transfers == 900_000)
                #expect(region.totalRevenue == 1_595_000)
                #expect(abs(region.shareHeldBelow! - 215_000.0 / 695_000.0) < 1e-9)
                #expect(abs(region.changeOnYearBefore! - (1_595_000.0 / 1_400_000.0 - 1)) < 1e-9)
                #expect(!region.demo)
                let district = try await visitor.get("/api/v1/budget/indicators?territory=435200000&year=2026")
                    .content.decode(Indicators.self)
                #expect(district.ownRevenue == 215_000)
                #expect(district.transfers == 300_000)
                #expect(abs(district.execution! - 515_000.0 / 520_000.0) < 1e-9)

                // The same period again, with one figure changed: replaced, not added.
                let again = Self.lines.replacingOccurrences(of: "revenue,430000000,2026,0,103101,500000,0,480000",
                                                            with: "revenue,430000000,2026,0,103101,500000,0,500000")
                #expect(try await Self.importLines(app, again) == .init(written: 10, replaced: 10))
                let count = try await app.db.sql.select().column(SQLAlias(SQLQueryString("COUNT(*)"), as: SQLIdentifier("n")))
                    .from("budget_lines").first(decodingColumn: "n", as: Int.self)
                #expect(count == 10)
                let after = try await visitor.get("/api/v1/budget/indicators?territory=430000000&year=2026").content.decode(Indicators.self)
                #expect(after.ownRevenue == 715_000)

                let csv = try await visitor.get("/budget/export?year=2026&territory=435200000&format=csv").body.string
                #expect(csv.hasPrefix("kind,territory,year,month,code,approved,adjusted,executed,demo\r\n"))
                #expect(csv.contains("revenue,435200000,2026,2,101201,100000,0,110000,false"))
                #expect(csv.split(separator: "\r\n").count == 5)
                let page = try await visitor.get("/territories/435200000?lang=en").body.string
                #expect(page.contains("id=\"budget\""))
                #expect(page.contains("Revenue plan and execution by month"))
                #expect(try await visitor.get("/budget?year=2026&lang=en").body.string.contains("Regions ranked"))
                // Equalisation to 1,000,000 ₸ a person: Kyzylorda (845,900 people, 715,000 own) and
                // Astana (1,630,640 people, nothing own) fall short by exactly this much.
                let equalised = try await visitor.get("/budget?year=2026&standard=1000000&lang=en").body.string
                #expect(equalised.contains("id=\"equalisation-total\">2,476,539,285,000 ₸"))
                #expect(try await visitor.get("/budget?year=2026&standard=-5").status == .badRequest)
            }
        }

        @Test func aLargeImportReplacesInOnePassAndBuildsTheIndexAgain() async throws {
            try await withAimaq { app, _ in
                #expect(try await Self.importLines(app, Self.lines) == .init(written: 10, replaced: 0))
                // Written the way large files are: it covers the region's whole-year revenue (2 lines)
                // and the district's revenue of January (1 line); March is new.
                let other = """
                kind,territory,year,month,code,approved,adjusted,executed
                revenue,430000000,2026,0,103101,1,0,1
                revenue,435200000,2026,1,104102,5,0,5
                revenue,435200000,2026,3,101201,7,0,7

                """
                guard case .success(let parsed) = await BudgetImporter.parse(other, app: app) else {
                    Issue.record("the file should parse")
                    return
                }
                #expect(try await BudgetStore.write(parsed.file, app: app, actor: "test", bulk: true) == .init(written: 3, replaced: 3))
                struct Kept: Decodable, Equatable { var territory_id: Int; var kind: String; var month: Int; var code: String }
                let kept = try await app.db.sql.select().columns("territory_id", "kind", "month", "code").from("budget_lines")
                    .where("year", .equal, SQLBind(2026)).orderBy("territory_id").orderBy("kind").orderBy("month").orderBy("code")
                    .all(decoding: Kept.self)
                #expect(kept == [
                    Kept(territory_id: 430000000, kind: "revenue", month: 0, code: "103101"),
                    Kept(territory_id: 435200000, kind: "expenditure", month: 0, code: "04"),
                    Kept(territory_id: 435200000, kind: "revenue", month: 0, code: "402203"),
                    Kept(territory_id: 435200000, kind: "revenue", month: 1, code: "104102"),
                    Kept(territory_id: 435200000, kind: "revenue", month: 2, code: "101201"),
                    Kept(territory_id: 435200000, kind: "revenue", month: 3, code: "101201"),
                    Kept(territory_id: 435233000, kind: "collected", month: 0, code: "101201"),
                    Kept(territory_id: 435233000, kind: "revenue", month: 0, code: "104102"),
                ])
                // The index is there again, and a second such import works (its temporary table went).
                let indexes = try app.db.sql.dialect.name == "sqlite"
                    ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'budget_lines_year'"
                    : "SELECT indexname AS name FROM pg_indexes WHERE indexname = 'budget_lines_year'"
                #expect(try await app.db.sql.raw(SQLQueryString(indexes)).all().count == 1)
                #expect(try await BudgetStore.write(parsed.file, app: app, actor: "test", bulk: true) == .init(written: 3, replaced: 3))
            }
        }

        @Test func aBadFileIsRefusedWholeWithEveryProblemPlaced() async throws {
            try await withAimaq { app, _ in
                let bad = """
                kind,territory,year,month,code,approved,adjusted,executed
                revenue,430000000,2026,0,103101,500000,0,480000
                revenue,999999999,2026,0,103101,1,0,1
                revenue,435200000,2026,13,101201,1,0,1
                expenditure,435200000,2026,0,99,1,0,1
                revenue,435200000,2026,0,101201,-5,0,x
                revenue,430000000,2026,0,103101,1,0,1
                """
                guard case .failure(let problems) = await BudgetImporter.parse(bad, app: app) else {
                    Issue.record("the file should be refused")
                    return
                }
                #expect(problems.items.map { "\($0.line):\($0.column)" } == ["3:2", "4:4", "5:5", "6:6", "6:8", "7:5"])
                #expect(problems.items[0].message.contains("999999999"))
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let response = try await admin.postMultipart("/admin/import-budget?lang=en", fields: [:],
                                                             files: [(field: "file", name: "bad.csv", data: Data(bad.utf8))])
                #expect(response.status == .unprocessableEntity)
                #expect(response.body.string.contains("line 3, column 2"))
                let count = try await app.db.sql.select().column(SQLAlias(SQLQueryString("COUNT(*)"), as: SQLIdentifier("n")))
                    .from("budget_lines").first(decodingColumn: "n", as: Int.self)
                #expect(count == 0)
            }
        }

        @Test func aMaslikhatImportsOnlyForItsOwnTerritory() async throws {
            try await withAimaq { app, _ in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat") // Kyzylorda region
                let own = "kind,territory,year,month,code,approved,adjusted,executed\nrevenue,435200000,2026,0,101201,10,0,10\n"
                let other = "kind,territory,year,month,code,approved,adjusted,executed\nrevenue,710000000,2026,0,101201,10,0,10\n"
                #expect(try await deputy.postMultipart("/admin/import-budget", fields: [:],
                                                       files: [(field: "file", name: "own.csv", data: Data(own.utf8))]).status == .ok)
                #expect(try await deputy.postMultipart("/admin/import-budget", fields: [:],
                                                       files: [(field: "file", name: "other.csv", data: Data(other.utf8))]).status == .forbidden)
                let transfers = "kind,from,to,year,amount\nsubvention,republic,430000000,2026,100\n"
                #expect(try await deputy.postMultipart("/admin/import-budget", fields: [:],
                                                       files: [(field: "file", name: "t.csv", data: Data(transfers.utf8))]).status == .forbidden)
                var admin = Visitor(app)
                try await admin.signIn("admin")
                #expect(try await admin.postMultipart("/admin/import-budget", fields: [:],
                                                      files: [(field: "file", name: "t.csv", data: Data(transfers.utf8))]).status == .ok)
                let rows = try await app.db.sql.select().column("territory_id").from("budget_lines").all(decoding: [String: Int].self)
                #expect(rows.map { $0["territory_id"] } == [435200000])
                var anyone = Visitor(app)
                let list = try await anyone.get("/api/v1/budget/transfers?year=2026").body.string
                #expect(list.contains("\"to\":\"430000000\""))
            }
        }

        @Test func transfersMustGoBetweenNeighbouringBudgets() async throws {
            try await withAimaq { app, _ in
                let text = """
                kind,from,to,year,amount
                subvention,republic,430000000,2026,100
                subvention,430000000,435200000,2026,50
                subvention,435200000,435233000,2026,5
                withdrawal,710000000,republic,2026,70
                subvention,republic,435200000,2026,1
                withdrawal,republic,430000000,2026,1
                subvention,430000000,435200000,2026,0
                """
                guard case .failure(let problems) = await BudgetImporter.parse(text, app: app) else {
                    Issue.record("the file should be refused")
                    return
                }
                #expect(problems.items.map { "\($0.line):\($0.column)" } == ["6:3", "7:2", "8:5"])
            }
        }

        @Test func districtsWithAPopulationAreRankedPerPerson() async throws {
            try await withAimaq { app, _ in
                // A population table for every district of Kyzylorda region, given with the territories.
                let region = try KATOCode("430000000")
                let districts = TerritoryTree(try ReferenceData.readTerritories()).children(of: region).filter { $0.level == .district }
                let table = "kato,population\n" + districts.enumerated().map { "\($1.code),\(10_000 * ($0 + 1))" }.joined(separator: "\n")
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("population-\(UUID().uuidString).csv")
                try Data(table.utf8).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                try await ReferenceData.ensure(app, territories: try ReferenceData.readTerritories(population: file.path),
                                               replace: true, actor: "test")
                guard case .success(let parsed) = await BudgetImporter.parse(Self.lines, app: app) else {
                    Issue.record("the fixture file should be good")
                    return
                }
                _ = try await BudgetStore.write(parsed.file, app: app, actor: "test")
                struct Ranked: Decodable { var ownRevenue: Int64; var ownRevenuePerPerson: Double?; var rankedBy: String; var rank: Int? }
                var visitor = Visitor(app)
                let shieli = try await visitor.get("/api/v1/budget/indicators?territory=435200000&year=2026").content.decode(Ranked.self)
                let people = try #require(app.aimaq.territories.tree[try KATOCode("435200000")]?.population)
                #expect(shieli.rankedBy == "own_revenue_per_person")
                #expect(shieli.ownRevenuePerPerson == Double(shieli.ownRevenue) / Double(people))
                #expect(shieli.rank == 1) // the only district with revenue in the file
            }
        }

        struct WhatIfAnswer: Decodable {
            var totalsByLevel: [String: Int64]
            var rows: [Row]
            var codes: [String]
            var rules: String?
            var rulesYear: Int?
            var code: String?
            struct Row: Decodable { var territory: String; var ownBefore: Int64; var ownAfter: Int64 }
        }

        @Test func aSecondRuleTableIsComparedKeptAndShared() async throws {
            try await withAimaq { app, _ in
                guard case .success(let parsed) = await BudgetImporter.parse(Self.lines, app: app) else {
                    Issue.record("the fixture file should be good")
                    return
                }
                _ = try await BudgetStore.write(parsed.file, app: app, actor: "test")
                var visitor = Visitor(app)
                // The bundled rules of 2025 over those of 2026: income tax collected in the rural
                // district (1,000,000) goes back to the region and the district as in 2025.
                let back = try await visitor.get("/api/v1/budget/what-if?year=2026&rules=2025")
                #expect(back.status == .ok)
                let answer = try back.content.decode(WhatIfAnswer.self)
                let rules = app.aimaq.budget.rules
                let then = rules.split(1_000_000, of: RevenueCode("101201")!, in: 2025, collectedAt: .local)
                #expect(answer.codes.contains("101201") && answer.rules == "2025" && answer.rulesYear == 2025 && answer.code == nil)
                #expect(answer.totalsByLevel.values.reduce(0, +) == 0)
                #expect(answer.totalsByLevel["2"] == then[.regional] ?? 0)
                #expect(answer.totalsByLevel["3"] == (then[.district] ?? 0) - 1_000_000)
                #expect(answer.rows.first { $0.territory == "430000000" }.map { $0.ownAfter - $0.ownBefore } == then[.regional])

                // A table of one's own: only signed-in visitors may load one.
                let table = "year,code,level,share\n2026,101201,3,0.5\n2026,101201,4,0.5\n"
                let anonymous = try await visitor.postMultipart("/budget/what-if/rules", fields: ["text": table, "year": "2026"], files: [])
                #expect(anonymous.status == .seeOther)
                #expect(anonymous.headers.first(name: .location)?.hasPrefix("/signin") == true)
                // Asked for before it exists: not found, and not remembered as missing.
                let id = BudgetRuleTables.id(of: table)
                var early = Visitor(app)
                #expect(try await early.get("/api/v1/budget/what-if?year=2026&rules=\(id)").status == .notFound)
                try await visitor.signIn("citizen")
                let loaded = try await visitor.postMultipart("/budget/what-if/rules", fields: ["year": "2026"],
                                                             files: [(field: "file", name: "rules.csv", data: Data(table.utf8))])
                #expect(loaded.status == .seeOther)
                #expect(loaded.headers.first(name: .location) == "/budget/what-if?year=2026&rules=\(id)")
                // The address is shared: anyone sees the same comparison.
                var other = Visitor(app)
                let shared = try await other.get("/api/v1/budget/what-if?year=2026&rules=\(id)").content.decode(WhatIfAnswer.self)
                #expect(shared.codes == ["101201"] && shared.rulesYear == 2026)
                #expect(shared.totalsByLevel["3"] == -500_000 && shared.totalsByLevel["4"] == 500_000)
                #expect(shared.rows.first { $0.territory == "435233000" }.map { $0.ownAfter - $0.ownBefore } == 500_000)
                let response = try await other.get("/budget/what-if?year=2026&rules=\(id)&lang=en")
                // Read without signing in: the page starts no session (no form, no CSRF token).
                #expect(!response.headers[.setCookie].contains { $0.hasPrefix("aimaq_session") })
                let page = response.body.string
                #expect(page.contains("id=\"what-if-codes\"") && page.contains(id))
                #expect(page.contains("id=\"what-if-balance\">0 ₸"))
                #expect(!page.contains("id=\"what-if-upload\"")) // anonymous visitors are asked to sign in
                // The same text again is the same table, kept once, with one audit entry.
                let again = try await visitor.postMultipart("/budget/what-if/rules", fields: ["text": table, "year": "2026"], files: [])
                #expect(again.headers.first(name: .location) == "/budget/what-if?year=2026&rules=\(id)")
                let kept = try await app.db.sql.select().column(SQLAlias(SQLQueryString("COUNT(*)"), as: SQLIdentifier("n")))
                    .from("budget_rule_tables").first(decodingColumn: "n", as: Int.self)
                #expect(kept == 1)
                let audited = try await app.db.sql.select().column(SQLAlias(SQLQueryString("COUNT(*)"), as: SQLIdentifier("n")))
                    .from("audit_entries").where("action", .equal, SQLBind("budget.rule-table"))
                    .first(decodingColumn: "n", as: Int.self)
                #expect(audited == 1)

                // A bad table is refused with its line and column, and nothing is kept.
                let bad = try await visitor.postMultipart("/budget/what-if/rules?lang=en",
                                                          fields: ["text": "year,code,level,share\n2026,101201,3,0.5\n2026,101201,9,0.5\n", "year": "2026"],
                                                          files: [])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("line 3, column 3"))
                #expect(bad.body.string.contains("id=\"what-if-upload\""))
                let unknown = try await other.get("/api/v1/budget/what-if?year=2026&rules=0123456789abcdef")
                #expect(unknown.status == .notFound)
                #expect(try await other.get("/api/v1/budget/what-if?year=2026&rules=1999").status == .notFound)
            }
        }

        @Test func theWhatIfBalancesAndTheDemoKeepsItsAnchors() async throws {
            try await withAimaq { app, _ in
                let result = BudgetDemo.generate(tree: app.aimaq.territories.tree, rules: app.aimaq.budget.rules,
                                                 today: try CivilDate("2026-11-29"))
                // In 2025 (executed in full) the local budgets received exactly what was collected of
                // income tax, which stayed whole in the regions and districts.
                func sum(_ kind: BudgetImport.LineKind, _ year: Int) -> Int64 {
                    result.lines.filter { $0.kind == kind && $0.year == year && $0.code == "101201" }.reduce(0) { $0 + $1.executed }
                }
                #expect(sum(.collected, 2025) > 0)
                #expect(sum(.revenue, 2025) == sum(.collected, 2025))
                // In 2026 it all goes to districts.
                #expect(result.lines.filter { $0.kind == .revenue && $0.year == 2026 && $0.code == "101201" }
                    .allSatisfy { $0.level == .district || $0.territory.value == 710000000 })
                let astana = result.transfers.first { $0.kind == .withdrawal && $0.from?.value == 710000000 && $0.year == 2026 }
                #expect(astana?.amount == 125_655_286_000)
                #expect(result.lines.allSatisfy { $0.level == BudgetLevel(territory: $0.territory.level) || $0.kind == .collected })

                _ = try await BudgetStore.write(.lines(result.lines), app: app, actor: "test", demo: true)
                _ = try await BudgetStore.write(.transfers(result.transfers), app: app, actor: "test", demo: true)
                struct WhatIf: Decodable { var totalsByLevel: [String: Int64]; var rows: [Row]; var demo: Bool; var collected: Int64 }
                struct Row: Decodable { var territory: String; var ownBefore: Int64; var ownAfter: Int64 }
                var visitor = Visitor(app)
                let answer = try await visitor.get("/api/v1/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.25")
                #expect(answer.status == .ok)
                let whatIf = try answer.content.decode(WhatIf.self)
                #expect(whatIf.demo)
                #expect(whatIf.totalsByLevel.values.reduce(0, +) == 0)
                #expect((whatIf.totalsByLevel["4"] ?? 0) > 0)
                #expect(whatIf.totalsByLevel["4"] == -(whatIf.totalsByLevel["3"] ?? 0))
                #expect(!whatIf.rows.isEmpty)
                #expect(whatIf.rows.allSatisfy { $0.ownAfter != $0.ownBefore })
                let refused = try await visitor.get("/api/v1/budget/what-if?year=2026&code=101201&from=2&to=4&share=0.5")
                #expect(refused.status == .unprocessableEntity) // level 2 keeps nothing of it in 2026
                let page = try await visitor.get("/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.25&lang=en").body.string
                #expect(page.contains("id=\"what-if-balance\">0 ₸"))
                #expect(page.contains("Demo figures"))
                // The table's rows, written straight into bytes: a row per budget the API lists first,
                // with its link, its figures and the sign of its change.
                let english = try await visitor.get("/api/v1/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.25&lang=en")
                    .content.decode(WhatIf.self)
                let first = try #require(english.rows.first)
                let change = first.ownAfter - first.ownBefore
                let sign = change > 0 ? "+" : ""
                #expect(page.contains("<tr><td><a href=\"/territories/\(first.territory)\">"))
                #expect(page.contains("<td class=\"num\">\(sign)\(BudgetViews.MoneyFormat.text(change, .en, billions: " bn ₸", millions: " mn ₸"))</td>"),
                        "the change's cell")
                #expect(page.components(separatedBy: "<tr><td><a href=\"/territories/").count - 1 == min(english.rows.count, BudgetViews.rowsShown))
                // The code list is kept per code chosen: each page marks its own.
                let other = try await visitor.get("/budget/what-if?year=2026&code=101202&from=3&to=4&share=0.25&lang=en").body.string
                #expect(other.contains("<option value=\"101202\" selected>") && other.contains("<option value=\"101201\">"))
                #expect(page.contains("<option value=\"101201\" selected>") && page.contains("<option value=\"101202\">"))
            }
        }
    }
}

/// A subtree's budgets are added up from running sums: the same totals as a pass over every
/// budget, for every code of the tree and the codes between them.
@Suite struct BudgetSubtreeSums {
    @Test func consolidatedFiguresMatchAPassOverEveryBudget() throws {
        var generator = SystemRandomNumberGenerator()
        var budgets: [Int: BudgetFigures] = [:]
        let codes = [430000000, 431000000, 435200000, 435233000, 435233100, 435233110, 435400000, 435410000, 750000000, 751000000]
        for code in codes {
            budgets[code] = BudgetFigures(tax: Int64.random(in: 0 ... 1_000_000, using: &generator),
                                          nonTax: Int64.random(in: 0 ... 1_000, using: &generator),
                                          saleOfCapital: Int64.random(in: 0 ... 1_000, using: &generator),
                                          transfers: Int64.random(in: 0 ... 500_000, using: &generator),
                                          plan: Int64.random(in: 0 ... 2_000_000, using: &generator),
                                          executed: Int64.random(in: 0 ... 2_000_000, using: &generator))
        }
        let year = BudgetYear(year: 2026, budgets: budgets)
        let tree = TerritoryTree([])
        for code in codes + [110000000, 435300000, 435233200] {
            let kato = try KATOCode(number: code)
            var expected = BudgetFigures()
            var below: Int64 = 0
            for (id, figures) in budgets where kato.subtree.contains(id) {
                expected.tax += figures.tax
                expected.nonTax += figures.nonTax
                expected.saleOfCapital += figures.saleOfCapital
                expected.plan += figures.plan
                expected.executed += figures.executed
                if id == code { expected.transfers = figures.transfers } else { below += figures.own }
            }
            #expect(year.consolidated(kato, tree: tree) == expected, "\(code)")
            #expect(year.ownBelow(kato) == below, "\(code)")
        }
    }
}
