import AimaqCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

/// Every database test runs inside this suite, one at a time, so the same tests can share
/// one PostgreSQL database in CI. On SQLite each test has its own in-memory database.
@Suite(.serialized) struct ServerTests {}

enum TestDatabase {
    /// `AIMAQ_TEST_DATABASE_URL=postgres://…` runs the database tests on PostgreSQL.
    static var choice: DatabaseChoice {
        if let url = ProcessInfo.processInfo.environment["AIMAQ_TEST_DATABASE_URL"], !url.isEmpty {
            return .postgres(url)
        }
        return .sqliteMemory
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
    ]

    static func email(_ key: String) -> String { "\(key)@test.aimaq.kz" }

    var bodyID: Int
}

func withAimaq(_ test: (Application, Fixture) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    do {
        var config = AimaqConfiguration()
        config.bcryptCost = 4
        config.logLevel = .warning
        try await AimaqApp.configure(app, configuration: config, database: TestDatabase.choice)
        try await app.autoRevert()
        try await app.autoMigrate()
        let territories = try KATOClassifier.territories(classifier: Fixture.kato, regions: Fixture.regions)
        try await ReferenceData.ensure(app, territories: territories, actor: "test")
        let hash = try Bcrypt.hash(Fixture.password, cost: 4)
        for spec in Fixture.accounts {
            let scope: TerritoryScope = spec.territory.map { .subtree(try! KATOCode(number: $0)) } ?? .country
            try await Account(email: Fixture.email(spec.key), displayName: spec.key, passwordHash: hash,
                              role: spec.role, scope: scope).create(on: app.db)
        }
        let body = try #require(try await BodyRecord.query(on: app.db).filter(\.$territoryID == 435200000).first())
        try await test(app, Fixture(bodyID: body.id!))
        try await app.autoRevert()
    } catch {
        try? await app.autoRevert()
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
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
