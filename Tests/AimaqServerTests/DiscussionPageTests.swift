import AimaqCore
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Discussions {
        static let first = """
        # Draft decision (test)

        ## Article 1. Budget

        The maslikhat approves the district budget for three years.

        ## Article 2. Reports

        The akimat reports twice a year.

        ## Article 3. Old rule

        This rule goes.
        """

        static let second = """
        # Draft decision (test)

        ## Article 1. Budget

        The maslikhat approves the district budget for three years after a public hearing.

        ## Article 2. Reports

        The akimat reports twice a year.

        ## Article 4. Villages

        Villages keep their own budgets & say <how> they spend them.
        """

        static func open(_ app: Application, opens: String) async throws -> Int {
            let schedule = try DiscussionSchedule(opens: try CivilDate(opens), expertReview: try CivilDate("2026-09-10"),
                                                  dispositions: try CivilDate("2026-09-20"), closes: try CivilDate("2026-09-30"))
            return try await DiscussionStore.create(DiscussionRecord(
                id: 0, territory: try KATOCode("430000000"), bodyID: nil,
                title: LocalizedName(kk: "Шешім жобасы", ru: "Проект решения", en: "Draft decision"),
                schedule: schedule, demo: false), actor: "test", on: app.db)
        }

        @Test func theDraftItsVersionsAndItsChangesSideBySide() async throws {
            try await withAimaq { app, _ in
                // Fixture.today is in the public discussion of this schedule.
                let id = try await Self.open(app, opens: "2026-01-01")
                let one = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: id, actor: "test", on: app.db)
                #expect(one.number == 1 && one.comparison == nil)
                let two = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.second), discussion: id, actor: "test", on: app.db)
                #expect(two.number == 2)
                #expect(two.comparison?.changedAnchors == ["art-1", "art-3", "art-4"])
                var visitor = Visitor(app)
                let list = try await visitor.get("/discussions?lang=en")
                #expect(list.status == .ok && list.body.string.contains("/discussions/\(id)"))
                #expect(list.body.string.contains("Public discussion"))
                let page = try await visitor.get("/discussions/\(id)?lang=en").body.string
                #expect(page.contains("id=\"art-1\"") && page.contains("id=\"art-1.1\"") && page.contains("id=\"art-4\""))
                #expect(page.contains("Articles this version changes: 3."))
                #expect(page.contains("Villages keep their own budgets &amp; say &lt;how&gt; they spend them."))
                #expect(!page.contains("This rule goes."), "the latest version is shown")
                let old = try await visitor.get("/discussions/\(id)?version=1&lang=en").body.string
                #expect(old.contains("This rule goes.") && !old.contains("Articles this version changes"))
                let changes = try await visitor.get("/discussions/\(id)/changes?lang=en").body.string
                #expect(changes.contains("<ins> after a public hearing</ins>"))
                #expect(changes.contains("<del>This rule goes.</del>"))
                #expect(changes.contains("Article 3. Old rule — removed") && changes.contains("Article 4. Villages — added"))
                #expect(!changes.contains("Article 2. Reports — "), "unchanged articles are not listed")
                #expect(try await visitor.get("/discussions/\(id)?version=7").status == .notFound)
                #expect(try await visitor.get("/discussions/999").status == .notFound)
                let firstChanges = try await visitor.get("/discussions/\(id)/changes?version=1&lang=en").body.string
                #expect(firstChanges.contains("This is the first version"))
            }
        }

        @Test func anAnnouncedDiscussionShowsItsDatesButNotYetItsDraft() async throws {
            try await withAimaq { app, _ in
                let id = try await Self.open(app, opens: "2026-09-01")
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: id, actor: "test", on: app.db)
                var visitor = Visitor(app)
                let page = try await visitor.get("/discussions/\(id)?lang=en").body.string
                #expect(page.contains("The draft opens for discussion on 2026-09-01."))
                #expect(!page.contains("The maslikhat approves"))
            }
        }
    
        @Test func theDemoLoadsTheDraftConstitutionInTwoVersionsAndALocalDraft() async throws {
            try await withAimaq { app, _ in
                #expect(try await DiscussionDemo.load(app, progress: { _ in }) == 2)
                #expect(try await DiscussionDemo.load(app, progress: { _ in }) == 0, "loaded once")
                let sql = app.db as! any SQLDatabase
                let all = try await DiscussionStore.all(on: sql)
                let national = try #require(all.first { $0.territory == nil })
                let v1 = try #require(try await DiscussionStore.version(national.id, number: 1, on: sql)).document
                let v2 = try #require(try await DiscussionStore.version(national.id, number: 2, on: sql)).document
                #expect(v1.articles.count == 60 && v2.articles.count == 61)
                let comparison = DraftComparison(from: v1, to: v2)
                let counts = Dictionary(grouping: comparison.entries, by: \.change).mapValues(\.count)
                #expect(counts[.changed] == 40 && counts[.removed] == 2 && counts[.added] == 3 && counts[.unchanged] == 18)
                var visitor = Visitor(app)
                let page = try await visitor.get("/discussions/\(national.id)/changes?lang=kk")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("<ins>") && page.body.string.contains("<del>"))
                let local = try #require(all.first { $0.territory != nil })
                #expect(local.schedule.phase(on: app.aimaq.clock.today()) == .publicDiscussion)
            }
        }
    }
}
