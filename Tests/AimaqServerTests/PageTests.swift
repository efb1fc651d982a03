import AimaqCore
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Pages {
        @Test func homePageDrawsTheRegionsAsATileMapOfLinks() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let html = try await visitor.get("/", extraHeaders: ["Accept-Language": "en"]).body.string
                #expect(html.contains("<svg viewBox="))
                #expect(html.contains("<a href=\"/territories/430000000\"><title>Kyzylorda Region</title>"))
                #expect(html.contains("<a href=\"/territories/710000000\"><title>Astana</title>"))
                #expect(html.contains("Senate of the Parliament of the Republic of Kazakhstan"))
                #expect(html.contains("until 2026-06-30"))
                #expect(html.contains("Kurultai of the Republic of Kazakhstan"))
                #expect(html.contains("from 2026-07-01"))
                // 845,900 + 1,630,640
                #expect(html.contains("2,476,540"))
            }
        }

        @Test func territoryPageShowsBreadcrumbChildrenAndBodies() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let html = try await visitor.get("/territories/435200000?lang=en").body.string
                #expect(html.contains("<h1>Chiiliyskiy District</h1>"))
                #expect(html.contains("<a href=\"/territories/430000000\">Kyzylorda Region</a>"))
                #expect(html.contains("<a href=\"/\">Kazakhstan</a>"))
                #expect(html.contains("<a href=\"/territories/435233000\">Akmayanskiy Rural District</a>"))
                #expect(html.contains("Chiiliyskiy District Maslikhat"))
                #expect(html.contains("Chiiliyskiy District Akimat"))
                #expect(html.contains("aria-current=\"page\">Chiiliyskiy District</span>"))
            }
        }

        @Test func languageComesFromQueryThenCookieThenHeaderThenRussian() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let russian = try await visitor.get("/").body.string
                #expect(russian.contains("<html lang=\"ru\">"))
                #expect(russian.contains("Кызылординская область"))
                let english = try await visitor.get("/", extraHeaders: ["Accept-Language": "en-GB,en;q=0.9"]).body.string
                #expect(english.contains("<html lang=\"en\">"))
                let switched = try await visitor.get("/?lang=kk")
                #expect(switched.body.string.contains("<html lang=\"kk\">"))
                #expect(switched.body.string.contains("Қызылорда облысы"))
                #expect(visitor.cookies[LanguageMiddleware.cookieName] == "kk")
                // The cookie now wins over the header.
                let remembered = try await visitor.get("/territories/430000000", extraHeaders: ["Accept-Language": "en"])
                #expect(remembered.body.string.contains("<html lang=\"kk\">"))
            }
        }

        @Test func aRequestIsFreedOnceItsPageContextIsMade() async throws {
            try await withAimaq { app, _ in
                weak var freed: Request?
                do {
                    let request = Request(application: app, on: app.eventLoopGroup.next())
                    #expect(!request.page.csrfToken.isEmpty)
                    freed = request
                }
                // The context lives in the request's storage: it must not keep the request alive.
                #expect(freed == nil)
            }
        }

        @Test func queryStringsAreReadAsBrowsersWriteThem() {
            let items = SiteQuery.parse("share=0.25&name=%D0%90%D0%BB%D0%BC%D0%B0+%D0%90%D1%82%D0%B0&empty=&flag&bad=%E0%A4&share=0.5")
            #expect(items.map(\.name) == ["share", "name", "empty", "flag", "bad", "share"])
            #expect(items.map(\.value) == ["0.25", "Алма Ата", "", "", "%E0%A4", "0.5"])
            #expect(SiteQuery.parse(nil).isEmpty && SiteQuery.parse("").isEmpty)
        }

        @Test func numbersAreGroupedPerLanguage() {
            #expect(NumberFormat.integer(1_234_567, .en) == "1,234,567")
            #expect(NumberFormat.integer(-1_234, .kk) == "−1\u{202F}234")
            #expect(NumberFormat.integer(999, .ru) == "999")
            #expect(NumberFormat.integer(0, .en) == "0")
            #expect(NumberFormat.integer(Int.min, .en) == "−9,223,372,036,854,775,808")
            #expect(NumberFormat.decimal(-1234.5, .ru) == "−1\u{202F}234,5")
            #expect(NumberFormat.decimal(0.07, .en) == "0.07")
        }

        @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                for path in ["/", "/territories/999999999", "/api/v1/territories/430000000", "/static/app.css"] {
                    let response = try await visitor.get(path)
                    #expect(response.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
                    #expect(response.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                    #expect(response.headers.first(name: "Referrer-Policy") == "same-origin", "\(path)")
                }
            }
        }

        @Test func userTextIsEscaped() async throws {
            try await withAimaq { app, fixture in
                let member = BodyMemberRecord()
                member.bodyID = fixture.bodyID
                member.personName = "<script>alert(1)</script>"
                member.role = MemberRole.deputy.rawValue
                try await member.create(on: app.db)
                var visitor = Visitor(app)
                let html = try await visitor.get("/bodies/\(fixture.bodyID)").body.string
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            }
        }

        @Test func everyInterfaceStringExistsInAllThreeLanguages() throws {
            let catalog = try LocaleFiles.load()
            #expect(catalog.missingKeys().isEmpty, "missing: \(catalog.missingKeys())")
            // Keys built at run time from the domain's enums.
            var keys: [String] = []
            keys += Role.allCases.map { "role.\($0.rawValue)" }
            keys += TerritoryKind.allCases.map { "kind.\($0.rawValue)" }
            keys += BodyKind.allCases.map { "bodyKind.\($0.rawValue)" }
            keys += MemberRole.allCases.map { "memberRole.\($0.rawValue)" }
            keys += KATOCode.Level.allCases.map { "level.\($0.rawValue).plural" }
            keys += ["short", "long"].map { "users.error.password.\($0)" }
            // Keys written literally in the server's sources.
            let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Sources/AimaqServer")
            let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            #expect(files.count > 10)
            for file in files {
                let text = try String(contentsOf: file, encoding: .utf8)
                for piece in text.components(separatedBy: ".t(\"").dropFirst() {
                    let key = piece.prefix { $0 != "\"" }
                    // Keys completed at run time (`"kind.\(…)"`) are listed above.
                    if !key.contains("\\") { keys.append(String(key)) }
                }
            }
            #expect(keys.count > 100)
            let all = catalog.allKeys
            let unknown = Set(keys).subtracting(all).sorted()
            #expect(unknown.isEmpty, "keys used but not in the locale files: \(unknown)")
        }
    }
}
