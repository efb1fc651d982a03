import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct SecondFactor {
        static func account(_ key: String, _ app: Application) async throws -> Account {
            try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email(key)).first())
        }

        static func code(_ secret: String?, offset: Int64 = 0) throws -> String {
            TOTP.code(secret: try #require(Base32.decode(secret ?? "")), time: KazakhstanTime.nowMilliseconds() / 1_000 + offset)
        }

        @Test func staffEnrolAndThenSignInWithACodeOrARecoveryCode() async throws {
            try await withAimaq(configure: { $0.secondFactorRequired = true }) { app, fixture in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                // Until enrolled, every page leads to the enrolment and nothing can be done.
                let my = try await deputy.get("/my")
                #expect(my.status == .seeOther && my.headers.first(name: .location) == "/account/second-factor")
                let review = try await deputy.post("/assignments/\(fixture.plan.hiddenAssignment)/review",
                                                   form: ["decision": "return", "remarks": "x"])
                #expect(review.status == .forbidden)
                let page = try await deputy.get("/account/second-factor")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("src=\"/account/second-factor/qr.svg\""))
                let qr = try await deputy.get("/account/second-factor/qr.svg")
                #expect(qr.headers.contentType?.subType == "svg+xml" && qr.body.string.hasPrefix("<svg"))
                let pending = try await Self.account("maslikhat", app).totpPending
                #expect(try await deputy.post("/account/second-factor", form: ["action": "enrol", "code": "000000"]).status
                    == .unprocessableEntity)
                let enrolled = try await deputy.post("/account/second-factor", form: ["action": "enrol", "code": try Self.code(pending)])
                #expect(enrolled.status == .ok)
                #expect(enrolled.headers.first(name: .cacheControl) == "no-store")
                let codes = enrolled.body.string.components(separatedBy: "<li><code>").dropFirst().compactMap { $0.components(separatedBy: "<").first }
                #expect(codes.count == 10)
                #expect(try await deputy.get("/my").status == .ok)
                let secret = try await Self.account("maslikhat", app).totpSecret
                #expect(secret == pending)

                // The password alone opens only the second step; no session yet.
                var next = Visitor(app)
                let first = try await next.post("/signin", form: ["email": Fixture.email("maslikhat"), "password": Fixture.password])
                #expect(first.status == .ok)
                #expect(next.cookies[WebSessions.cookieName] == nil)
                let challenge = try #require(Visitor.hiddenValue("challenge", in: first.body.string))
                let wrong = try await next.post("/signin/code", form: ["challenge": challenge, "code": "123456"])
                #expect(wrong.status == .unauthorized)
                // The enrolment used this step's code: the next step's works (a code works once).
                let right = try await next.post("/signin/code", form: ["challenge": challenge, "code": try Self.code(secret, offset: 30)])
                #expect(right.status == .seeOther)
                #expect(try await next.get("/my").status == .ok)
                // A forged challenge leads back to the sign-in.
                var forger = Visitor(app)
                let forged = try await forger.post("/signin/code", form: ["challenge": challenge + "x", "code": "123456"])
                #expect(forged.headers.first(name: .location) == "/signin")

                // A recovery code works once.
                for expected in [HTTPStatus.seeOther, .unauthorized] {
                    var lost = Visitor(app)
                    let step = try await lost.post("/signin", form: ["email": Fixture.email("maslikhat"), "password": Fixture.password])
                    let token = try #require(Visitor.hiddenValue("challenge", in: step.body.string))
                    #expect(try await lost.post("/signin/code", form: ["challenge": token, "code": codes[0]]).status == expected)
                }

                // An administrator's reset ends every session; the deputy enrols again.
                var admin = Visitor(app)
                try await admin.signIn("admin")
                _ = try await admin.get("/account/second-factor")
                let adminSecret = try await Self.account("admin", app).totpPending
                #expect(try await admin.post("/account/second-factor", form: ["action": "enrol", "code": try Self.code(adminSecret)]).status == .ok)
                let id = try await Self.account("maslikhat", app).requireID()
                try await admin.post("/admin/users/\(id)/second-factor-reset", form: [:])
                #expect(try await Self.account("maslikhat", app).totpSecret == nil)
                #expect(try await next.get("/account").status == .seeOther)
                var again = Visitor(app)
                try await again.signIn("maslikhat")
                #expect(try await again.get("/my").headers.first(name: .location) == "/account/second-factor")
                let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
                #expect(actions.contains("account.second_factor_on") && actions.contains("account.second_factor_reset"))
            }
        }

        @Test func citizensMayButNeedNot() async throws {
            try await withAimaq(configure: { $0.secondFactorRequired = true }) { app, _ in
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.get("/my").status == .ok)
                _ = try await citizen.get("/account/second-factor")
                let pending = try await Self.account("citizen", app).totpPending
                #expect(try await citizen.post("/account/second-factor", form: ["action": "enrol", "code": try Self.code(pending)]).status == .ok)
                // Turned off again with a fresh code.
                let off = try await citizen.post("/account/second-factor/off", form: ["code": try Self.code(pending, offset: 30)])
                #expect(off.status == .seeOther)
                #expect(try await Self.account("citizen", app).totpSecret == nil)
            }
        }
    }
}
