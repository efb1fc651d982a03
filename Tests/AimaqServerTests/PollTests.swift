import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Polls {
        static func open(_ app: Application, territory: String?, closes: String = "2026-03-31") async throws -> Int {
            try await PollStore.create(PollRecord(
                id: 0, territory: try territory.map { try KATOCode($0) }, discussionID: nil,
                title: LocalizedName(kk: "С", ru: "В", en: "Parks or roads?"),
                options: [LocalizedName(kk: "Саябақ", ru: "Парки", en: "Parks"), LocalizedName(kk: "Жол", ru: "Дороги", en: "Roads")],
                opens: try CivilDate("2026-03-01"), closes: try CivilDate(closes), demo: false), actor: "test", on: app.db)
        }

        @Test func oneVotePerAccountResultsByRegionAndClosedAtTheEnd() async throws {
            try await withAimaq { app, _ in
                let id = try await Self.open(app, territory: nil)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let page = try await citizen.get("/polls/\(id)?lang=en").body.string
                #expect(page.contains("Choose your answer") && page.contains("consultative"))
                #expect(try await citizen.post("/polls/\(id)/vote", form: ["option": "5"]).status == .unprocessableEntity)
                #expect(try await citizen.post("/polls/\(id)/vote", form: ["option": "1"]).status == .seeOther)
                #expect(try await citizen.post("/polls/\(id)/vote", form: ["option": "0"]).status == .conflict, "one vote per account")
                var astana = Visitor(app)
                try await astana.signIn("astana-deputy")
                #expect(try await astana.post("/polls/\(id)/vote", form: ["option": "0"]).status == .seeOther)
                let after = try await citizen.get("/polls/\(id)?lang=en").body.string
                #expect(after.contains("Your answer: Roads.") && after.contains("Results (2 votes)"))
                let poll = try #require(try await PollStore.find(id, on: app.db as! any SQLDatabase))
                let results = try await PollStore.results(poll, on: app.db as! any SQLDatabase)
                #expect(results.total == [1, 1] && results.byRegion[43] == [0, 1] && results.byRegion[71] == [1, 0])
                let api = try await citizen.get("/api/v1/polls/\(id)").content.decode(ParticipationAPI.PollDTO.self)
                #expect(api.votes == [1, 1] && api.regions.count == 2)
                let csv = try await citizen.get("/polls/\(id)/results.csv").body.string
                #expect(csv.contains("430000000,") && csv.contains("710000000,"))
                // A poll of a territory is for its residents; a closed one takes no answer.
                let local = try await Self.open(app, territory: "430000000")
                #expect(try await astana.post("/polls/\(local)/vote", form: ["option": "0"]).status == .forbidden)
                let closed = try await Self.open(app, territory: nil, closes: "2026-03-01")
                app.aimaq.clock.pin(try CivilDate("2026-03-02"))
                #expect(try await citizen.post("/polls/\(closed)/vote", form: ["option": "0"]).status == .conflict)
                #expect(try await citizen.get("/polls/\(closed)?lang=en").body.string.contains("closed on 1 Mar 2026"))
            }
        }

        @Test func aDeputyOpensAPollOfTheirTerritoryFromThePageWithEveryProblemSaidAtOnce() async throws {
            try await withAimaq { app, _ in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let list = try await deputy.get("/polls?lang=en").body.string
                #expect(list.contains("poll-form") && list.contains("value=\"430000000\""))
                let bad = try await deputy.post("/polls?lang=en", form: ["options": "Only one", "territory": "430000000",
                                                                         "opens": "2026-03-01", "closes": "2026-02-01"])
                #expect(bad.status == .unprocessableEntity)
                let text = bad.body.string
                #expect(text.contains("Write the question") && text.contains("Give 2 to 10 options") && text.contains("opens today or later")
                        && text.contains("Only one"), "every problem at once, the form filled in")
                #expect(try await deputy.post("/polls", form: ["title_en": "Q", "options": "A\nB", "territory": "710000000",
                                                               "opens": "2026-03-02", "closes": "2026-03-31"]).status == .forbidden,
                        "another region")
                #expect(try await deputy.post("/polls", form: ["title_en": "Q", "options": "A\nB", "opens": "2026-03-02",
                                                               "closes": "2026-03-31"]).status == .forbidden,
                        "a maslikhat deputy opens no national poll")
                let made = try await deputy.post("/polls", form: [
                    "title_kk": "Аулаға не керек?", "title_en": "What does the village need?",
                    "options": "Су | Вода | Water\nЖол | Дорога | A road", "territory": "435200000", "opens": "2026-03-09", "closes": "2026-04-30"])
                #expect(made.status == .seeOther)
                let poll = try #require(try await PollStore.all(on: app.db as! any SQLDatabase).first { $0.title.en == "What does the village need?" })
                #expect(poll.title.ru == "Аулаға не керек?" && poll.options.map(\.ru) == ["Вода", "Дорога"] && poll.territory?.value == 435200000)
                // Before it opens, only those who may open polls there see it.
                #expect(try await deputy.get("/polls/\(poll.id)").status == .ok)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.get("/polls/\(poll.id)").status == .notFound)
                #expect(!(try await citizen.get("/polls").body.string.contains("What does the village need?")))
                #expect(!(try await citizen.get("/polls").body.string.contains("poll-form")))
                #expect(try await citizen.post("/polls", form: ["title_en": "Q", "options": "A\nB", "territory": "435200000",
                                                                "opens": "2026-03-02", "closes": "2026-03-31"]).status == .forbidden)
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "poll.create").count() == 1)
            }
        }

        @Test func theDemoPollsLoadOnce() async throws {
            try await withAimaq { app, _ in
                #expect(try await PollDemo.load(app, progress: { _ in }) == 2)
                #expect(try await PollDemo.load(app, progress: { _ in }) == 0)
                let polls = try await PollStore.all(on: app.db as! any SQLDatabase)
                let national = try #require(polls.first { $0.territory == nil })
                let results = try await PollStore.results(national, on: app.db as! any SQLDatabase)
                #expect(results.voters > 0 && results.byRegion.count == app.aimaq.territories.tree.regions.count)
                #expect(try #require(polls.first { $0.territory != nil }).isOpen(on: app.aimaq.clock.today()))
            }
        }
    }
}
