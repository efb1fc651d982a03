import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Appeals {
        static let water = "В ауле у школы третью неделю нет питьевой воды, водопровод не восстановлен, просим помочь"

        /// Submits an appeal through the form and returns its id (from the redirect).
        static func submit(_ visitor: inout Visitor, text: String = water, topic: String = "water", territory: String = "435200000",
                           publishable: Bool = false, addressee: String = "akimat") async throws -> Int {
            var form = ["territory": territory, "topic": topic, "text": text, "addressee": addressee]
            if publishable { form["publishable"] = "1" }
            let response = try await visitor.post("/appeals", form: form)
            #expect(response.status == .seeOther, "\(response.body.string)")
            let location = try #require(response.headers.first(name: .location))
            return try #require(Int(location.split(separator: "/").last ?? ""))
        }

        static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }

        @Test func anAppealIsRegisteredRoutedAnsweredRatedAndEscalatedWithNothingLost() async throws {
            try await withAimaq { app, fixture in
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let id = try await Self.submit(&citizen)
                let appeal = try #require(try await AppealStore.find(id, on: Self.sql(app)))
                #expect(appeal.number == "43-2026-" + String(repeating: "0", count: 6 - String(id).count) + String(id))
                #expect(appeal.bodyID == fixture.bodyID, "water in Shieli goes to the Shieli akimat")
                #expect(appeal.status == .registered && appeal.registeredOn == Fixture.today)
                #expect(app.aimaq.calendar.workingDays(from: Fixture.today, to: appeal.deadline) == 15)
                let own = try await citizen.get("/appeals/\(id)?lang=en").body.string
                #expect(own.contains("Appeal No. \(appeal.number)") && own.contains("Awaiting an answer") && own.contains("третью неделю"))
                #expect(try await citizen.get("/appeals/mine?lang=en").body.string.contains(appeal.number))

                // Nobody else reads a private appeal; the officers of another region cannot answer it.
                var stranger = Visitor(app)
                #expect(try await stranger.get("/appeals/\(id)").status == .notFound)
                try await stranger.signIn("astana-officer")
                #expect(try await stranger.get("/appeals/\(id)").status == .notFound)
                #expect(try await stranger.post("/appeals/\(id)/answer", form: ["answer": "No"]).status == .forbidden)
                #expect(!(try await stranger.get("/appeals/inbox").body.string.contains(appeal.number)))

                // The Shieli officer sees it in the inbox, extends the term once, then answers.
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let inbox = try await officer.get("/appeals/inbox?lang=en").body.string
                #expect(inbox.contains(appeal.number) && inbox.contains("1 awaiting an answer"))
                #expect(try await officer.post("/appeals/\(id)/extension", form: ["reason": " "]).status == .unprocessableEntity)
                #expect(try await officer.post("/appeals/\(id)/extension", form: ["reason": "A site check is needed"]).status == .seeOther)
                #expect(try await officer.post("/appeals/\(id)/extension", form: ["reason": "Again"]).status == .conflict)
                let extended = try #require(try await AppealStore.find(id, on: Self.sql(app)))
                #expect(extended.status == .extended && app.aimaq.calendar.workingDays(from: appeal.deadline, to: extended.deadline) == 15)
                #expect(try await citizen.post("/appeals/\(id)/rating", form: ["rating": "5"]).status == .conflict, "nothing to rate yet")
                #expect(try await officer.post("/appeals/\(id)/answer", form: ["answer": "The pipe was repaired on 5 March."]).status == .seeOther)
                #expect(try await officer.post("/appeals/\(id)/answer", form: ["answer": "Again"]).status == .conflict)

                // Only the author rates; a poor rating sends it to the regional akimat, keeping the first answer.
                #expect(try await officer.post("/appeals/\(id)/rating", form: ["rating": "1"]).status == .forbidden)
                #expect(try await citizen.post("/appeals/\(id)/rating", form: ["rating": "7"]).status == .unprocessableEntity)
                #expect(try await citizen.post("/appeals/\(id)/rating", form: ["rating": "3"]).status == .seeOther)
                #expect(try await citizen.post("/appeals/\(id)/escalation", form: [:]).status == .conflict, "3 is not poor")
                #expect(try await citizen.post("/appeals/\(id)/rating", form: ["rating": "1", "note": "Still no water"]).status == .seeOther)
                #expect(try await citizen.post("/appeals/\(id)/escalation", form: [:]).status == .seeOther)
                let escalated = try #require(try await AppealStore.find(id, on: Self.sql(app)))
                let regional = try #require(app.aimaq.bodies.bodies(of: try KATOCode("430000000")).first { $0.kind == .akimat })
                #expect(escalated.status == .escalated && escalated.bodyID == regional.id && escalated.escalations == 1)
                #expect(escalated.history.map(\.kind) == ["registered", "extended", "answered", "rated", "rated", "escalated"])
                #expect(escalated.history.contains { $0.text == "The pipe was repaired on 5 March." })
                #expect(try await officer.post("/appeals/\(id)/answer", form: ["answer": "x"]).status == .forbidden,
                        "the district's officer no longer answers for it")
                let page = try await citizen.get("/appeals/\(id)?lang=en").body.string
                #expect(page.contains("Sent to the body above") && page.contains("The pipe was repaired on 5 March."))

                // Every step is in the audit chain, without the text.
                let audit = try await AuditEntry.query(on: app.db).filter(\.$entity == "appeal").all()
                #expect(audit.map(\.action) == ["appeal.register", "appeal.extend", "appeal.answer", "appeal.rate", "appeal.rate", "appeal.escalate"])
                #expect(!audit.contains { ($0.after ?? "").contains("питьевой") || ($0.after ?? "").contains("repaired") })
            }
        }

        @Test func aPublishedAppealShowsItsTextWithoutPersonalDataAndAPrivateOneShowsNoText() async throws {
            try await withAimaq { app, _ in
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let published = try await Self.submit(&citizen, text: "Нет воды третью неделю, звоните +7 701 123 45 67, пишите a@b.kz",
                                                      publishable: true)
                let hidden = try await Self.submit(&citizen, text: "Сосед захватил часть моего участка, прошу разобраться", topic: "land")
                let anonymous = Visitor(app)
                var reader = anonymous
                let page = try await reader.get("/appeals/\(published)?lang=en").body.string
                #expect(page.contains("Нет воды третью неделю") && !page.contains("701") && !page.contains("a@b.kz") && !page.contains(">citizen<"))
                #expect(try await reader.get("/appeals/\(hidden)").status == .notFound)
                let register = try await reader.get("/appeals?lang=en").body.string
                #expect(register.contains("2 appeals") && register.contains("(not published)") && !register.contains("участка"))
                // The visitors' page is kept rendered, and made anew after any change to appeals.
                #expect(try await reader.get("/appeals?lang=en").body.string.contains("2 appeals"))
                _ = try await Self.submit(&citizen, text: "Ещё одно обращение о воде в ауле, третье по счёту", publishable: true)
                #expect(try await reader.get("/appeals?lang=en").body.string.contains("3 appeals"))
                let csv = try await reader.get("/appeals.csv").body.string
                #expect(csv.contains("Нет воды") && !csv.contains("участка") && !csv.contains("701 123"))
                #expect(try await reader.get("/appeals?topic=nonsense").status == .badRequest)
                // The API gives the same public fields; the author reads their own in full.
                let list = try await reader.get("/api/v1/appeals").content.decode(ListDTO<AppealAPI.AppealDTO>.self)
                #expect(list.total == 3 && list.items.allSatisfy { $0.author == nil })
                #expect(list.items.first { $0.id == published }?.text?.contains("701") == false)
                #expect(list.items.first { $0.id == hidden }?.text == nil)
                #expect(try await reader.get("/api/v1/appeals/\(hidden)").status == .notFound)
                let own = try await citizen.get("/api/v1/appeals/\(hidden)").content.decode(AppealAPI.AppealDTO.self)
                #expect(own.text?.contains("участка") == true && own.author == "citizen")
                #expect(try await reader.get("/api/v1/appeals?channel=fax").status == .badRequest)
                #expect(try await reader.get("/api/v1/appeals?territory=").status == .badRequest, "the API takes no empty filter")
                #expect(try await reader.get("/api/v1/visits?territory=").status == .badRequest)
                #expect(try await reader.get("/appeals?territory=&topic=").status == .ok, "the form's “any”")
                #expect(try await reader.get("/appeals/new").status == .seeOther)
                // A refused form comes back with what was typed.
                let refused = try await citizen.post("/appeals", form: ["territory": "435200000", "topic": "water", "text": "Too short"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Too short"))
                #expect(try await citizen.post("/appeals", form: ["territory": "710000000", "topic": "water", "text": Self.water]).status
                        == .forbidden, "an appeal goes to the bodies of one's own territory")
            }
        }

        @Test func similarAppealsAreGroupedAndAnsweredTogether() async throws {
            try await withAimaq { app, _ in
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let first = try await Self.submit(&citizen)
                let second = try await Self.submit(&citizen, text: "Третью неделю у школы нет питьевой воды: водопровод так и не восстановлен")
                let other = try await Self.submit(&citizen, text: "Питьевую воду привозят раз в месяц, бочка грязная, нужен новый подвоз",
                                                  territory: "430000000")
                let roads = try await Self.submit(&citizen, text: "Ямы на дороге к школе, просим отремонтировать дорогу", topic: "roads")
                let stored = try await AppealStore.list(AppealStore.Filter(), on: Self.sql(app)).items
                let group = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0.groupID) })
                #expect(group[second] == first && group[first] == first)
                #expect(group[other] == other, "another district is another bucket")
                #expect(group[roads] == roads)
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let inbox = try await officer.get("/appeals/inbox?lang=en").body.string
                #expect(inbox.contains("Similar"))
                let page = try await officer.get("/appeals/\(second)?lang=en").body.string
                #expect(page.contains("Similar appeals (1)") && page.contains("Answer all 1 similar appeals"))
                #expect(try await officer.post("/appeals/\(second)/answer", form: ["answer": "Water is back since 10 March.", "together": "1"])
                    .status == .seeOther)
                let answered = try await AppealStore.list(AppealStore.Filter(status: .answered), on: Self.sql(app)).items.map(\.id).sorted()
                #expect(answered == [first, second])
                // Regrouping from scratch finds the same groups.
                try await Self.sql(app).update("appeals").set("group_id", to: SQLBind(Int?.none)).run()
                let result = try await AppealStore.regroup(on: app.db)
                #expect(result.appeals == 4 && result.groups == 3)
                let regrouped = try await AppealStore.list(AppealStore.Filter(), on: Self.sql(app)).items
                #expect(regrouped.first { $0.id == second }?.groupID == first)
            }
        }

        @Test func anAppealSubmittedThroughTheAPIIsCheckedLikeTheFormAndRegistered() async throws {
            try await withAimaq { app, fixture in
                let citizen = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("citizen")).first())
                let token = try await APITokens.issue(account: try citizen.requireID(), name: "test", actor: "test", on: app.db)
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: token)
                headers.contentType = .json
                func post(_ body: String, _ headers: HTTPHeaders) async throws -> TestingHTTPResponse {
                    try await app.testing().sendRequest(.POST, "/api/v1/appeals", headers: headers, body: ByteBuffer(string: body))
                }
                var anonymous = HTTPHeaders()
                anonymous.contentType = .json
                #expect(try await post(#"{"territory":"435200000","topic":"water","text":"No water in the village for ten days now"}"#, anonymous)
                    .status == .unauthorized)
                let short = try await post(#"{"territory":"435200000","topic":"water","text":"Too short"}"#, headers)
                #expect(short.status == .unprocessableEntity && short.body.string.contains("20"))
                #expect(try await post(#"{"territory":"710000000","topic":"water","text":"No water in the village for ten days now"}"#, headers)
                    .status == .forbidden)
                let created = try await post(#"{"territory":"435200000","topic":"water","text":"No water in the village for ten days now","publishable":true}"#, headers)
                #expect(created.status == .created)
                let appeal = try created.content.decode(AppealAPI.AppealDTO.self)
                #expect(appeal.body == fixture.bodyID && appeal.status == "registered" && appeal.channel == "online"
                        && appeal.author == "citizen" && appeal.number.hasPrefix("43-2026-"))
            }
        }

        @Test func statisticsCountOverdueOnTimeAndRatingsByRegionAndDistrict() async throws {
            try await withAimaq { app, _ in
                // The kept tally is loaded before any appeal, so what follows reaches it change by change.
                #expect(try await app.aimaq.appealTally.read(db: Self.sql(app)) { $0.count } == 0)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let answered = try await Self.submit(&citizen)
                _ = try await Self.submit(&citizen, text: "Ямы на дороге к школе, просим отремонтировать дорогу", topic: "roads")
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.post("/appeals/\(answered)/answer", form: ["answer": "Done."]).status == .seeOther)
                #expect(try await citizen.post("/appeals/\(answered)/rating", form: ["rating": "4"]).status == .seeOther)
                app.aimaq.clock.pin(try CivilDate("2026-05-01"))
                let counts = try await AppealStatistics.counts(within: nil, topic: nil, today: try CivilDate("2026-05-01"), on: Self.sql(app))
                #expect(counts[43] == AppealCounts(total: 2, awaiting: 1, overdue: 1, answered: 1, answeredOnTime: 1, ratings: 1, ratingSum: 4))
                let districts = try await AppealStatistics.counts(within: try KATOCode("430000000"), topic: "roads",
                                                                  today: try CivilDate("2026-05-01"), on: Self.sql(app))
                #expect(districts == [435200000: AppealCounts(total: 1, awaiting: 1, overdue: 1)])
                try await app.catchUpChanges()
                let kept = try await app.aimaq.appealTally.read(db: Self.sql(app)) { tally in
                    (tally.counts(region: nil, topic: nil, today: try! CivilDate("2026-05-01")),
                     tally.counts(region: 43, topic: "roads", today: try! CivilDate("2026-05-01")), tally.byTopic(region: 43))
                }
                #expect(kept.0 == counts && kept.1 == districts)
                #expect(kept.2 == (try await AppealStatistics.byTopic(within: try KATOCode("430000000"), today: try CivilDate("2026-05-01"),
                                                                      on: Self.sql(app))))
                let page = try await citizen.get("/appeals/statistics?lang=en").body.string
                #expect(page.contains("Appeals per 10,000 inhabitants") && page.contains("100%"))
                let regional = try await citizen.get("/appeals/statistics?territory=430000000&lang=en").body.string
                #expect(regional.contains("District"))
                let overdue = try await citizen.get("/appeals?overdue=1&lang=en").body.string
                #expect(overdue.contains("1 appeals") && overdue.contains("Overdue"))
            }
        }
    }
}

@Suite struct FreshEnoughTests {
    actor Counter {
        var made = 0
        func next() -> Int { made += 1; return made }
    }

    @Test func aValueIsMadeOncePerVersionAndMayLagWhileVersionsMoveFast() async throws {
        let cache = FreshEnough<String>()
        let counter = Counter()
        let make: @Sendable (Int) async throws -> (String, version: Int) = { version in ("made \(await counter.next())", version) }
        #expect(try await cache.value("k", version: 1, maxStale: .seconds(60)) { try await make(1) } == "made 1")
        #expect(try await cache.value("k", version: 1, maxStale: .seconds(60)) { try await make(1) } == "made 1", "same version: kept")
        #expect(try await cache.value("k", version: 2, maxStale: .seconds(60)) { try await make(2) } == "made 1",
                "a newer version within the allowed lag: the previous value")
        #expect(try await cache.value("k", version: 2, maxStale: .zero) { try await make(2) } == "made 2", "no lag allowed: made anew")
        #expect(try await cache.value("k", version: 2, maxStale: .zero) { try await make(2) } == "made 2")
        #expect(try await cache.value("other", version: 2, maxStale: .zero) { try await make(2) } == "made 3", "keys apart")
        #expect(await counter.made == 3)
    }

    @Test func withABackgroundLoopAnOldValueIsServedAtOnceWhileTheNewOneIsMadeOffThePath() async throws {
        let cache = FreshEnough<String>()
        let loop = LoopThreads(threads: 1)
        let counter = Counter()
        // The present is moved rather than waited for: the thresholds hold however busy the machine is.
        let stale = Duration.seconds(100)
        let later = ContinuousClock.now + .seconds(80)
        let make: @Sendable (Int) async throws -> (String, version: Int) = { version in ("made \(await counter.next())", version) }
        #expect(try await cache.value("k", version: 1, maxStale: stale, background: loop.executor) { try await make(1) } == "made 1",
                "nothing kept yet: made by the request")
        #expect(try await cache.value("k", version: 2, maxStale: stale, background: loop.executor) { try await make(2) } == "made 1",
                "younger than three quarters of the allowed lag: served as it is")
        let (gate, open) = AsyncStream<Void>.makeStream()
        let slow: @Sendable () async throws -> (String, version: Int) = {
            for await _ in gate { break }
            return ("remade \(await counter.next())", 2)
        }
        #expect(try await cache.value("k", version: 2, maxStale: stale, background: loop.executor, now: later, make: slow) == "made 1",
                "past three quarters of the lag: the old value at once, while the new one is made")
        #expect(try await cache.value("k", version: 2, maxStale: stale, background: loop.executor, now: later) { try await make(2) }
                == "made 1", "one remaking at a time")
        open.yield()
        var served = ""
        for _ in 0..<500 where served != "remade 2" {
            try await Task.sleep(for: .milliseconds(2))
            served = try await cache.value("k", version: 2, maxStale: stale, background: loop.executor, now: later) { try await make(2) }
        }
        let made = await counter.made
        #expect(served == "remade 2" && made == 2, "the value remade in the background is kept and served")
        // After a quiet spell longer than the allowed lag, the reader waits for the new value.
        #expect(try await cache.value("k", version: 3, maxStale: stale, background: loop.executor, now: later + .seconds(110)) {
            try await make(3)
        } == "made 3")
        await loop.shutdown()
    }

    @Test func aNumberIsReadAtMostOncePerAgeAndNeverGoesBack() async throws {
        let number = RecentNumber()
        let counter = Counter()
        #expect(try await number.value(maxAge: .seconds(60)) { await counter.next() } == 1)
        #expect(try await number.value(maxAge: .seconds(60)) { await counter.next() } == 1, "read within the age: shared")
        #expect(try await number.value(maxAge: .zero) { await counter.next() } == 2, "no age allowed: read again")
        #expect(try await number.value(maxAge: .zero) { 0 } == 2, "an older reading does not move it back")
        #expect(await counter.made == 2)
    }
}
