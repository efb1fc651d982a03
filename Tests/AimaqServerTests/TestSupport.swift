import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

/// Every database test runs inside this suite. On SQLite each test has its own in-memory
/// database and the tests run in parallel; on PostgreSQL (CI) they share one database and
/// run one at a time.
@Suite(OneAtATimeOnSharedDatabase()) struct ServerTests {}

enum TestDatabase {
    /// `AIMAQ_TEST_DATABASE_URL=postgres://…` runs the database tests on PostgreSQL.
    static var choice: DatabaseChoice {
        if let url = ProcessInfo.processInfo.environment["AIMAQ_TEST_DATABASE_URL"], !url.isEmpty {
            return .postgres(url)
        }
        return .sqliteMemory
    }

    /// Whether the tests share one database.
    static var isShared: Bool {
        if case .postgres = choice { return true }
        return false
    }
}

/// Runs each test case of the suite (and of the suites in it) alone when the tests share a
/// database; lets them run in parallel otherwise.
struct OneAtATimeOnSharedDatabase: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        // Suites only gather; a lock taken for a suite would shut out its own tests.
        guard testCase != nil, TestDatabase.isShared else { return try await function() }
        await Self.gate.enter()
        do {
            try await function()
        } catch {
            await Self.gate.leave()
            throw error
        }
        await Self.gate.leave()
    }

    private static let gate = Gate()

    /// One at a time, in the order of arrival.
    private actor Gate {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func enter() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func leave() {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
    }
}

/// A small but real territory tree (the Kyzylorda branch of the classifier, Astana) and one
/// account per role.
struct Fixture {
    static let password = "correct horse battery"
    static let regions = """
    kato,iso,kind,name_kk,name_ru,name_en,centre_en,population,population_note
    430000000,KZ-43,oblast,Қызылорда облысы,Кызылординская область,Kyzylorda Region,Kyzylorda,845900,BNS 2025-10-01
    710000000,KZ-71,city,Астана,г. Астана,Astana,Astana,1630640,BNS 2025-12-01
    """
    static let kato = "\u{FEFF}id;parent_id;code;name\n"
        + "1;0;430000000;Кызылординская область\n"
        + "2;1;431000000;Кызылорда Г.А.\n"
        + "3;2;431010000;г.Кызылорда\n"
        + "4;1;435200000;Чиилийский район\n"
        + "5;4;435233000;Акмаянский с.о.\n"
        + "6;5;435233100;с.Акмая\n"
        + "7;1;433200000;Аральский район\n"
        + "8;0;710000000;г.Астана\n"
        + "9;8;711100000;район Алматы\n"

    /// Accounts by a short name, each with its role and scope.
    static let accounts: [(key: String, role: Role, territory: Int?)] = [
        ("admin", .administrator, nil),
        ("regional-admin", .administrator, 710000000),
        ("national", .nationalDeputy, 430000000),
        ("maslikhat", .maslikhatDeputy, 430000000),
        ("akimat", .akimatOfficer, 435200000),
        ("expert", .expert, nil),
        ("citizen", .citizen, 435200000),
        // Staff of another region than the data: their writes there must be refused.
        ("astana-deputy", .maslikhatDeputy, 710000000),
        ("astana-officer", .akimatOfficer, 710000000),
    ]

    static func email(_ key: String) -> String { "\(key)@test.aimaq.kz" }

    /// The day the tests live in (a Monday).
    static let today = try! CivilDate("2026-03-02")

    var bodyID: Int
    var plan: Plan

    /// A public instruction assigned to the region and split to Shieli and Aral, and a
    /// non-public one assigned to Shieli, with one report carrying a restricted file.
    struct Plan {
        var source: Int
        var instruction: Int
        var hiddenInstruction: Int
        var indicator: Int
        var regionAssignment: Int
        var shieliAssignment: Int
        var aralAssignment: Int
        var hiddenAssignment: Int
        var evidence: Int
    }

    static func seedPlan(_ app: Application, shieliAkimat: Int) async throws -> Plan {
        let db = app.db
        let source = SourceDocument()
        source.kind = "address"
        source.date = "2025-09-08"
        source.title = "Test plan"
        try await source.create(on: db)
        func instruction(_ text: String, isPublic: Bool, period: String) async throws -> Instruction {
            let i = Instruction()
            i.sourceID = try source.requireID()
            i.point = isPublic ? "1.1" : "1.2"
            i.text = text
            i.category = "roads"
            i.deadline = "2026-06-30"
            i.period = period
            i.isPublic = isPublic
            i.weight = 1
            try await i.create(on: db)
            return i
        }
        let open = try await instruction("Repair local roads", isPublic: true, period: "once")
        let hidden = try await instruction("Internal audit of road contracts", isPublic: false, period: "quarterly")
        let indicator = IndicatorRecord()
        indicator.instructionID = try open.requireID()
        indicator.name = "Roads repaired"
        indicator.unit = "km"
        indicator.target = 100
        indicator.lowerIsBetter = false
        try await indicator.create(on: db)
        func assignment(_ instruction: Instruction, _ territory: Int, body: Int?, parent: Int?, deadline: String,
                        status: AssignmentStatus, evidencePublic: Bool = true) async throws -> Assignment {
            let a = Assignment()
            a.instructionID = try instruction.requireID()
            a.territoryID = territory
            a.bodyID = body
            a.parentID = parent
            a.deadline = deadline
            a.statusName = status.rawValue
            a.weight = 1
            a.completion = Completion.completion(of: status)
            a.evidencePublic = evidencePublic
            a.updatedAt = 0
            a.isPublic = instruction.isPublic
            a.category = instruction.category
            try await a.create(on: db)
            return a
        }
        let region = try await assignment(open, 430000000, body: nil, parent: nil, deadline: "2026-06-30", status: .inProgress)
        let shieli = try await assignment(open, 435200000, body: shieliAkimat, parent: region.id, deadline: "2026-04-15", status: .assigned)
        let aral = try await assignment(open, 433200000, body: nil, parent: region.id, deadline: "2026-02-20", status: .inProgress)
        let hiddenAssignment = try await assignment(hidden, 435200000, body: shieliAkimat, parent: nil, deadline: "2026-05-01",
                                                    status: .reportSubmitted, evidencePublic: false)
        let report = ReportRecord()
        report.assignmentID = try hiddenAssignment.requireID()
        report.period = "2026-Q1"
        report.text = "Audit done"
        report.author = "akimat@test.aimaq.kz"
        report.submittedAt = 0
        report.state = .submitted
        try await report.create(on: db)
        let stored = try await app.aimaq.evidence.store([.init(fileName: "act.pdf", data: Data("%PDF-1.4 test".utf8))],
                                                        db: app.db as! any SQLDatabase)
        let file = EvidenceFile()
        file.reportID = try report.requireID()
        file.fileName = "act.pdf"
        file.contentType = "application/pdf"
        file.size = stored[0].size
        file.storedName = stored[0].storedName
        file.sha256 = stored[0].sha256
        try await file.create(on: db)
        return Plan(source: try source.requireID(), instruction: try open.requireID(), hiddenInstruction: try hidden.requireID(),
                    indicator: try indicator.requireID(), regionAssignment: try region.requireID(),
                    shieliAssignment: try shieli.requireID(), aralAssignment: try aral.requireID(),
                    hiddenAssignment: try hiddenAssignment.requireID(), evidence: try file.requireID())
    }
}

extension Tag {
    /// Tests of demo scale: they run in CI (`CI` set) or with `AIMAQ_SLOW_TESTS=1`.
    @Tag static var slow: Self
}

enum SlowTests {
    static var enabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["CI"] != nil || environment["AIMAQ_SLOW_TESTS"] == "1"
    }
}

/// The audit key of every test application: the key is the process's (one installation per
/// process), and tests of several suites run at once.
let testAuditKey = String(repeating: "5a", count: 32)

/// A test's configuration: its own data folder, cheap password hashes, quiet logs.
func testConfiguration() -> AimaqConfiguration {
    var config = AimaqConfiguration()
    config.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("aimaq-test-\(UUID().uuidString)").path
    config.bcryptCost = 4
    config.logLevel = .warning
    config.auditKey = testAuditKey
    // The fixture's staff sign in with passwords; the second factor's tests turn the duty on.
    config.secondFactorRequired = false
    // Tests read their own changes at once (FreshEnough's and PageCache's own tests cover the lag).
    config.appealStaleMilliseconds = 0
    config.pageLagMilliseconds = 0
    return config
}

/// The test database; with `file`, SQLite keeps a file in the data folder (as a server does),
/// which several applications can open at once and which allows concurrent writers.
func testDatabase(_ config: AimaqConfiguration, file: Bool) throws -> DatabaseChoice {
    guard file, case .sqliteMemory = TestDatabase.choice else { return TestDatabase.choice }
    try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
    return .sqliteFile(config.sqlitePath)
}

func withAimaq(file: Bool = false, configure: (inout AimaqConfiguration) -> Void = { _ in },
               _ test: (Application, Fixture) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    var config = testConfiguration()
    configure(&config)
    do {
        try await AimaqApp.configure(app, configuration: config, database: try testDatabase(config, file: file))
        try await app.autoRevert()
        try await app.autoMigrate()
        let territories = try KATOClassifier.territories(classifier: Fixture.kato, regions: Fixture.regions)
        try await ReferenceData.ensure(app, territories: territories, actor: "test")
        let hash = try Bcrypt.hash(Fixture.password, cost: 4)
        let shieliAkimat = try #require(try await BodyRecord.query(on: app.db).filter(\.$territoryID == 435200000)
            .filter(\.$kind == "akimat").first())
        for spec in Fixture.accounts {
            let scope: TerritoryScope = spec.territory.map { .subtree(try! KATOCode(number: $0)) } ?? .country
            let account = Account(email: Fixture.email(spec.key), displayName: spec.key, passwordHash: hash,
                                  role: spec.role, scope: scope)
            if spec.role == .akimatOfficer, let territory = spec.territory {
                // An officer works for the akimat of their territory.
                account.bodyID = try await BodyRecord.query(on: app.db).filter(\.$territoryID == territory)
                    .filter(\.$kind == "akimat").first()?.id
            }
            try await account.create(on: app.db)
        }
        app.aimaq.clock.pin(Fixture.today)
        let plan = try await Fixture.seedPlan(app, shieliAkimat: try shieliAkimat.requireID())
        try await test(app, Fixture(bodyID: try shieliAkimat.requireID(), plan: plan))
        try await app.autoRevert()
    } catch {
        try? await app.autoRevert()
        try? await app.asyncShutdown()
        try? FileManager.default.removeItem(atPath: config.dataDirectory)
        throw error
    }
    try await app.asyncShutdown()
    // The data folder (database file, evidence, backups) goes with the test.
    try? FileManager.default.removeItem(atPath: config.dataDirectory)
}

/// A visitor with a cookie jar: signs in through the real form and sends CSRF tokens as a
/// browser would.
struct Visitor {
    let app: Application
    var cookies: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        if !cookies.isEmpty {
            headers.add(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        return headers
    }

    mutating func keepCookies(_ response: TestingHTTPResponse) {
        for header in response.headers[.setCookie] {
            guard let pair = header.split(separator: ";").first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if header.contains("Max-Age=0") || header.contains("1970") {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
    }

    @discardableResult
    mutating func get(_ path: String, extraHeaders: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = self.headers
        headers.add(contentsOf: extraHeaders)
        let response = try await app.testing().sendRequest(.GET, path, headers: headers)
        keepCookies(response)
        return response
    }

    @discardableResult
    mutating func post(_ path: String, form: [String: String], csrf: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if csrf { fields[CSRFMiddleware.fieldName] = try await csrfToken() }
        let headers = self.headers
        let response = try await app.testing().sendRequest(.POST, path, headers: headers) { request in
            try request.content.encode(fields, as: .urlEncodedForm)
        }
        keepCookies(response)
        return response
    }

    /// Posts fields in order, a name possibly repeated (checkbox lists), as a browser does.
    mutating func post(_ path: String, fields: [(String, String)]) async throws -> TestingHTTPResponse {
        let all = fields + [(CSRFMiddleware.fieldName, try await csrfToken())]
        let body = all.map { name, value in
            [name, value].map { $0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0 }.joined(separator: "=")
        }.joined(separator: "&")
        var headers = self.headers
        headers.contentType = .urlEncodedForm
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        keepCookies(response)
        return response
    }

    /// Sends a multipart form as a browser does for uploads: the CSRF token in the address.
    @discardableResult
    mutating func postMultipart(_ path: String, fields: [String: String], files: [(field: String, name: String, data: Data)],
                                csrf: Bool = true) async throws -> TestingHTTPResponse {
        let token = csrf ? try await csrfToken() : nil
        let boundary = "----aimaq-test-\(UUID().uuidString)"
        var body = Data()
        func add(_ text: String) { body.append(Data(text.utf8)) }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\n")
            add("Content-Type: application/octet-stream\r\n\r\n")
            body.append(file.data)
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        var headers = self.headers
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let target = token.map { path + (path.contains("?") ? "&" : "?") + "_csrf=" + $0 } ?? path
        let response = try await app.testing().sendRequest(.POST, target, headers: headers, body: ByteBuffer(data: body))
        keepCookies(response)
        return response
    }

    /// The token of the visitor's session, read from a page's form as a browser sees it.
    mutating func csrfToken() async throws -> String {
        let page = try await get(SiteURL.signIn.path).body.string
        return try #require(Self.hiddenValue(CSRFMiddleware.fieldName, in: page))
    }

    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    mutating func signIn(_ key: String, password: String = Fixture.password) async throws {
        let response = try await post(SiteURL.signIn.path, form: ["email": Fixture.email(key), "password": password])
        #expect(response.status == .seeOther, "sign-in of \(key) should redirect")
    }
}

/// Rate counts live in one-minute windows: a test of a limit starts early in one, so that its
/// checks never straddle two (a slow machine takes tens of seconds for them).
func startEarlyInRateWindow() async throws {
    let intoWindow = Int(Date().timeIntervalSince1970) % Int(RateLimits.windowSeconds)
    if intoWindow > 15 { try await Task.sleep(for: .seconds(Int(RateLimits.windowSeconds) - intoWindow)) }
}
