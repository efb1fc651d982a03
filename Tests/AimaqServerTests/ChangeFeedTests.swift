import AimaqCore
import Fluent
import Foundation
import NIOPosix
import SQLKit
import Synchronization
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct ChangeFeed {
        /// A second server on the same database, with the data folder and reference data of
        /// its own (as `aimaq serve` on another machine).
        static func secondServer(sharing first: Application,
                                 configure: (inout AimaqConfiguration) -> Void = { _ in }) async throws -> Application {
            let app = try await Application.make(.testing)
            var config = testConfiguration()
            configure(&config)
            config.dataDirectory = first.aimaq.configuration.dataDirectory
            let database: DatabaseChoice
            if case .sqliteMemory = TestDatabase.choice {
                database = .sqliteFile(first.aimaq.configuration.sqlitePath)
            } else {
                database = TestDatabase.choice
            }
            try await AimaqApp.configure(app, configuration: config, database: database)
            try await AimaqApp.loadReferenceData(app)
            app.aimaq.clock.pin(Fixture.today)
            return app
        }

        static func token(_ app: Application, _ key: String) async throws -> String {
            let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email(key)).first())
            return try await APITokens.issue(account: try account.requireID(), name: "test", actor: "test", on: app.db)
        }

        static func post(_ app: Application, _ path: String, token: String, json: String) async throws -> TestingHTTPResponse {
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: token)
            headers.contentType = .json
            return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: json))
        }

        @Test func aReportThroughOneServerShowsOnTheOtherAndOnlyItsPagesChange() async throws {
            try await withAimaq(file: true) { app, fixture in
                let other = try await Self.secondServer(sharing: app)
                do {
                    let sql = other.db as! any SQLDatabase
                    // The second server has read the register and rendered two pages.
                    let before = try await other.aimaq.register.current(sql)
                    #expect(before.index.entries.first { $0.id == fixture.plan.shieliAssignment }?.status == .assigned)
                    let shieli = try await other.testing().sendRequest(.GET, "/territories/435200000")
                    #expect(shieli.status == .ok)
                    let cachedBefore = try await other.testing().sendRequest(.GET, "/assignments/\(fixture.plan.shieliAssignment)")
                    #expect(cachedBefore.status == .ok)
                    #expect(!cachedBefore.body.string.contains("Road 12 km repaired"))
                    let parentBefore = try await other.testing().sendRequest(.GET, "/assignments/\(fixture.plan.regionAssignment)")
                    #expect(parentBefore.status == .ok)
                    let astana = try KATOCode(number: 710000000)
                    let astanaVersion = before.versions.territory(astana)
                    let shieliVersion = before.versions.territory(try KATOCode(number: 435200000))

                    let token = try await Self.token(app, "akimat")
                    let deputy = try await Self.token(app, "maslikhat")
                    let sent = try await Self.post(app, "/api/v1/reports", token: token,
                                                   json: #"{"assignment":\#(fixture.plan.shieliAssignment),"text":"Road 12 km repaired","values":{"\#(fixture.plan.indicator)":12}}"#)
                    #expect(sent.status == .created, "\(sent.body.string)")
                    // The writer sees its change at once.
                    let mine = try await app.aimaq.register.current(app.db as! any SQLDatabase)
                    #expect(mine.index.entries.first { $0.id == fixture.plan.shieliAssignment }?.status == .reportSubmitted)
                    // The next writes follow the lane's own entries with none missing: they are applied from memory.
                    let returned = try await Self.post(app, "/api/v1/reviews", token: deputy,
                                                       json: #"{"assignment":\#(fixture.plan.shieliAssignment),"decision":"return","remarks":"Photos, please"}"#)
                    #expect(returned.status == .ok, "\(returned.body.string)")
                    let lane = try #require(app.aimaq.writes)
                    #expect(app.aimaq.feed.lastApplied == lane.auditHead.current?.sequence)
                    let reviewed = try await app.aimaq.register.current(app.db as! any SQLDatabase)
                    #expect(reviewed.index.entries.first { $0.id == fixture.plan.shieliAssignment }?.status == .returned)
                    let resent = try await Self.post(app, "/api/v1/reports", token: token,
                                                     json: #"{"assignment":\#(fixture.plan.shieliAssignment),"text":"Road 12 km repaired, photos attached","values":{"\#(fixture.plan.indicator)":12}}"#)
                    #expect(resent.status == .created, "\(resent.body.string)")
                    #expect(try await app.aimaq.register.current(app.db as! any SQLDatabase).index.entries
                        .first { $0.id == fixture.plan.shieliAssignment }?.status == .reportSubmitted)

                    // The other server learns it from the feed (its poll calls this, on its write lane).
                    try await other.catchUpChanges()
                    let after = try await other.aimaq.register.current(sql)
                    #expect(after.index.entries.first { $0.id == fixture.plan.shieliAssignment }?.status == .reportSubmitted)
                    #expect(after.index.count == before.index.count)
                    #expect(after.versions.territory(try KATOCode(number: 435200000)) > shieliVersion)
                    #expect(after.versions.territory(astana) == astanaVersion, "a report in Shieli leaves Astana's pages alone")
                    let page = try await other.testing().sendRequest(.GET, "/assignments/\(fixture.plan.shieliAssignment)")
                    #expect(page.body.string.contains("Road 12 km repaired"), "the page kept for visitors follows the change")
                    let parent = try await other.testing().sendRequest(.GET, "/assignments/\(fixture.plan.regionAssignment)")
                    #expect(parent.body.string != parentBefore.body.string, "the parent's page lists the child's new status")
                    let register = try await other.testing().sendRequest(.GET, "/api/v1/assignments?territory=435200000&status=report_submitted")
                    #expect(register.body.string.contains("\"id\":\(fixture.plan.shieliAssignment)"))
                } catch {
                    try? await other.asyncShutdown()
                    throw error
                }
                try await other.asyncShutdown()
            }
        }

        @Test func signInLimitsSessionsAndEvidenceAreSharedBetweenServers() async throws {
            try await withAimaq(file: true) { app, fixture in
                let other = try await Self.secondServer(sharing: app)
                do {
                    // Evidence stored through the first server is served by the second.
                    var deputy = Visitor(other)
                    try await deputy.signIn("maslikhat")
                    let file = try await deputy.get("/evidence/\(fixture.plan.evidence)")
                    #expect(file.status == .ok)
                    #expect(file.body.string == "%PDF-1.4 test")
                    // A session made on the second server is valid on the first.
                    var sameCookies = Visitor(app)
                    sameCookies.cookies = deputy.cookies
                    #expect(try await sameCookies.get("/my").status == .ok)
                    // Failures counted on one server lock the account on the other.
                    var guesser = Visitor(app)
                    for _ in 0..<5 {
                        let wrong = try await guesser.post(SiteURL.signIn.path, form: ["email": Fixture.email("expert"), "password": "wrong password!"])
                        #expect(wrong.status == .unauthorized)
                    }
                    var elsewhere = Visitor(other)
                    let locked = try await elsewhere.post(SiteURL.signIn.path, form: ["email": Fixture.email("expert"), "password": Fixture.password])
                    #expect(locked.status == .tooManyRequests)
                    #expect(locked.headers.first(name: .retryAfter) != nil)
                } catch {
                    try? await other.asyncShutdown()
                    throw error
                }
                try await other.asyncShutdown()
            }
        }

        @Test func oneServerAtATimeHoldsTheSweepLease() async throws {
            try await withAimaq { app, _ in
                let sql = app.db as! any SQLDatabase
                func take(_ holder: String, _ seconds: Double) async throws -> Bool {
                    try await Lease.acquire("deadline-sweep", holder: holder, seconds: seconds, db: sql)
                }
                let first = try await take("a", 60)
                let refused = try await take("b", 60)
                let renewed = try await take("a", 60)
                #expect(first && !refused && renewed, "the holder keeps and renews it; another is refused")
                // Run out: another server takes it over.
                let ranOut = try await take("a", -1)
                let takenOver = try await take("b", 60)
                let refusedNow = try await take("a", 60)
                #expect(ranOut && takenOver && !refusedNow)
            }
        }

        @Test func aWriteLaneThatKeptAnOlderHeadOfTheAuditChainChainsToTheNewestEntry() async throws {
            try await withAimaq(file: true) { app, _ in
                let other = try await Self.secondServer(sharing: app)
                do {
                    let first = try #require(app.aimaq.writes)
                    let second = try #require(other.aimaq.writes)
                    func write(_ lane: WriteLane, _ n: Int) async throws {
                        let writer = AuditLog.Writer(database: lane.database, executor: lane.executor, exclusive: lane.exclusive,
                                                     head: lane.auditHead)
                        try await AuditLog.record(on: writer, actor: "test") { _ in
                            ((), AuditEvent(action: "test.write", entity: "test", entityID: String(n), before: nil, after: nil))
                        }
                    }
                    try await write(first, 1)
                    try await write(first, 2)
                    // The other server appends: the first one's kept head is now an older entry.
                    try await write(second, 3)
                    try await write(first, 4)
                    let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "test.write").sort(\.$id).all()
                    #expect(entries.map(\.entityID) == ["1", "2", "3", "4"])
                    #expect(first.auditHead.current?.sequence == entries.last?.id && first.auditHead.current?.hash == entries.last?.hash)
                    #expect(try await AuditLog.verify(on: app.db).0 == nil)
                } catch {
                    try? await other.asyncShutdown()
                    throw error
                }
                try await other.asyncShutdown()
            }
        }

        @Test func aLaneAppliesItsOwnEntriesFromMemoryOnlyWhenNoneIsMissingBeforeThem() throws {
            let head = AuditLog.Head()
            func entry(_ n: Int) -> AuditRecord {
                AuditRecord(sequence: n, timestamp: 0, actor: "test", action: "test.write", entity: "test", entityID: String(n),
                            before: nil, after: nil, previousHash: "", hash: "h\(n)")
            }
            // Nothing kept: the log must be read.
            #expect(head.committed(after: 0).changes.isEmpty && !head.committed(after: 0).reachNewest)
            for n in [3, 4, 6, 7] { head.committed(entry(n)) }
            #expect(head.current?.sequence == 7 && head.current?.hash == "h7")
            // 2 and 5 were another process's: from 1, 2 is missing; from 2, the run stops at 4; from 5 it reaches 7.
            #expect(head.committed(after: 1).changes.isEmpty && !head.committed(after: 1).reachNewest)
            #expect(head.committed(after: 2).changes.map(\.sequence) == [3, 4] && !head.committed(after: 2).reachNewest)
            #expect(head.committed(after: 5).changes.map(\.entityID) == ["6", "7"] && head.committed(after: 5).reachNewest)
            // Already applied past the newest: nothing to apply, nothing to read for this lane's writes.
            #expect(head.committed(after: 9).changes.isEmpty && head.committed(after: 9).reachNewest)
        }

        @Test func aPlanImportedElsewhereReachesTheRegister() async throws {
            try await withAimaq(file: true) { app, _ in
                let other = try await Self.secondServer(sharing: app)
                do {
                    let sql = other.db as! any SQLDatabase
                    let before = try await other.aimaq.register.current(sql).index.count
                    let text = PlanImport.columns.joined(separator: ",") + "\n"
                        + "F1,protocol,2026-01-08,01,Feed meeting,9.1,Build a school,social,2026-12-31,once,yes,,,,435200000,\n"
                    let plan = try PlanImporter.parse(text, app: app).get()
                    _ = try await PlanImporter.write(plan, app: app, actor: "test")
                    try await other.catchUpChanges()
                    let after = try await other.aimaq.register.current(sql)
                    #expect(after.index.count == before + 1)
                    #expect(after.instructions.values.contains { $0.text == "Build a school" })
                } catch {
                    try? await other.asyncShutdown()
                    throw error
                }
                try await other.asyncShutdown()
            }
        }

        @Test func concurrentActionsOnOneAssignmentLandExactlyOnce() async throws {
            try await withAimaq(file: true) { app, fixture in
                let officer = try await Self.token(app, "akimat")
                let deputy = try await Self.token(app, "maslikhat")
                let id = fixture.plan.shieliAssignment
                // 64 reports at once on one assignment that awaits one: one lands.
                let reports = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for n in 0..<64 {
                        group.addTask {
                            try await Self.post(app, "/api/v1/reports", token: officer,
                                                json: #"{"assignment":\#(id),"text":"report \#(n)"}"#).status
                        }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(reports.filter { $0 == .created }.count == 1)
                #expect(reports.filter { $0 == .conflict }.count == 63, "\(reports)")
                // 64 reviews at once, accepting and returning: one lands.
                let reviews = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for n in 0..<64 {
                        group.addTask {
                            let decision = n % 2 == 0 ? #""decision":"accept""# : #""decision":"return","remarks":"again""#
                            return try await Self.post(app, "/api/v1/reviews", token: deputy,
                                                       json: #"{"assignment":\#(id),\#(decision)}"#).status
                        }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(reviews.filter { $0 == .ok }.count == 1, "\(reviews)")
                #expect(reviews.filter { $0 == .conflict }.count == 63)
                let reportsStored = try await ReportRecord.query(on: app.db).filter(\.$assignmentID == id).count()
                #expect(reportsStored == 1)
                let history = try await AssignmentEventRecord.query(on: app.db).filter(\.$assignmentID == id).all()
                #expect(history.filter { $0.event == "submit_report" }.count == 1)
                #expect(history.count == 2)
                let (broken, checked) = try await AuditLog.verify(on: app.db)
                #expect(broken == nil)
                #expect(checked > 2)
                // The register in memory agrees with the database.
                let stored = try #require(try await Assignment.find(id, on: app.db))
                let snapshot = try await app.aimaq.register.current(app.db as! any SQLDatabase)
                #expect(snapshot.index.entries.first { $0.id == id }?.status == stored.status)
            }
        }
    }

    /// The write lane on a SQLite file begins and ends its transactions on its own connection
    /// (no driver task): what a failed change wrote must go, and the lane must go on working.
    @Suite struct WriteLaneTransactions {
        struct Failed: Error {}

        @Test func aFailedChangeLeavesNothingAndTheNextOneLands() async throws {
            try await withAimaq(file: true) { app, fixture in
                guard let lane = app.aimaq.writes, lane.exclusive else { return }  // PostgreSQL: the driver's transaction
                let writer = AuditLog.Writer(database: lane.database, executor: lane.executor, exclusive: true)
                let id = fixture.plan.shieliAssignment
                let (_, before) = try await AuditLog.verify(on: app.db)
                let note = "written by a change that then failed"
                await #expect(throws: Failed.self) {
                    try await AuditLog.record(on: writer, actor: "test") { db -> ((), AuditEvent) in
                        try await db.sql.insert(into: ReportRecord.schema)
                            .columns("assignment_id", "period", "text", "author", "submitted_at", "state")
                            .values(SQLBind(id), SQLBind("final"), SQLBind(note), SQLBind("test"), SQLBind(Int64(1)),
                                    SQLBind("submitted"))
                            .run()
                        throw Failed()
                    }
                }
                let kept = try await ReportRecord.query(on: app.db).filter(\.$text == note).count()
                #expect(kept == 0, "the insert before the failure was rolled back")
                try await AuditLog.record(on: writer, actor: "test") { db in
                    try await db.sql.insert(into: ReportRecord.schema)
                        .columns("assignment_id", "period", "text", "author", "submitted_at", "state")
                        .values(SQLBind(id), SQLBind("final"), SQLBind("landed"), SQLBind("test"), SQLBind(Int64(2)),
                                SQLBind("submitted"))
                        .run()
                    return ((), AuditEvent(action: "test.report", entity: "report", entityID: "1", before: nil, after: nil))
                }
                #expect(try await ReportRecord.query(on: app.db).filter(\.$text == "landed").count() == 1)
                let (broken, after) = try await AuditLog.verify(on: app.db)
                #expect(broken == nil)
                #expect(after == before + 1, "one entry for the change that landed, none for the one that failed")
            }
        }
    }

    /// Readers past the gate's permits wait outside the event loop, first come first served;
    /// writes and routes that answer at once are not gated.
    @Suite struct ReadGates {
        actor Order {
            var admitted: [Int] = []
            func admit(_ n: Int) { admitted.append(n) }
        }

        @Test func readersPastThePermitsWaitTheirTurnInOrder() async throws {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()
            let gate = ReadGate(permits: 2, loop: loop)
            #expect(await gate.enter())
            #expect(await gate.enter())
            #expect(gate.load == (2, 0))
            let order = Order()
            var waiting: [Task<Void, Never>] = []
            for n in 1...5 {
                waiting.append(Task {
                    #expect(await gate.enter())
                    await order.admit(n)
                })
                // Each in the queue before the next starts: the order below is the queue's.
                for _ in 0..<5_000 where gate.load.waiting < n { try await Task.sleep(for: .milliseconds(1)) }
            }
            try #require(gate.load == (2, 5), "two at work, five waiting")
            #expect(await order.admitted.isEmpty, "nobody past the permits goes in")
            // One place at a time, so that the order seen is the gate's, not the scheduler's.
            for n in 1...5 {
                gate.leave()
                for _ in 0..<5_000 where await order.admitted.count < n { try await Task.sleep(for: .milliseconds(1)) }
                #expect(await order.admitted.last == n, "the oldest waiting reader goes in first")
                #expect(gate.load == (2, 5 - n))
            }
            for task in waiting { await task.value }
            gate.leave()
            gate.leave()
            #expect(gate.load == (0, 0), "every place given back")
            try await group.shutdownGracefully()
        }

        @Test func aReaderPastTheQueueIsTurnedAwayAtOnce() async throws {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let loop = group.next()
            let gate = ReadGate(permits: 1, queue: 2, loop: loop)
            #expect(await gate.enter())
            let waiting = (1...2).map { _ in Task { await gate.enter() } }
            for _ in 0..<5_000 where gate.load.waiting < 2 { try await Task.sleep(for: .milliseconds(1)) }
            try #require(gate.load == (1, 2))
            #expect(await gate.enter() == false, "a third waiting reader finds no place")
            #expect(gate.load == (1, 2), "and takes none")
            gate.leave()
            #expect(await waiting[0].value)
            gate.leave()
            #expect(await waiting[1].value)
            gate.leave()
            #expect(gate.load == (0, 0))
            try await group.shutdownGracefully()
        }

        @Test func aPageTurnedAwaySaysSoInTheVisitorsLanguageWithRetryAfter() async throws {
            try await withAimaq(configure: { $0.readConcurrency = 1; $0.readQueue = 1 }) { app, _ in
                // Every loop's one place taken and its one waiting place filled.
                let gates = try #require(app.routes.all.lazy.compactMap { $0.responder as? ReadGate.Gated }.first).gates
                var held: [Task<Bool, Never>] = []
                for gate in gates.values {
                    #expect(await gate.enter())
                    held.append(Task { await gate.enter() })
                    for _ in 0..<5_000 where gate.load.waiting < 1 { try await Task.sleep(for: .milliseconds(1)) }
                    try #require(gate.load == (1, 1))
                }
                let headers: HTTPHeaders = ["Accept-Language": "ru"]
                try await app.testing().test(.GET, "/territories/430000000", headers: headers) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers.first(name: "Retry-After") == "1")
                    #expect(response.body.string.contains("Повторите попытку"), "\(response.body.string.prefix(300))")
                    #expect(response.headers.contentType == .html)
                }
                try await app.testing().test(.GET, "/api/v1/assignments?territory=430000000&lang=en") { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers.first(name: "Retry-After") == "1")
                    let answer = try response.content.decode(APIErrorBody.self)
                    #expect(answer.error.status == 503 && answer.error.message.contains("moment"))
                }
                // The health check still answers: a balancer keeps sending readers here.
                try await app.testing().test(.GET, "/health") { response in
                    #expect(response.status == .ok)
                }
                for gate in gates.values { gate.leave() }
                for task in held { #expect(await task.value) }
                for gate in gates.values { gate.leave() }
                try await app.testing().test(.GET, "/territories/430000000") { response in
                    #expect(response.status == .ok, "places given back, pages served again")
                }
            }
        }

        /// Answers whether it runs on `loop`.
        struct Where: AsyncResponder {
            let loop: any EventLoop
            func respond(to request: Request) async throws -> Response {
                Response(status: loop.inEventLoop ? .ok : .conflict)
            }
        }

        @Test func pagesAreRenderedOnTheRenderThreadsNotTheEventLoops() async throws {
            try await withAimaq { app, _ in
                let render = LoopThreads(threads: 1)
                let loop = app.eventLoopGroup.next()
                let routes = Routes()
                routes.add(Route(method: .GET, path: ["where"], responder: Where(loop: render.executors[0].loop),
                                 requestType: Request.self, responseType: Response.self))
                ReadGate.guardReads(routes, loops: [loop], permits: 1, queue: 4, render: render.executors)
                let gated = try #require(routes.all.first?.responder as? ReadGate.Gated)
                #expect(gated.gates[ObjectIdentifier(loop)]?.loop === render.executors[0].loop)
                // Readers past the permit wait, then render there too.
                let answers = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 0..<3 {
                        group.addTask {
                            let request = Request(application: app, method: .GET, url: URI(path: "/where"), on: loop)
                            return try await gated.respond(to: request).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers == [.ok, .ok, .ok], "rendered on the render thread")
                let load = try #require(gated.gates[ObjectIdentifier(loop)]).load
                #expect(load == (0, 0))
                // The server's own pages answer as before with the render threads (the default).
                #expect(app.storage[LoopThreads.RenderKey.self] != nil)
                try await app.testing().test(.GET, "/instructions") { response in
                    #expect(response.status == .ok)
                }
                await render.shutdown()
            }
        }

        @Test func theLoopsThatReadRunAtALowerPriorityThanTheRest() async throws {
            #if os(Linux)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let loops = Array(group.makeIterator())
            let before = try await loops[0].submit { ReadPriority.currentThreadNice() }.get()
            try await ReadPriority.lower(loops, by: 5)
            for loop in loops {
                #expect(try await loop.submit { ReadPriority.currentThreadNice() }.get() == min(19, before + 5))
            }
            try await ReadPriority.lower(loops, by: 30)
            #expect(try await loops[1].submit { ReadPriority.currentThreadNice() }.get() == 19, "never past 19")
            #expect(ReadPriority.currentThreadNice() == before, "other threads keep theirs")
            try await group.shutdownGracefully()
            #endif
        }

        @Test func everyAsynchronousReadIsGatedAndNothingElse() async throws {
            try await withAimaq { app, _ in
                var gated = 0
                for route in app.routes.all {
                    let isGated = route.responder is ReadGate.Gated
                    if ReadGate.ungated.contains("/" + route.path.string) {
                        #expect(!isGated, "\(route.description): a health check waits behind the readers")
                    } else if route.method == .GET, route.responder is any AsyncResponder {
                        #expect(isGated, "\(route.description) reads without the gate")
                    } else if route.method != .GET {
                        #expect(!isGated, "\(route.description) is a write behind the readers' gate")
                    }
                    if isGated { gated += 1 }
                }
                #expect(gated > 50)
                // A gated page answers as before, and gives its place back.
                try await app.testing().test(.GET, "/territories/430000000") { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    @Suite struct PageCacheLimits {
        @Test func theLeastRecentlyUsedLeavesFirstAndBytesStayWithinTheLimit() {
            var lru = ByteLRU<String, Int>(capacity: 100)
            lru.set("a", 1, bytes: 40)
            lru.set("b", 2, bytes: 40)
            #expect(lru.value(for: "a") == 1)
            lru.set("c", 3, bytes: 40)
            #expect(lru.value(for: "b") == nil, "b was the least recently used")
            #expect(lru.value(for: "a") == 1)
            #expect(lru.value(for: "c") == 3)
            #expect(lru.bytes == 80)
            lru.set("huge", 4, bytes: 101)
            #expect(lru.value(for: "huge") == nil)
            lru.set("a", 5, bytes: 10)
            #expect(lru.value(for: "a") == 5)
            #expect(lru.bytes == 50)
            for n in 0..<1_000 { lru.set("k\(n)", n, bytes: 7) }
            #expect(lru.bytes <= 100)
            #expect(lru.count == 14)
        }

        @Test func variantsNeverEvictThePagesEverybodyReads() {
            let cache = PageCache(enabled: true, megabytes: 1)
            cache.storeAnonymousPage("territory:430000000", String(repeating: "x", count: 100_000), version: 1)
            let filler = String(repeating: "y", count: 10_000)
            for n in 0..<500 {
                cache.storeAnonymousPage("what-if:\(n)", filler, version: 1, partition: .variant)
            }
            #expect(cache.cachedAnonymousPage("territory:430000000", version: 1) != nil)
            #expect(cache.cachedAnonymousPage("territory:430000000", version: 2) == nil, "another version is a miss")
            #expect(cache.usage.variants <= 262_144)
            #expect(cache.cachedAnonymousPage("what-if:499", version: 1, partition: .variant) != nil)
            #expect(cache.cachedAnonymousPage("what-if:0", version: 1, partition: .variant) == nil)
        }
    }

    @Test func aPageOfAnOlderVersionIsServedWhileItIsRemadeOffThePathAndAFailedRemakeIsNotServedAgain() async throws {
        // The present is moved by the test, never waited for: the thresholds hold however busy the machine is.
        let clock = ManualClock()
        let cache = PageCache(enabled: true, megabytes: 1, clock: { clock.now })
        let loop = LoopThreads(threads: 1)
        let renders = Renders()
        let lag = Duration.seconds(100)
        func page(_ version: Int, _ render: @escaping @Sendable () async throws -> String) async throws -> String {
            try await cache.anonymousPage("p", version: version, lag: lag, background: loop.executor, render: render)
        }
        #expect(try await page(1) { "v1 #\(await renders.next())" } == "v1 #1", "nothing kept: made by the reader")
        #expect(try await page(2) { "v2 #\(await renders.next())" } == "v1 #1", "younger than three quarters of the lag: served as it is")
        let (gate, open) = AsyncStream<Void>.makeStream()
        clock.advance(by: .seconds(80))
        #expect(try await page(2) {
            for await _ in gate { break }
            return "v2 #\(await renders.next())"
        } == "v1 #1", "past three quarters of the lag: still served, while it is remade")
        #expect(try await page(2) { "other #\(await renders.next())" } == "v1 #1", "one remaking at a time")
        open.yield()
        var served = ""
        for _ in 0..<5_000 where served != "v2 #2" {
            try await Task.sleep(for: .milliseconds(2))
            served = try await page(2) { "never" }
        }
        #expect(served == "v2 #2", "the remade page is kept under its version")
        // A remake that fails (the page became forbidden, say) is dropped: the next reader meets the error.
        clock.advance(by: .seconds(80))
        #expect(try await page(3) { throw Abort(.forbidden) } == "v2 #2")
        var error: (any Error)?
        for _ in 0..<5_000 where error == nil {
            try await Task.sleep(for: .milliseconds(2))
            do { _ = try await page(3) { throw Abort(.forbidden) } } catch let caught { error = caught }
        }
        #expect((error as? Abort)?.status == .forbidden)
        // After a quiet spell longer than the lag, the reader waits for the current page: never one older than the lag.
        #expect(try await page(4) { "v4" } == "v4")
        clock.advance(by: .seconds(110))
        #expect(try await page(5) { "v5" } == "v5")
        #expect(try await PageCache(enabled: true).anonymousPage("q", version: 2, lag: .zero, background: loop.executor) { "made" } == "made")
        await loop.shutdown()
        let made = await renders.made
        #expect(made == 2, "no render but the two expected ones (the failing ones throw before counting)")
    }

    /// A present that moves only when a test says so.
    final class ManualClock: Sendable {
        private let present = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { present.withLock { $0 } }
        func advance(by duration: Duration) { present.withLock { $0 += duration } }
    }

    actor Renders {
        var made = 0
        func next() -> Int { made += 1; return made }
    }

    @Suite struct Loaders {
        /// Counts loads and lets a test hold one open until it says so.
        actor Source {
            var loads = 0
            var failNext = false
            private var held: CheckedContinuation<Void, Never>?
            private var holding = false

            func hold() { holding = true }

            func release() {
                holding = false
                held?.resume()
                held = nil
            }

            func load(_ value: String) async throws -> String {
                loads += 1
                if failNext {
                    failNext = false
                    throw Abort(.internalServerError)
                }
                if holding { await withCheckedContinuation { held = $0 } }
                return value + String(loads)
            }

            func failTheNext() { failNext = true }
            var isHolding: Bool { held != nil }
        }

        @Test func callersAtOnceShareOneLoadAndLaterOnesGetTheKeptValue() async throws {
            let values = LoadedValues<Int, String>()
            let source = Source()
            await source.hold()
            async let first = values.value(1) { try await source.load("a") }
            async let second = values.value(1) { try await source.load("b") }
            while await !source.isHolding { await Task.yield() }
            await source.release()
            let (one, two) = try await (first, second)
            #expect(one.value == "a1" && two.value == "a1" && one.version == two.version)
            let again = try await values.value(1) { try await source.load("c") }
            #expect(again.value == "a1")
            #expect(await source.loads == 1)
        }

        @Test func aValueForgottenWhileItLoadsIsNotKept() async throws {
            let values = LoadedValues<Int, String>()
            let source = Source()
            await source.hold()
            async let stale = values.value(7) { try await source.load("old") }
            while await !source.isHolding { await Task.yield() }
            // A change arrives while the old value is read: what that load read is not kept.
            values.invalidate(7)
            await source.release()
            let served = try await stale
            let fresh = try await values.value(7) { try await source.load("new") }
            #expect(served.value == "old1")
            #expect(fresh.value == "new2" && fresh.version > served.version)
            #expect(try await values.value(7) { try await source.load("x") }.value == "new2")
        }

        @Test func aFailedLoadIsTriedAgainAndOtherKeysAreUntouched() async throws {
            let values = LoadedValues<String, String>()
            let source = Source()
            _ = try await values.value("kept") { try await source.load("k") }
            await source.failTheNext()
            await #expect(throws: (any Error).self) { try await values.value("y") { try await source.load("y") } }
            #expect(try await values.value("y") { try await source.load("y") }.value == "y3")
            values.invalidate("y")
            #expect(try await values.value("kept") { try await source.load("z") }.value == "k1")
            values.invalidate()
            #expect(try await values.value("kept") { try await source.load("z") }.value == "z4")
        }
    }
}
