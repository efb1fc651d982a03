import AimaqCore
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

/// The rendered HTML of the key pages, compared with files kept in `Golden/`: a change in a
/// page shows as a diff in review. After an intended change, `AIMAQ_UPDATE_GOLDEN=1 swift test
/// --filter Golden` writes the files anew. On a mismatch the page is written next to its
/// golden file as `NAME.actual.html`.
extension ServerTests {
    @Suite struct Golden {
        static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

        static func pages(_ plan: Fixture.Plan) -> [(name: String, path: String)] {
            [("home", "/?lang=en"), ("region", "/territories/430000000?lang=en"),
             ("register", "/instructions?lang=ru"), ("instruction", "/instructions/\(plan.instruction)?lang=kk"),
             ("assignment", "/assignments/\(plan.shieliAssignment)?lang=en"), ("budget-overview", "/budget?year=2026&lang=en"),
             ("what-if", "/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.1&lang=en")]
        }

        @Test func keyPagesMatchTheirGoldenFiles() async throws {
            // Record numbers are the same on every run of one database; the files are SQLite's.
            guard case .sqliteMemory = TestDatabase.choice else { return }
            let update = ProcessInfo.processInfo.environment["AIMAQ_UPDATE_GOLDEN"] == "1"
            try await withAimaq { app, fixture in
                // A small budget, so that the budget pages show figures.
                let csv = """
                    kind,territory,year,month,code,approved,adjusted,executed
                    revenue,430000000,2026,0,101201,500000,0,480000
                    revenue,435200000,2026,0,101201,100000,0,90000
                    revenue,435200000,2026,0,402203,300000,0,300000
                    expenditure,435200000,2026,0,04,200000,210000,190000
                    """
                guard case .success(let parsed) = await BudgetImporter.parse(csv + "\n", app: app) else {
                    Issue.record("the golden budget does not parse")
                    return
                }
                _ = try await BudgetStore.write(parsed.file, app: app, actor: "test")
                for page in Self.pages(fixture.plan) {
                    var visitor = Visitor(app)
                    let response = try await visitor.get(page.path)
                    #expect(response.status == .ok, "\(page.path)")
                    let html = Self.readable(response.body.string)
                    let file = Self.folder.appendingPathComponent(page.name + ".html")
                    if update {
                        try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                        try html.write(to: file, atomically: true, encoding: .utf8)
                        continue
                    }
                    let golden = try? String(contentsOf: file, encoding: .utf8)
                    if golden != html {
                        try? html.write(to: Self.folder.appendingPathComponent(page.name + ".actual.html"), atomically: true, encoding: .utf8)
                    }
                    #expect(Bool(golden == html), "\(page.name): the page differs from Golden/\(page.name).html (see \(page.name).actual.html)")
                }
            }
        }

        /// One element per line, so that a diff shows what changed.
        static func readable(_ html: String) -> String {
            html.replacingOccurrences(of: "><", with: ">\n<") + "\n"
        }
    }
}
