import AimaqCore
import Fluent
import Testing
import Vapor
@testable import AimaqServer

extension ServerTests {
    @Suite struct Reference {
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
