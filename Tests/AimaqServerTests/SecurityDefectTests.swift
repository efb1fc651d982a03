import AimaqCore
import Fluent
import Foundation
import NIOCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

/// The defects of issue 12, each with the test that failed before its fix.
extension ServerTests {
    @Suite struct SecurityDefects {
        /// The calendar feed address on "My work", as the account's browser sees it.
        static func feedPath(_ visitor: inout Visitor) async throws -> String {
            let page = try await visitor.get("/my").body.string
            let start = try #require(page.range(of: "href=\"/my/deadlines.ics?"))
            let rest = page[page.index(start.lowerBound, offsetBy: 6)...]
            let end = try #require(rest.firstIndex(of: "\""))
            return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
        }

        // 1. Citizens read non-public instructions through the calendar feed.
        @Test func calendarFeedShowsExactlyWhatTheAccountMaySee() async throws {
            try await withAimaq { app, fixture in
                let plan = fixture.plan
                func feed(_ key: String) async throws -> String {
                    var visitor = Visitor(app)
                    try await visitor.signIn(key)
                    let path = try await Self.feedPath(&visitor)
                    var reader = Visitor(app)
                    let response = try await reader.get(path)
                    #expect(response.status == .ok)
                    return response.body.string
                }
                // The citizen of Shieli: the non-public assignment awaiting review there is not theirs to see.
                for key in ["citizen", "expert"] {
                    let text = try await feed(key)
                    #expect(!text.contains("assignment-\(plan.hiddenAssignment)@"), "\(key)'s feed shows a non-public assignment")
                    #expect(!text.contains("BEGIN:VEVENT"), "\(key) has no work, so no deadlines")
                }
                // The officer: what the page lists to report on (their body's), no review work.
                let officer = try await feed("akimat")
                #expect(officer.contains("assignment-\(plan.shieliAssignment)@"))
                #expect(!officer.contains("assignment-\(plan.hiddenAssignment)@"))
                // The deputy: the report awaiting review, non-public but theirs.
                let deputy = try await feed("maslikhat")
                #expect(deputy.contains("assignment-\(plan.hiddenAssignment)@"))
            }
        }

        // 2. An API token turns into a web session that never expires.
        @Test func anAPITokenNeverMakesASessionAndOpensOnlyTheAPI() async throws {
            try await withAimaq { app, fixture in
                let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("maslikhat")).first())
                let token = try await APITokens.issue(account: try account.requireID(), name: "test", actor: "test", on: app.db)
                var bearer = HTTPHeaders()
                bearer.bearerAuthorization = BearerAuthorization(token: token)
                let api = try await app.testing().sendRequest(.GET, "/api/v1/reports?assignment=\(fixture.plan.hiddenAssignment)",
                                                              headers: bearer)
                #expect(api.status == .ok)
                #expect(api.headers[.setCookie].allSatisfy { !$0.hasPrefix(WebSessions.cookieName) })
                #expect(try await sessionCount(app) == 0)
                // Pages do not take a token.
                let page = try await app.testing().sendRequest(.GET, "/my", headers: bearer)
                #expect(page.status == .seeOther)
                // Revoked, it opens nothing any more.
                try await APIToken.query(on: app.db).filter(\.$accountID == (try account.requireID())).delete()
                let after = try await app.testing().sendRequest(.GET, "/api/v1/reports?assignment=\(fixture.plan.hiddenAssignment)",
                                                                headers: bearer)
                #expect(after.status == .unauthorized)
            }
        }

        // 3. Open redirect after sign-in.
        @Test func signInFollowsNoEncodedWayOffTheSite() async throws {
            for bad in ["/%09/evil.example", "/\t/evil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "/\\evil.example",
                        "https://evil.example/", "//evil.example", "/%0d%0a/evil.example", "evil.example"] {
                #expect(SignInController.safeNext(bad) == nil, "\(bad) was followed")
            }
            for good in ["/", "/admin/users", "/instructions?territory=430000000&status=assigned", "/territories/430000000#budget"] {
                #expect(SignInController.safeNext(good) == good)
            }
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let away = try await visitor.post("/signin", form: ["email": Fixture.email("admin"), "password": Fixture.password,
                                                                    "next": "/%09/evil.example"])
                #expect(away.headers.first(name: .location) == "/")
            }
        }

        // 4. Anonymous uploads held in memory.
        @Test func anUploadFromSomeoneWhoMayNotIsRefusedBeforeItsBodyIsRead() async throws {
            try await withAimaq { app, _ in
                // More than the plan import's 20 MB: read first, it would answer 413.
                let big = Data(repeating: 0x41, count: 21 << 20)
                var visitor = Visitor(app)
                let anonymous = try await visitor.postMultipart("/admin/import-plan", fields: [:], files: [("file", "plan.csv", big)])
                #expect(anonymous.status == .seeOther)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let refused = try await citizen.postMultipart("/admin/import-plan", fields: [:], files: [("file", "plan.csv", big)])
                #expect(refused.status == .forbidden)
                // Someone who may upload still gets the limit.
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let tooLarge = try await admin.postMultipart("/admin/import-plan", fields: [:], files: [("file", "plan.csv", big)])
                #expect(tooLarge.status == .payloadTooLarge)
            }
        }

        // 6. Sessions never expire on the server.
        @Test func sessionsEndOnTheServerWhenIdleOrOld() async throws {
            try await withAimaq { app, _ in
                let sql = app.db as! any SQLDatabase
                let now = KazakhstanTime.nowMilliseconds()
                func age(_ column: String, byMinutes minutes: Int64) async throws {
                    try await sql.update("web_sessions").set(column, to: SQLBind(now - minutes * 60_000)).run()
                }
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                #expect(try await deputy.get("/account").status == .ok)
                try await age("seen_at", byMinutes: 31)
                #expect(try await deputy.get("/account").status == .seeOther, "a staff session idle for 31 minutes still works")
                #expect(try await sessionCount(app) == 0)

                // A citizen is not held to the staff's idle limit, but to the 12 hours.
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                try await age("seen_at", byMinutes: 31)
                #expect(try await citizen.get("/account").status == .ok)
                try await age("created_at", byMinutes: 12 * 60 + 1)
                #expect(try await citizen.get("/account").status == .seeOther)

                // The clean-up deletes what has ended without anybody coming back.
                var one = Visitor(app)
                try await one.signIn("expert")
                var two = Visitor(app)
                try await two.signIn("admin")
                #expect(try await sessionCount(app) == 2)
                try await age("seen_at", byMinutes: 45)
                let removed = try await WebSessions.purgeExpired(on: sql, now: KazakhstanTime.nowMilliseconds(),
                                                                 app.aimaq.configuration)
                #expect(removed == 2)
                #expect(try await sessionCount(app) == 0)
            }
        }

        @Test func anAccountSeesItsSessionsAndEndsTheOthers() async throws {
            try await withAimaq { app, _ in
                var laptop = Visitor(app)
                try await laptop.signIn("maslikhat")
                var phone = Visitor(app)
                try await phone.signIn("maslikhat")
                let page = try await laptop.get("/account").body.string
                #expect(page.components(separatedBy: "<time").count - 1 >= 4, "two sessions, each with two times")
                try await laptop.post("/account/sessions/end", form: [:])
                #expect(try await phone.get("/account").status == .seeOther)
                #expect(try await laptop.get("/account").status == .ok)
            }
        }

        // 7. Anyone can lock officials out, and their e-mail addresses are public.
        @Test func wrongPasswordsLockTheAccountOnlyFromThatAddressAndTellTheAccount() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                for _ in 0..<5 {
                    _ = try await visitor.post("/signin", form: ["email": Fixture.email("maslikhat"), "password": "a wrong guess"])
                }
                let locked = try await visitor.post("/signin", form: ["email": Fixture.email("maslikhat"), "password": Fixture.password])
                #expect(locked.status == .tooManyRequests)
                let throttle = app.aimaq.throttle
                let sql = app.db as! any SQLDatabase
                #expect(try await throttle.retryAfter(account: Fixture.email("maslikhat"), address: "unknown", db: sql) != nil)
                #expect(try await throttle.retryAfter(account: Fixture.email("maslikhat"), address: "10.1.2.3", db: sql) == nil,
                        "the official is locked out from an address that never failed")
                let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("maslikhat")).first())
                let told = try await NotificationRecord.query(on: app.db).filter(\.$accountID == (try account.requireID()))
                    .filter(\.$kind == "sign_in_locked").count()
                #expect(told == 1)
                // Failures are in the audit log.
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "signin.failed").count() == 5)
            }
        }

        @Test func forwardedAddressesAreBelievedOnlyFromTrustedProxies() async throws {
            try await withAimaq { app, _ in
                func address(peer: String, forwarded: String?, trusted: [String]) throws -> String {
                    var headers = HTTPHeaders()
                    if let forwarded { headers.add(name: .xForwardedFor, value: forwarded) }
                    let request = Request(application: app, method: .GET, url: URI(path: "/"), headers: headers,
                                          remoteAddress: try SocketAddress(ipAddress: peer, port: 4000),
                                          on: app.eventLoopGroup.next())
                    return ClientAddress.of(request, trusting: trusted)
                }
                let untrusted = try address(peer: "203.0.113.7", forwarded: "198.51.100.1", trusted: [])
                let otherProxy = try address(peer: "203.0.113.7", forwarded: "198.51.100.1", trusted: ["10.0.0.2"])
                let proxied = try address(peer: "10.0.0.2", forwarded: "198.51.100.1", trusted: ["10.0.0.2"])
                // A visitor's own header before the proxy's is not believed.
                let spoofed = try address(peer: "10.0.0.2", forwarded: "1.2.3.4, 198.51.100.1", trusted: ["10.0.0.2"])
                #expect(untrusted == "203.0.113.7")
                #expect(otherProxy == "203.0.113.7")
                #expect(proxied == "198.51.100.1")
                #expect(spoofed == "198.51.100.1")
            }
        }

        @Test func peopleAppearByNameNeverByEmail() async throws {
            try await withAimaq { app, fixture in
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let path = "/assignments/\(fixture.plan.shieliAssignment)/reports"
                #expect(try await officer.postMultipart(path, fields: ["text": "Work done", "value_\(fixture.plan.indicator)": "10"],
                                                        files: []).status == .seeOther)
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                try await deputy.post("/assignments/\(fixture.plan.shieliAssignment)/review",
                                      form: ["decision": "return", "remarks": "Add the figures"])
                var visitor = Visitor(app)
                let page = try await visitor.get("/assignments/\(fixture.plan.shieliAssignment)?lang=en").body.string
                #expect(!page.contains("@test.aimaq.kz"))
                // Names with their roles, in the visitor's language.
                #expect(page.contains("akimat (Akimat officer)"))
                #expect(page.contains("maslikhat (Maslikhat deputy)"))
                let api = try await visitor.get("/api/v1/reports?assignment=\(fixture.plan.shieliAssignment)").body.string
                #expect(!api.contains("@test.aimaq.kz"))
                #expect(api.contains("\"authorRole\":\"akimat_officer\"") && api.contains("\"reviewerRole\":\"maslikhat_deputy\""))
            }
        }

        // 8. Akimat officers cannot be bound to their body.
        @Test func anOfficerIsBoundToABodyAndWithoutOneReportsForNone() async throws {
            try await withAimaq { app, fixture in
                let shieli = try KATOCode("435200000")
                try await AccountAdministration.create(app, email: "bound@test.aimaq.kz", name: "Bound", role: .akimatOfficer,
                                                       scope: .subtree(shieli), body: .akimat, password: Fixture.password, actor: "test")
                try await AccountAdministration.create(app, email: "unbound@test.aimaq.kz", name: "Unbound", role: .akimatOfficer,
                                                       scope: .subtree(shieli), password: Fixture.password, actor: "test")
                let bound = try #require(try await Account.query(on: app.db).filter(\.$email == "bound@test.aimaq.kz").first())
                #expect(bound.bodyID == fixture.bodyID)
                // A body outside the account's territory, or for another role, is refused.
                await #expect(throws: AccountAdministration.Failure.self) {
                    try await AccountAdministration.create(app, email: "astana@test.aimaq.kz", name: "X", role: .akimatOfficer,
                                                           scope: .subtree(try KATOCode("710000000")), body: .id(fixture.bodyID),
                                                           password: Fixture.password, actor: "test")
                }
                await #expect(throws: AccountAdministration.Failure.self) {
                    try await AccountAdministration.create(app, email: "deputy2@test.aimaq.kz", name: "X", role: .maslikhatDeputy,
                                                           scope: .subtree(shieli), body: .akimat, password: Fixture.password, actor: "test")
                }
                let path = "/assignments/\(fixture.plan.shieliAssignment)/reports"
                let fields = ["text": "Work done", "value_\(fixture.plan.indicator)": "10"]
                var unbound = Visitor(app)
                _ = try await unbound.post("/signin", form: ["email": "unbound@test.aimaq.kz", "password": Fixture.password])
                #expect(try await unbound.postMultipart(path, fields: fields, files: []).status == .forbidden)
                #expect(try await Assignment.find(fixture.plan.shieliAssignment, on: app.db)?.status == .assigned)
                var boundVisitor = Visitor(app)
                _ = try await boundVisitor.post("/signin", form: ["email": "bound@test.aimaq.kz", "password": Fixture.password])
                #expect(try await boundVisitor.postMultipart(path, fields: fields, files: []).status == .seeOther)
                #expect(try await Assignment.find(fixture.plan.shieliAssignment, on: app.db)?.status == .reportSubmitted)

                // The administrators' form binds one too.
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let created = try await admin.post("/admin/users", form: [
                    "email": "formofficer@test.aimaq.kz", "name": "Form Officer", "role": "akimat_officer",
                    "territory": "435200000", "body": "akimat",
                ])
                #expect(created.status == .ok)
                let viaForm = try await Account.query(on: app.db).filter(\.$email == "formofficer@test.aimaq.kz").first()
                #expect(viaForm?.bodyID == fixture.bodyID)
            }
        }

        // 10. The smaller ones.
        @Test func theReviewerDecidesWhetherEvidenceIsPublished() async throws {
            try await withAimaq { app, fixture in
                let id = fixture.plan.shieliAssignment
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.postMultipart("/assignments/\(id)/reports", fields: ["text": "Done"],
                                                        files: [("files[]", "act.pdf", Data("%PDF-1.4 act".utf8))]).status == .seeOther)
                let file = try #require(try await EvidenceFile.query(on: app.db).sort(\.$id, .descending).first())
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let form = try await deputy.get("/assignments/\(id)").body.string
                let fileID = try file.requireID()
                #expect(form.contains("name=\"evidence\" type=\"radio\" value=\"restricted\""))
                #expect(try await deputy.post("/assignments/\(id)/review", form: ["decision": "accept", "evidence": "restricted"]).status == .seeOther)
                var visitor = Visitor(app)
                #expect(try await visitor.get("/evidence/\(fileID)").status == .seeOther)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.get("/evidence/\(fileID)").status == .forbidden)
                #expect(try await deputy.get("/evidence/\(fileID)").status == .ok)
            }
        }

        @Test func aNewTokenPageIsNeverStoredAndHTTPSIsRemembered() async throws {
            try await withAimaq(configure: { $0.secureCookies = true }) { app, _ in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let page = try await deputy.post("/my/tokens", form: ["name": "laptop"])
                #expect(page.headers.first(name: .cacheControl) == "no-store")
                #expect(page.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=") == true)
            }
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let plain = try await visitor.get("/")
                #expect(plain.headers.first(name: "Strict-Transport-Security") == nil)
            }
        }

        @Test func oneAccountKeepsABoundedNumberOfRuleTables() async throws {
            try await withAimaq { app, _ in
                let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("citizen")).first())
                for n in 0..<BudgetRuleTables.perAccount {
                    _ = try await BudgetRuleTables.store("table \(n)", account: try account.requireID(), actor: "test", on: app.db)
                }
                // The same text again is no new table.
                _ = try await BudgetRuleTables.store("table 0", account: try account.requireID(), actor: "test", on: app.db)
                await #expect(throws: BudgetRuleTables.QuotaReached.self) {
                    _ = try await BudgetRuleTables.store("one too many", account: try account.requireID(), actor: "test", on: app.db)
                }
            }
        }
    
        // 9. The audit chain can be rewritten by anyone with database access.
        @Test func theAuditLogIsSignedAndAnAnchorFindsRemovedEntries() async throws {
            try await withAimaq { app, fixture in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                _ = try await deputy.get("/evidence/\(fixture.plan.evidence)")
                var stranger = Visitor(app)
                _ = try await stranger.post("/signin", form: ["email": Fixture.email("expert"), "password": "not the password at all"])
                let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
                #expect(actions.contains("signin") && actions.contains("signin.failed") && actions.contains("evidence.download"))
                let entries = try await AuditEntry.query(on: app.db).sort(\.$id).all()
                #expect(entries.allSatisfy { $0.hash.hasPrefix(AuditChain.keyedPrefix) })

                let anchor = try #require(try await AuditLog.anchor(on: app.db))
                #expect(try await AuditLog.verify(on: app.db, anchor: anchor).0 == nil)
                // The newest two entries removed: the chain alone still verifies, the anchor does not.
                let sql = app.db as! any SQLDatabase
                try await sql.delete(from: "audit_entries").where("id", .greaterThan, SQLBind(anchor.sequence - 2)).run()
                #expect(try await AuditLog.verify(on: app.db).0 == nil)
                let (broken, intact) = try await AuditLog.verify(on: app.db, anchor: anchor)
                #expect(broken == .truncated(anchor: anchor.sequence, last: anchor.sequence - 2))
                #expect(intact == anchor.sequence - 2)

                // An entry changed and its hash recomputed without the key is found.
                let victim = try #require(try await AuditEntry.find(2, on: app.db))
                var record = victim.record
                record.actor = "someone else"
                record.hash = AuditChain.hash(of: record)
                try await sql.update("audit_entries").set("actor", to: SQLBind(record.actor)).set("hash", to: SQLBind(record.hash))
                    .where("id", .equal, SQLBind(2)).run()
                #expect(try await AuditLog.verify(on: app.db).0 == .unkeyed(sequence: 2))
            }
        }

        @Test func aServerWithAnotherAuditKeyRefusesToStart() async throws {
            try await withAimaq { app, _ in
                // The key this installation signs with is recorded; another one is refused, saying why.
                try await AuditLog.checkKey(try AuditKey.load(app.aimaq.configuration), on: app.db)
                var other = app.aimaq.configuration
                other.auditKey = String(repeating: "ab", count: 32)
                let otherKey = try AuditKey.load(other)
                await #expect {
                    try await AuditLog.checkKey(otherKey, on: app.db)
                } throws: { error in
                    "\(error)".contains("AIMAQ_AUDIT_KEY")
                }
                // A key file is made once, for its owner only, and read back the same.
                var fileConfig = testConfiguration()
                fileConfig.auditKey = nil
                let made = try AuditKey.load(fileConfig)
                #expect(try AuditKey.load(fileConfig) == made)
                let path = fileConfig.dataDirectory + "/" + AuditKey.fileName
                let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                #expect(permissions == 0o600)
            }
        }

        @Test func aBudgetImportRecordsTheDigestOfItsFile() async throws {
            try await withAimaq { app, _ in
                var admin = Visitor(app)
                try await admin.signIn("admin")
                let csv = "kind,territory,year,month,code,approved,adjusted,executed\nrevenue,435200000,2026,0,101201,100,0,90\n"
                let response = try await admin.postMultipart("/admin/import-budget", fields: [:],
                                                             files: [(field: "file", name: "b.csv", data: Data(csv.utf8))])
                #expect(response.status == .ok)
                let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "budget.import").first())
                #expect(entry.after?.contains("\"sha256\":\"\(BudgetStore.digest(csv.utf8))\"") == true)
            }
        }
    
        // 5. No rate limits except sign-in.
        @Test func expensiveWorkIsLimitedPerVisitorAcrossServers() async throws {
            try await withAimaq(file: true, configure: { $0.rateLimits = "export=2,compute=3" }) { app, _ in
                let second = try await ServerTests.ChangeFeed.secondServer(sharing: app) { $0.rateLimits = "export=2,compute=3" }
                do {
                    try await startEarlyInRateWindow()
                    var visitor = Visitor(app)
                    for _ in 0..<2 { #expect(try await visitor.get("/instructions/export?format=csv").status == .ok) }
                    let refused = try await visitor.get("/budget/export?year=2026&format=csv")
                    #expect(refused.status == .tooManyRequests)
                    let wait = Int(refused.headers.first(name: .retryAfter) ?? "") ?? 0
                    #expect((1...60).contains(wait))
                    // A signed-in account is counted apart from its address.
                    var deputy = Visitor(app)
                    try await deputy.signIn("maslikhat")
                    #expect(try await deputy.get("/instructions/export?format=json").status == .ok)

                    // The other server learns the count through the database.
                    try await app.aimaq.limits.sync(on: app.db as! any SQLDatabase)
                    var elsewhere = Visitor(second)
                    let there = try await elsewhere.get("/instructions/export?format=csv")
                    #expect(there.status == .ok, "the second server counts only after reading the totals")
                    try await second.aimaq.limits.sync(on: second.db as! any SQLDatabase)
                    #expect(try await elsewhere.get("/instructions/export?format=csv").status == .tooManyRequests)

                    // A what-if computed afresh counts; the same one again comes from the cache.
                    var planner = Visitor(app)
                    try await planner.signIn("expert")
                    for share in ["0.1", "0.2", "0.3"] {
                        #expect(try await planner.get("/api/v1/budget/what-if?year=2026&code=101201&from=3&to=4&share=\(share)").status == .ok)
                    }
                    #expect(try await planner.get("/api/v1/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.1").status == .ok)
                    let over = try await planner.get("/api/v1/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.4")
                    #expect(over.status == .tooManyRequests)
                    #expect(over.headers.first(name: .retryAfter) != nil)
                } catch {
                    try? await second.asyncShutdown()
                    throw error
                }
                try await second.asyncShutdown()
            }
        }
    }
}
