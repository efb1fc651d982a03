import AimaqCore
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Referendums {
        /// The 20 first-level units with made-up populations.
        static let regions: [Territory] = [10, 11, 15, 19, 23, 27, 31, 33, 35, 39, 43, 47, 55, 59, 61, 62, 63, 71, 75, 79].map { number in
            Territory(code: try! KATOCode(number: number * 10_000_000), parent: nil, kind: .oblast,
                      name: LocalizedName(kk: "\(number)", ru: "\(number)", en: "\(number)"), population: 300_000 + number * 25_000)
        }

        @Test func theDemoSplitAddsUpToTheOfficialTotalsAndKeepsTheKnownTurnouts() {
            let tallies = ReferendumDemo.regionalTallies(regions: Self.regions)
            #expect(tallies.count == 20)
            let sum = tallies.values.reduce(Tally.empty(answers: 2), +)
            #expect(sum == ReferendumDemo.national)
            for (code, tally) in tallies {
                #expect(tally.problems().isEmpty, "\(code): \(tally)")
                if let known = ReferendumDemo.knownTurnout[code.regionNumber] {
                    #expect(abs(tally.participants * 10_000 / tally.eligible - known) <= 1, "\(code)")
                }
            }
            #expect(ReferendumDemo.apportion(10, by: [1, 1, 1]) == [4, 3, 3])
        }

        @Test func theResultsPageShowsTheVerdictTheMapsAndTheTable() async throws {
            try await withAimaq { app, _ in
                _ = try await ReferendumDemo.load(app, progress: { _ in })
                let id = try #require(try await ReferendumStore.all(on: app.db as! any SQLDatabase).first?.id)
                var client = Visitor(app)
                let list = try await client.get("/referendums?lang=en")
                #expect(list.status == .ok)
                #expect(list.body.string.contains("/referendums/\(id)"))
                let page = try await client.get("/referendums/\(id)?lang=en")
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("The referendum is valid and the decision is adopted."))
                #expect(html.contains("Turnout: 9,127,192 of 12,482,613 eligible voters (73.12%)"))
                #expect(html.contains("Yes: 7,954,667 of 9,127,192 (of those who took part, 87.15%)"))
                #expect(html.contains("Yes won in 2 of 2 regions; at least 1 needed."))
                #expect(html.components(separatedBy: "class=\"tile-map\"").count == 3, "two maps")
                #expect(html.contains("Demo data"))
                let russian = try await client.get("/referendums/\(id)?lang=ru")
                #expect(russian.body.string.contains("Референдум признан состоявшимся"))
                let csv = try await client.get("/referendums/\(id)/results.csv")
                #expect(csv.status == .ok)
                let lines = csv.body.string.split(whereSeparator: \.isNewline)
                #expect(lines.first == "kato,name,eligible,participants,yes,no,invalid,turnout,yes_share,demo")
                #expect(lines.count == 4, "the country and two regions")
                #expect(lines[1].contains(",12482613,9127192,7954667,898099,146558,73.12,87.15,true"))
                #expect(try await client.get("/referendums/999").status == .notFound)
            }
        }

        @Test func protocolsAreCheckedTogetherAndNothingIsStoredWhenOneIsWrong() async throws {
            try await withAimaq { app, _ in
                let tree = app.aimaq.territories.tree
                let id = try await ReferendumStore.create(ReferendumRecord(
                    id: 0, heldOn: "2026-03-15", kind: "republican", title: LocalizedName(kk: "t", ru: "t", en: "t"),
                    question: LocalizedName(kk: "q", ru: "q", en: "q"), rules: .republican, demo: false), actor: "test", on: app.db)
                let district = try KATOCode("435200000"), region = try KATOCode("430000000")
                let tally = Tally(eligible: 100, participants: 70, answers: [50, 18], invalid: 2)
                try await ReferendumStore.record([district: tally], referendum: id, actor: "test", tree: tree, on: app.db)
                // The region as a whole beside its district would count the district twice.
                await #expect(throws: ReferendumStore.StoreProblem.self) {
                    try await ReferendumStore.record([region: tally, try KATOCode("710000000"): tally], referendum: id,
                                                     actor: "test", tree: tree, on: app.db)
                }
                let stored = try await ReferendumStore.results(id, on: app.db as! any SQLDatabase)
                #expect(stored == [district: tally], "the refused import left nothing, not even Astana's line")
                await #expect(throws: ReferendumStore.StoreProblem.self) {
                    try await ReferendumStore.record([try KATOCode("479999999"): tally], referendum: id, actor: "test",
                                                     tree: tree, on: app.db)
                }
                // A territory given again is replaced.
                let corrected = Tally(eligible: 100, participants: 71, answers: [51, 18], invalid: 2)
                try await ReferendumStore.record([district: corrected], referendum: id, actor: "test", tree: tree, on: app.db)
                #expect(try await ReferendumStore.results(id, on: app.db as! any SQLDatabase) == [district: corrected])
                let (broken, _) = try await AuditLog.verify(on: app.db)
                #expect(broken == nil)
            }
        }
    }
}

extension ServerTests {
    @Suite struct CivicAPITests {
        @Test func referendumsAndDiscussionsAreOpenDataAsJSON() async throws {
            try await withAimaq { app, _ in
                _ = try await ReferendumDemo.load(app, progress: { _ in })
                _ = try await DiscussionDemo.load(app, progress: { _ in })
                var visitor = Visitor(app)
                let list = try await visitor.get("/api/v1/referendums")
                let listed = try JSONSerialization.jsonObject(with: Data(list.body.string.utf8)) as? [String: Any]
                #expect(listed?["total"] as? Int == 1 && listed?["page"] as? Int == 1)
                let id = try #require(((listed?["items"] as? [[String: Any]])?.first?["id"]) as? Int)
                let one = try await visitor.get("/api/v1/referendums/\(id)")
                let referendum = try #require(try JSONSerialization.jsonObject(with: Data(one.body.string.utf8)) as? [String: Any])
                #expect(referendum["passed"] as? Bool == true)
                #expect((referendum["national"] as? [String: Any])?["yes"] as? Int == 7_954_667)
                #expect((referendum["checks"] as? [[String: Any]])?.map { $0["rule"] as? String } == ["turnout", "pass", "regions"])
                #expect(try await visitor.get("/api/v1/referendums/999").status == .notFound)
                let discussions = try await visitor.get("/api/v1/discussions?per=1")
                let page = try JSONSerialization.jsonObject(with: Data(discussions.body.string.utf8)) as? [String: Any]
                #expect(page?["total"] as? Int == 3 && (page?["items"] as? [Any])?.count == 1)
                #expect(try await visitor.get("/api/v1/discussions?per=0").status == .badRequest)
                let all = try await DiscussionStore.all(on: app.db as! any SQLDatabase)
                let national = try #require(all.first { $0.territory == nil })
                let detail = try await visitor.get("/api/v1/discussions/\(national.id)")
                let body = try #require(try JSONSerialization.jsonObject(with: Data(detail.body.string.utf8)) as? [String: Any])
                #expect(body["version"] as? Int == 2 && (body["articles"] as? [Any])?.count == 61)
                #expect((body["discussion"] as? [String: Any])?["phase"] as? String == "expert", "2 March 2026: expert review")
            }
        }

        @Test func commissionsEnterProtocolsAndThePageShowsCountingAgainstTheElectorate() async throws {
            try await withAimaq { app, _ in
                let tree = app.aimaq.territories.tree
                let id = try await ReferendumStore.create(ReferendumRecord(
                    id: 0, heldOn: "2026-03-15", kind: "republican", title: LocalizedName(kk: "t", ru: "t", en: "t"),
                    question: LocalizedName(kk: "q", ru: "q", en: "q"), rules: .republican, demo: false), actor: "test", on: app.db)
                let shieli = try KATOCode("435200000"), astana = try KATOCode("710000000")
                let electorate = try ReferendumElectorate.parse("kato,eligible\n435200000,100\n710000000,300\n", tree: tree)
                try await ReferendumStore.setElectorate(electorate, referendum: id, actor: "test", on: app.db)
                try await ReferendumStore.record([shieli: Tally(eligible: 100, participants: 70, answers: [50, 18], invalid: 2)],
                                                 referendum: id, actor: "test", tree: tree, on: app.db)
                var visitor = Visitor(app)
                let page = try await visitor.get("/referendums/\(id)?lang=en").body.string
                #expect(page.contains("Protocols of 1 of 2 territories are in (25% of the electorate).") && page.contains("provisional"))
                #expect(!page.contains("protocol-form"), "visitors enter nothing")
                var astanaAdmin = Visitor(app)
                try await astanaAdmin.signIn("regional-admin")
                let form = try await astanaAdmin.get("/referendums/\(id)?lang=en").body.string
                #expect(form.contains("protocol-form") && form.contains("value=\"710000000\"") && !form.contains("value=\"435200000\""))
                let figures = ["kato": "710000000", "eligible": "300", "participants": "200", "yes": "150", "no": "45", "invalid": "5"]
                #expect(try await astanaAdmin.post("/referendums/\(id)/results", form: figures.merging(["participants": "400"]) { $1 })
                    .status == .unprocessableEntity, "more took part than were eligible")
                #expect(try await astanaAdmin.post("/referendums/\(id)/results", form: figures.merging(["kato": "435200000"]) { $1 })
                    .status == .forbidden, "another region's commission")
                #expect(try await astanaAdmin.post("/referendums/\(id)/results", form: figures).status == .seeOther)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.post("/referendums/\(id)/results", form: figures).status == .forbidden)
                let done = try await visitor.get("/referendums/\(id)?lang=en").body.string
                #expect(done.contains("Protocols of 2 of 2 territories are in (100% of the electorate).") && !done.contains("provisional"))
                #expect(try await ReferendumStore.results(id, on: app.db as! any SQLDatabase)[astana]?.participants == 200)
                // The electorate file says what is wrong, and where.
                #expect(throws: ReferendumProtocols.ProblemList.self) {
                    try ReferendumElectorate.parse("kato,eligible\n430000000,100\n435200000,50\n12,0\n", tree: tree)
                }
                do {
                    _ = try ReferendumElectorate.parse("kato,eligible\n430000000,100\n435200000,50\n12,x\n", tree: tree)
                    Issue.record("a nested territory and a bad line were taken")
                } catch let error as ReferendumProtocols.ProblemList {
                    #expect(error.problems.map(\.line) == [3, 4])
                    #expect(error.problems.first?.message.contains("lies in 430000000") == true)
                }
            }
        }
    }
}
