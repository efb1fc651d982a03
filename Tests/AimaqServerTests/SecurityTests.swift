import AimaqCore
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Security {
        @Test func wrongPasswordAndUnknownAccountGetTheSameAnswer() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let wrong = try await visitor.post("/signin", form: ["email": Fixture.email("expert"), "password": "not the password"])
                let unknown = try await visitor.post("/signin", form: ["email": "ghost@test.aimaq.kz", "password": "not the password"])
                #expect(wrong.status == .unauthorized)
                #expect(unknown.status == .unauthorized)
                let message = { (html: String) in html.components(separatedBy: "id=\"signin-error\">").last?.components(separatedBy: "<").first }
                #expect(message(wrong.body.string) == message(unknown.body.string))
                #expect(message(wrong.body.string)?.isEmpty == false)
            }
        }

        @Test func signInRotatesTheSessionAndSignOutEndsIt() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                // A visitor who is not signed in has no stored session (issue 12, defect 6).
                _ = try await visitor.csrfToken()
                #expect(visitor.cookies["aimaq_session"] == nil)
                #expect(try await sessionCount(app) == 0)
                try await visitor.signIn("maslikhat")
                let before = try #require(visitor.cookies["aimaq_session"])
                try await visitor.signIn("maslikhat")
                let after = try #require(visitor.cookies["aimaq_session"])
                #expect(before != after)
                #expect(try await visitor.get("/account").status == .ok)
                // The old session identifier is worthless now.
                var attacker = Visitor(app)
                attacker.cookies["aimaq_session"] = before
                #expect(try await attacker.get("/account").status == .seeOther)
                try await visitor.post("/signout", form: [:])
                #expect(try await visitor.get("/account").status == .seeOther)
                // …and so is the signed-out one, sent again.
                var replay = Visitor(app)
                replay.cookies["aimaq_session"] = after
                #expect(try await replay.get("/account").status == .seeOther)
            }
        }

        @Test func signInFollowsOnlyLocalNextPaths() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let local = try await visitor.post("/signin", form: ["email": Fixture.email("admin"), "password": Fixture.password, "next": "/admin/users"])
                #expect(local.headers.first(name: .location) == "/admin/users")
                var other = Visitor(app)
                let away = try await other.post("/signin", form: ["email": Fixture.email("admin"), "password": Fixture.password, "next": "//evil.example/x"])
                #expect(away.headers.first(name: .location) == "/")
            }
        }

        @Test func repeatedFailuresLockTheAccountForAWhile() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                for _ in 0..<5 {
                    let response = try await visitor.post("/signin", form: ["email": Fixture.email("citizen"), "password": "guess guess"])
                    #expect(response.status == .unauthorized)
                }
                let locked = try await visitor.post("/signin", form: ["email": Fixture.email("citizen"), "password": Fixture.password])
                #expect(locked.status == .tooManyRequests)
                #expect(locked.headers.first(name: .retryAfter) != nil)
                // Another account is not affected by this account's lock.
                let other = try await visitor.post("/signin", form: ["email": Fixture.email("expert"), "password": Fixture.password])
                #expect(other.status == .seeOther)
            }
        }

        @Test func formsWithoutAValidTokenAreRefusedAndChangeNothing() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                try await visitor.signIn("admin")
                let count = try await Account.query(on: app.db).count()
                let form = ["email": "new@test.aimaq.kz", "name": "New", "role": "citizen", "territory": "",
                            "password": "a long enough password"]
                let missing = try await visitor.post("/admin/users", form: form, csrf: false)
                #expect(missing.status == .forbidden)
                var forged = form
                forged[CSRFMiddleware.fieldName] = "forged-token"
                let wrong = try await visitor.post("/admin/users", form: forged, csrf: false)
                #expect(wrong.status == .forbidden)
                #expect(try await Account.query(on: app.db).count() == count)
                // A sign-in form without a token is refused too.
                var stranger = Visitor(app)
                let signIn = try await stranger.post("/signin", form: ["email": Fixture.email("admin"), "password": Fixture.password], csrf: false)
                #expect(signIn.status == .forbidden)
            }
        }

        @Test func administratorCreatesAnAccountThatCanSignInAndIsAudited() async throws {
            try await withAimaq { app, _ in
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let created = try await admin.post("/admin/users", form: [
                    "email": "Officer@Test.Aimaq.kz", "name": "New Officer", "role": "akimat_officer",
                    "territory": "433200000",
                ])
                // The administrator gets a one-time link, never a password.
                #expect(created.status == .ok)
                #expect(created.headers.first(name: .cacheControl) == "no-store")
                let link = try #require(passwordLink(in: created.body.string))
                let account = try #require(try await Account.query(on: app.db).filter(\.$email == "officer@test.aimaq.kz").first())
                #expect(account.role == .akimatOfficer)
                #expect(account.territoryID == 433200000)
                #expect(account.passwordHash.hasPrefix("$2"))
                let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "account.create").first())
                #expect(entry.actor == Fixture.email("admin"))
                #expect(entry.after?.contains("officer@test.aimaq.kz") == true)
                #expect(entry.after?.contains("$2") == false)

                // The person sets their own password with the link, once.
                var officer = Visitor(app)
                #expect(try await officer.get(link).status == .ok)
                let mismatch = try await officer.post(link, form: ["password": "a secret of my own 2026", "repeated": "something else"])
                #expect(mismatch.status == .unprocessableEntity)
                let set = try await officer.post(link, form: ["password": "a secret of my own 2026", "repeated": "a secret of my own 2026"])
                #expect(set.status == .ok)
                #expect(try await officer.get(link).status == .notFound, "a link works once")
                let signIn = try await officer.post("/signin", form: ["email": "officer@test.aimaq.kz", "password": "a secret of my own 2026"])
                #expect(signIn.status == .seeOther)
                let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
                #expect(actions.contains("account.password_link") && actions.contains("account.password_set"))
            }
        }

        @Test func aPasswordChangeOrAResetEndsEverySession() async throws {
            try await withAimaq { app, _ in
                var laptop = Visitor(app)
                try await laptop.signIn("maslikhat")
                var phone = Visitor(app)
                try await phone.signIn("maslikhat")
                let wrong = try await laptop.post("/account/password", form: [
                    "current": "not it at all", "password": "a brand new passphrase", "repeated": "a brand new passphrase"])
                #expect(wrong.status == .unprocessableEntity)
                let common = try await laptop.post("/account/password", form: [
                    "current": Fixture.password, "password": "password1234", "repeated": "password1234"])
                #expect(common.status == .unprocessableEntity)
                let changed = try await laptop.post("/account/password", form: [
                    "current": Fixture.password, "password": "a brand new passphrase", "repeated": "a brand new passphrase"])
                #expect(changed.status == .seeOther)
                #expect(try await phone.get("/account").status == .seeOther, "the other session ended")
                #expect(try await laptop.get("/account").status == .ok, "this browser signed in afresh")
                var again = Visitor(app)
                try await again.signIn("maslikhat", password: "a brand new passphrase")

                // An administrator's reset: a new link; using it ends the sessions too.
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("maslikhat")).first())
                let page = try await admin.post("/admin/users/\(try account.requireID())/password-link", form: [:])
                let link = try #require(passwordLink(in: page.body.string))
                var person = Visitor(app)
                _ = try await person.post(link, form: ["password": "after the reset 2026!", "repeated": "after the reset 2026!"])
                #expect(try await again.get("/account").status == .seeOther)
                var last = Visitor(app)
                try await last.signIn("maslikhat", password: "after the reset 2026!")
            }
        }

        @Test func anAdministratorChangesARoleWithinTheirScope() async throws {
            try await withAimaq { app, fixture in
                let citizen = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("citizen")).first())
                let path = "/admin/users/\(try citizen.requireID())"
                var regional = Visitor(app)
                try await regional.signIn("regional-admin")
                #expect(try await regional.get(path).status == .forbidden, "Shieli is outside Astana")
                var admin = Visitor(app)
                try await admin.signIn("admin")
                #expect(try await admin.get(path).status == .ok)
                let saved = try await admin.post(path, form: ["role": "akimat_officer", "territory": "435200000", "body": "akimat"])
                #expect(saved.status == .seeOther)
                let changed = try #require(try await Account.find(try citizen.requireID(), on: app.db))
                #expect(changed.role == .akimatOfficer)
                #expect(changed.bodyID == fixture.bodyID)
                let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "account.update").first())
                #expect(entry.before?.contains("\"role\":\"citizen\"") == true)
                #expect(entry.after?.contains("\"role\":\"akimat_officer\"") == true)
                // Out of scope: refused with the field named.
                let outside = try await regional.post(path, form: ["role": "citizen", "territory": "435200000"])
                #expect(outside.status == .forbidden)
            }
        }

        @Test func badAccountFormNamesEveryFieldAndSavesNothing() async throws {
            try await withAimaq { app, _ in
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let count = try await Account.query(on: app.db).count()
                let response = try await admin.post("/admin/users", form: [
                    "email": "not-an-email", "name": "", "role": "king", "territory": "999999999",
                ])
                #expect(response.status == .unprocessableEntity)
                let html = response.body.string
                for field in ["email", "name", "territory"] {
                    #expect(html.contains("id=\"\(field)-error\""), "no error shown for \(field)")
                }
                #expect(html.contains("value=\"not-an-email\""), "the form keeps what was typed")
                #expect(try await Account.query(on: app.db).count() == count)
            }
        }

        @Test func regionalAdministratorStaysInsideTheRegion() async throws {
            try await withAimaq { app, _ in
                var admin = Visitor(app)
                try await admin.signIn("regional-admin")
                let outside = try await admin.post("/admin/users", form: [
                    "email": "x@test.aimaq.kz", "name": "X", "role": "citizen", "territory": "435200000",
                    "password": "a long enough password",
                ])
                #expect(outside.status == .unprocessableEntity)
                let inside = try await admin.post("/admin/users", form: [
                    "email": "y@test.aimaq.kz", "name": "Y", "role": "citizen", "territory": "711100000",
                ])
                #expect(inside.status == .ok)
                let list = try await admin.get("/admin/users").body.string
                #expect(list.contains("y@test.aimaq.kz"))
                #expect(list.contains(Fixture.email("regional-admin")))
                #expect(!list.contains(Fixture.email("citizen")), "accounts of other regions stay hidden")
                // Nor can it switch off an account elsewhere.
                let citizen = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("citizen")).first())
                let toggle = try await admin.post("/admin/users/\(try citizen.requireID())/active", form: ["active": "false"])
                #expect(toggle.status == .forbidden)
                #expect(try await Account.find(citizen.id, on: app.db)?.active == true)
            }
        }

        @Test func deactivatedAccountLosesItsSession() async throws {
            try await withAimaq { app, _ in
                var expert = Visitor(app)
                try await expert.signIn("expert")
                #expect(try await expert.get("/account").status == .ok)
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("expert")).first())
                #expect(try await admin.post("/admin/users/\(try account.requireID())/active", form: ["active": "false"]).status == .seeOther)
                #expect(try await expert.get("/account").status == .seeOther)
                var stranger = Visitor(app)
                let again = try await stranger.post("/signin", form: ["email": Fixture.email("expert"), "password": Fixture.password])
                #expect(again.status == .unauthorized)
            }
        }

        @Test func auditChainVerifiesAndFindsATamperedEntry() async throws {
            try await withAimaq { app, _ in
                var admin = Visitor(app)
                try await admin.signIn("admin")
                for index in 0..<3 {
                    try await admin.post("/admin/users", form: [
                        "email": "audit\(index)@test.aimaq.kz", "name": "A\(index)", "role": "citizen",
                        "territory": "", "password": "a long enough password",
                    ])
                }
                let (intact, count) = try await AuditLog.verify(on: app.db, pageSize: 2)
                #expect(intact == nil)
                #expect(count >= 5)
                let page = try await admin.get("/admin/audit").body.string
                #expect(page.contains("audit2@test.aimaq.kz"))
                // Someone edits an entry behind the application's back.
                try await (app.db as! any SQLDatabase).update("audit_entries").set("actor", to: "nobody")
                    .where("id", .equal, 3).run()
                let (broken, before) = try await AuditLog.verify(on: app.db, pageSize: 100)
                #expect(broken == .wrongHash(sequence: 3))
                #expect(before == 2)
            }
        }
    }
}

/// How many sessions the server keeps.
func sessionCount(_ app: Application) async throws -> Int {
    struct Row: Decodable { var n: Int }
    return try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM web_sessions").first(decoding: Row.self)?.n ?? -1
}

/// The path of the one-time password link an administrator's page shows.
func passwordLink(in html: String) -> String? {
    guard let start = html.range(of: "id=\"password-link\">") else { return nil }
    let rest = html[start.upperBound...]
    guard let end = rest.firstIndex(of: "<"), let path = rest[..<end].range(of: "/password/") else { return nil }
    return String(rest[path.lowerBound..<end])
}
