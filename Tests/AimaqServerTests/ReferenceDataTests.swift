import AimaqCore
import Fluent
import Testing
import Vapor
@testable import AimaqServer

extension ServerTests {
    @Suite struct Reference {
        @Test func everyDistrictAndCityHasItsOwnKazakhAndEnglishName() throws {
            // A name made by adding a Kazakh word to a Russian adjective ("Курмангазинский
            // ауданы") is a transliteration, not a Kazakh name.
            let russianEndings = ["ский ", "ская ", "ское ", "цкий ", "ский", "ская", "ное ", "ный ауданы"]
            var checked = 0
            for territory in try ReferenceData.readTerritories() where territory.code.level == .district
                || territory.kind == .city && territory.code.level == .ruralDistrict {
                let kk = territory.name.kk, en = territory.name.en
                #expect(!kk.isEmpty && !en.isEmpty, "\(territory.code): no name")
                #expect(!russianEndings.contains { kk.contains($0) } || kk == "Глубокое ауданы",
                        "\(territory.code) \(territory.name.ru): the Kazakh name \(kk) is the Russian one transliterated")
                #expect(!kk.contains("Г.А.") && !kk.contains("г.") && !kk.contains("район"),
                        "\(territory.code): the Kazakh name \(kk) keeps a Russian abbreviation")
                #expect(!en.hasSuffix("skiy District") && !en.hasSuffix("sky District") && !en.contains("G.A."),
                        "\(territory.code): the English name \(en) is the Russian one transliterated")
                checked += 1
            }
            #expect(checked > 240)
            let names = Dictionary(try ReferenceData.readTerritories().map { ($0.code.value, $0.name) }, uniquingKeysWith: { a, _ in a })
            #expect(names[234600000]?.kk == "Құрманғазы ауданы" && names[234600000]?.en == "Kurmangazy District")
            #expect(names[474600000]?.kk == "Маңғыстау ауданы")
        }

        @Test func theBundledCalendarFollowsTheLawAndTheMinistersOrders() throws {
            let calendar = try ReferenceData.calendar()
            func day(_ text: String) throws -> CivilDate { try CivilDate(text) }
            // The 2025 transfer: Friday 3 January off, Sunday 5 January worked.
            #expect(!calendar.isWorkingDay(try day("2025-01-03")))
            #expect(calendar.isWorkingDay(try day("2025-01-05")))
            // Constitution Day moves from 30 August (no longer a holiday from 2026) to 15 March (from 2027).
            #expect(calendar.isWorkingDay(try day("2026-08-31")))
            #expect(!calendar.isWorkingDay(try day("2025-09-01")))
            #expect(!calendar.isWorkingDay(try day("2027-03-15")))
            // A holiday on a weekend moves to the next working day; Kurban Ait does not move.
            #expect(!calendar.isWorkingDay(try day("2027-03-24")))
            #expect(calendar.isWorkingDay(try day("2027-05-17")))
        }

        @Test func theBundledClassifierLoadsWholeAndOnlyOnce() async throws {
            try await withAimaq { app, _ in
                let replaced = try await ReferenceData.ensure(app, territories: try ReferenceData.readTerritories(),
                                                              replace: true, actor: "test")
                #expect(replaced.territories == 16_264)
                let tree = app.aimaq.territories.tree
                #expect(tree.regions.count == 20)
                #expect(tree[try KATOCode("435200000")]?.name.en == "Shieli District")
                // Loading again changes nothing.
                let again = try await ReferenceData.ensure(app, actor: "test")
                #expect(again.loaded == false)
                #expect(again.territories == 16_264)
            }
        }

        @Test func demoDataIsIdempotentAndMarked() async throws {
            try await withAimaq { app, fixture in
                try await DemoData.load(app)
                let members = try await BodyMemberRecord.query(on: app.db).count()
                let accounts = try await Account.query(on: app.db).count()
                #expect(members > 100)
                try await DemoData.load(app)
                #expect(try await BodyMemberRecord.query(on: app.db).count() == members)
                #expect(try await Account.query(on: app.db).count() == accounts)
                for login in DemoData.logins {
                    #expect(try await Account.query(on: app.db).filter(\.$email == login.email).first() != nil)
                }
                var visitor = Visitor(app)
                let page = try await visitor.get("/bodies/\(fixture.bodyID)?lang=en").body.string
                #expect(page.contains("Demo data"))
                #expect(page.contains("Akim"))
                let signIn = try await visitor.post("/signin", form: ["email": "akimat.shieli@demo.aimaq.kz", "password": DemoData.password])
                #expect(signIn.status == .seeOther)
            }
        }

        @Test func aBadClassifierFileIsRefusedWithItsLineAndNothingChanges() async throws {
            try await withAimaq { app, _ in
                let broken = Fixture.kato + "10;1;4352x0000;Сломанный район\n"
                #expect {
                    try KATOClassifier.territories(classifier: broken, regions: Fixture.regions)
                } throws: { error in
                    "\(error)".contains("line 11")
                }
                #expect(app.aimaq.territories.tree.count == 9)
            }
        }
    }
}
