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

        @Test func aDeputyOpensADiscussionOfADraftFromTheListWithEveryProblemSaidAtOnce() async throws {
            try await withAimaq { app, _ in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                #expect(try await deputy.get("/discussions?lang=en").body.string.contains("discussion-form"))
                let bad = try await deputy.post("/discussions?lang=en", form: [
                    "territory": "430000000", "opens": "2026-03-10", "expert_review": "2026-03-05", "dispositions": "2026-04-01",
                    "closes": "2026-04-10", "draft": "## Article 1\nText.\n## Article 1\nAgain.\n"])
                #expect(bad.status == .unprocessableEntity)
                let text = bad.body.string
                #expect(text.contains("Write the title") && text.contains("four dates in order") && text.contains("a second article numbered as")
                        && text.contains("Again."), "every problem at once, the draft kept")
                #expect(try await deputy.post("/discussions?lang=en", form: [
                    "title_en": "No articles", "territory": "430000000", "opens": "2026-03-10", "expert_review": "2026-03-20",
                    "dispositions": "2026-04-01", "closes": "2026-04-10", "draft": "Just prose."]).body.string.contains("No articles found"))
                #expect(try await deputy.post("/discussions", form: [
                    "title_en": "National", "opens": "2026-03-10", "expert_review": "2026-03-20", "dispositions": "2026-04-01",
                    "closes": "2026-04-10", "draft": Self.first]).status == .forbidden, "a maslikhat deputy opens no national discussion")
                let made = try await deputy.post("/discussions", form: [
                    "title_ru": "Проект решения о бюджете", "title_en": "Draft budget decision", "territory": "430000000", "opens": "2026-03-02",
                    "expert_review": "2026-03-20", "dispositions": "2026-04-01", "closes": "2026-04-10", "draft": Self.first])
                #expect(made.status == .seeOther)
                let discussion = try #require(try await DiscussionStore.all(on: app.db as! any SQLDatabase).first { $0.title.en == "Draft budget decision" })
                #expect(discussion.title.kk == "Проект решения о бюджете" && discussion.territory?.value == 430000000)
                #expect(try await DiscussionStore.versionNumbers(discussion.id, on: app.db as! any SQLDatabase) == [1])
                var reader = Visitor(app)
                #expect(try await reader.get("/discussions/\(discussion.id)?lang=en").body.string.contains("Budget"))
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(!(try await citizen.get("/discussions").body.string.contains("discussion-form")))
                #expect(try await citizen.post("/discussions", form: ["title_en": "x"]).status == .forbidden)
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
                #expect(try await DiscussionDemo.load(app, progress: { _ in }) == 3)
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
                let phases = Set(all.filter { $0.territory != nil }.map { $0.schedule.phase(on: app.aimaq.clock.today()) })
                #expect(phases == [.publicDiscussion, .dispositions], "one local draft open to comments, one to dispositions")
            }
        }

        @Test func commentsRepliesSupportModerationAndReportsFollowRolesAndPhases() async throws {
            try await withAimaq { app, _ in
                let id = try await Self.open(app, opens: "2026-01-01")
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: id, actor: "test", on: app.db)
                let article = "/discussions/\(id)/articles/art-1"
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let page = try await citizen.get(article + "?lang=en")
                #expect(page.status == .ok && page.body.string.contains("Your comment"))
                #expect(try await citizen.post(article + "/comments", form: ["text": "Three years is too long."]).status == .seeOther)
                #expect(try await citizen.post(article + "/comments", form: ["text": "   "]).status == .unprocessableEntity)
                let sql = app.db as! any SQLDatabase
                let first = try #require(try await CommentStore.thread(discussion: id, anchor: "art-1", order: .date, on: sql).first)
                #expect(first.comment.author == "citizen" && first.comment.text == "Three years is too long.")
                let commentID = first.comment.id
                #expect(try await citizen.post(article + "/comments", form: ["text": "I agree.", "parent": "\(commentID)"]).status == .seeOther)
                let reply = try #require(try await CommentStore.thread(discussion: id, anchor: "art-1", order: .date, on: sql).first?.replies.first)
                // One level of replies only.
                #expect(try await citizen.post(article + "/comments", form: ["text": "x", "parent": "\(reply.id)"]).status == .unprocessableEntity)
                // Support, then the same again takes it back; opposing counts once.
                let vote = "/discussions/\(id)/comments/\(commentID)/vote"
                #expect(try await citizen.post(vote, form: ["value": "support"]).status == .seeOther)
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                #expect(try await deputy.post(vote, form: ["value": "support"]).status == .seeOther)
                #expect(try await CommentStore.find(commentID, discussion: id, on: sql)?.support == 2)
                #expect(try await citizen.post(vote, form: ["value": "support"]).status == .seeOther)
                #expect(try await citizen.post(vote, form: ["value": "oppose"]).status == .seeOther)
                let counted = try #require(try await CommentStore.find(commentID, discussion: id, on: sql))
                #expect(counted.support == 1 && counted.oppose == 1)
                // A visitor may report; a citizen may not hide; the territory's deputy may, with a reason.
                var visitor = Visitor(app)
                #expect(try await visitor.post("/discussions/\(id)/comments/\(commentID)/report", form: [:]).status == .seeOther)
                #expect(try await CommentStore.find(commentID, discussion: id, on: sql)?.reports == 1)
                let hide = "/discussions/\(id)/comments/\(commentID)/hide"
                #expect(try await citizen.post(hide, form: ["reason": "spam"]).status == .forbidden)
                #expect(try await visitor.post(hide, form: ["reason": "spam"]).status == .seeOther, "to the sign-in page")
                #expect(try await deputy.post(hide, form: ["reason": ""]).status == .unprocessableEntity)
                #expect(try await deputy.post(hide, form: ["reason": "Personal data of a third person"]).status == .seeOther)
                let forVisitors = try await visitor.get(article + "?lang=en").body.string
                #expect(forVisitors.contains("This comment was hidden by a moderator.") && !forVisitors.contains("Three years is too long."))
                let forModerators = try await deputy.get(article + "?lang=en").body.string
                #expect(forModerators.contains("Reason: Personal data of a third person") && forModerators.contains("Three years is too long."))
                #expect(try await citizen.post(vote, form: ["value": "support"]).status == .conflict)
                let (broken, _) = try await AuditLog.verify(on: app.db)
                #expect(broken == nil)
                let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "comment").all().map(\.action)
                #expect(actions.filter { $0 == "comment.add" }.count == 2 && actions.contains("comment.hide"))
            }
        }

        @Test func outsideItsTerritoryOrPhaseNobodyComments() async throws {
            try await withAimaq { app, _ in
                let astana = try await DiscussionStore.create(DiscussionRecord(
                    id: 0, territory: try KATOCode("710000000"), bodyID: nil, title: LocalizedName(kk: "A", ru: "A", en: "A"),
                    schedule: try DiscussionSchedule(opens: try CivilDate("2026-01-01"), expertReview: try CivilDate("2026-09-10"),
                                                     dispositions: try CivilDate("2026-09-20"), closes: try CivilDate("2026-09-30")),
                    demo: false), actor: "test", on: app.db)
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: astana, actor: "test", on: app.db)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")  // lives in Shieli, Kyzylorda region
                let article = "/discussions/\(astana)/articles/art-1"
                #expect(try await citizen.post(article + "/comments", form: ["text": "Hello"]).status == .forbidden)
                #expect(try await citizen.get(article + "?lang=en").body.string.contains("Residents of its territory take part"))
                // In the dispositions phase comments are closed to everyone (409).
                let closed = try await DiscussionStore.create(DiscussionRecord(
                    id: 0, territory: nil, bodyID: nil, title: LocalizedName(kk: "B", ru: "B", en: "B"),
                    schedule: try DiscussionSchedule(opens: try CivilDate("2026-01-01"), expertReview: try CivilDate("2026-02-01"),
                                                     dispositions: try CivilDate("2026-03-01"), closes: try CivilDate("2026-04-01")),
                    demo: false), actor: "test", on: app.db)
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: closed, actor: "test", on: app.db)
                #expect(try await citizen.post("/discussions/\(closed)/articles/art-1/comments", form: ["text": "Late"]).status == .conflict)
                #expect(try await citizen.get("/discussions/\(closed)/articles/art-9").status == .notFound)
            }
        }

        @Test func proposalsAreMadeSupportedAndGivenADispositionInTheirPhases() async throws {
            try await withAimaq { app, _ in
                let id = try await Self.open(app, opens: "2026-01-01")
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: id, actor: "test", on: app.db)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let proposals = "/discussions/\(id)/articles/art-1/proposals"
                #expect(try await citizen.post(proposals, form: ["wording": "Two years.", "justification": ""]).status == .unprocessableEntity)
                #expect(try await citizen.post(proposals, form: ["wording": "The budget for two years.",
                                                                 "justification": "Three years cannot be foreseen."]).status == .seeOther)
                let sql = app.db as! any SQLDatabase
                let proposal = try #require(try await ProposalStore.list(discussion: id, on: sql).first)
                let support = "/discussions/\(id)/proposals/\(proposal.id)/support"
                #expect(try await citizen.post(support, form: [:]).status == .seeOther)
                var akimat = Visitor(app)
                try await akimat.signIn("akimat")
                #expect(try await akimat.post(support, form: [:]).status == .seeOther)
                #expect(try await citizen.post(support, form: [:]).status == .seeOther, "again: taken back")
                #expect(try await ProposalStore.find(proposal.id, discussion: id, on: sql)?.support == 1)
                let dispose = "/discussions/\(id)/proposals/\(proposal.id)/disposition"
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let form = ["disposition": "accepted_in_part", "reason": "Two years for villages, three for the region."]
                #expect(try await deputy.post(dispose, form: form).status == .conflict, "not in the public phase")
                app.aimaq.clock.pin(try CivilDate("2026-09-25"))
                #expect(try await citizen.post(dispose, form: form).status == .forbidden)
                #expect(try await citizen.post(proposals, form: ["wording": "Late", "justification": "Late"]).status == .conflict)
                #expect(try await deputy.post(dispose, form: ["disposition": "maybe", "reason": "x"]).status == .unprocessableEntity)
                #expect(try await deputy.post(dispose, form: form).status == .seeOther)
                let table = try await citizen.get("/discussions/\(id)/dispositions?lang=en").body.string
                #expect(table.contains("The budget for two years.") && table.contains("accepted in part")
                        && table.contains("Two years for villages, three for the region."))
                let csv = try await citizen.get("/discussions/\(id)/dispositions?format=csv")
                let lines = csv.body.string.split(whereSeparator: \.isNewline)
                #expect(lines.first == "article,heading,proposal,wording,justification,author,support,disposition,reason")
                #expect(lines.count == 2 && lines[1].contains("art-1,Article 1. Budget,") && lines[1].contains(",citizen,1,accepted_in_part,"))
            }
        }

        @Test func takingPartIsLimitedPerPersonAndMinute() async throws {
            try await withAimaq(configure: { $0.rateLimits = "participation=2" }) { app, _ in
                let id = try await Self.open(app, opens: "2026-01-01")
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: id, actor: "test", on: app.db)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let comments = "/discussions/\(id)/articles/art-1/comments"
                try await startEarlyInRateWindow()
                #expect(try await citizen.post(comments, form: ["text": "one"]).status == .seeOther)
                #expect(try await citizen.post(comments, form: ["text": "two"]).status == .seeOther)
                let third = try await citizen.post(comments, form: ["text": "three"])
                #expect(third.status == .tooManyRequests && third.headers.first(name: "Retry-After") != nil)
                var other = Visitor(app)
                try await other.signIn("akimat")
                #expect(try await other.post(comments, form: ["text": "mine"]).status == .seeOther, "counted per person")
                let stored = try await CommentStore.thread(discussion: id, anchor: "art-1", order: .date, on: app.db as! any SQLDatabase)
                #expect(stored.count == 3)
            }
        }

        @Test func expertsGiveSignedOpinionsWithAFileShownApartFromComments() async throws {
            try await withAimaq { app, _ in
                let id = try await Self.open(app, opens: "2026-01-01")
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: id, actor: "test", on: app.db)
                let opinions = "/discussions/\(id)/opinions"
                var expert = Visitor(app)
                try await expert.signIn("expert")
                let form = try await expert.get(opinions + "?lang=en").body.string
                #expect(form.contains("Sign and publish"))
                #expect(form.contains("action=\"\(opinions)?_csrf="), "a multipart form carries its token in the address")
                let file = Data("Full text of the opinion.".utf8)
                let fields = ["anchor": "art-1", "affiliation": "Institute of Law", "position": "proposes_changes",
                              "text": "Three years is right, but say who holds the hearing."]
                #expect(try await expert.postMultipart(opinions, fields: fields, files: [("file", "opinion.txt", file)]).status == .seeOther)
                #expect(try await expert.postMultipart(opinions, fields: fields.merging(["position": "maybe"]) { $1 }, files: [])
                    .status == .unprocessableEntity)
                #expect(try await expert.postMultipart(opinions, fields: fields, files: [("file", "run.exe", file)])
                    .status == .unprocessableEntity)
                #expect(try await expert.postMultipart(opinions, fields: fields.merging(["anchor": "art-99"]) { $1 }, files: [])
                    .status == .unprocessableEntity)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.postMultipart(opinions, fields: fields, files: []).status == .forbidden)
                let sql = app.db as! any SQLDatabase
                let stored = try await OpinionStore.list(discussion: id, on: sql)
                #expect(stored.count == 1)
                let opinion = try #require(stored.first)
                // The signature can be recomputed from what is published.
                let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("expert")).first())
                #expect(opinion.digest == OpinionStore.digest(discussion: id, anchor: "art-1", version: 1, author: try account.requireID(),
                                                              name: "expert", affiliation: "Institute of Law", position: .proposesChanges,
                                                              text: fields["text"] ?? "", fileSHA256: Hex.sha256(file)))
                let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "opinion.add").all()
                #expect(entries.count == 1 && entries.first?.after?.contains(opinion.digest) == true)
                // Shown apart from comments, on the article and on the list, with name and affiliation.
                var visitor = Visitor(app)
                let article = try await visitor.get("/discussions/\(id)/articles/art-1?lang=en").body.string
                #expect(article.contains("Expert opinions (1)") && article.contains("Institute of Law") && article.contains("Proposes changes"))
                let download = try await visitor.get("/discussions/\(id)/opinions/\(opinion.id)/file")
                #expect(download.status == .ok && Data(download.body.readableBytesView) == file)
                // The report gathers it all.
                let report = try await visitor.get("/discussions/\(id)/report?lang=en").body.string
                #expect(report.contains("Report of the discussion") && report.contains("Participants by region"))
                #expect(report.contains("Proposes changes: 1") && report.contains("Institute of Law"))
                #expect(report.contains("<tr id=\"report-region-unknown\"><th scope=\"row\">Region not known</th><td class=\"num\">1</td>"),
                        "the expert, of national scope, is counted apart from the regions")
            }
        }

        @Test func theAPIListsCommentsProposalsAndOpinionsAndTakesCommentsWithAToken() async throws {
            try await withAimaq(file: true) { app, _ in
                let id = try await Self.open(app, opens: "2026-01-01")
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Self.first), discussion: id, actor: "test", on: app.db)
                let citizen = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("citizen")).first())
                let token = try await APITokens.issue(account: try citizen.requireID(), name: "test", actor: "test", on: app.db)
                var headers = HTTPHeaders()
                headers.bearerAuthorization = BearerAuthorization(token: token)
                headers.contentType = .json
                let path = "/api/v1/discussions/\(id)/comments"
                let posted = try await app.testing().sendRequest(.POST, path, headers: headers,
                                                                 body: ByteBuffer(string: #"{"article":"art-2","text":"Twice is enough."}"#))
                #expect(posted.status == .created)
                #expect(try await app.testing().sendRequest(.POST, path, headers: headers,
                                                            body: ByteBuffer(string: #"{"article":"art-9","text":"x"}"#)).status == .unprocessableEntity)
                #expect(try await app.testing().sendRequest(.POST, path, headers: ["Content-Type": "application/json"],
                                                            body: ByteBuffer(string: #"{"article":"art-2","text":"x"}"#)).status == .unauthorized)
                let commentID = try #require(try await CommentStore.thread(discussion: id, anchor: "art-2", order: .date,
                                                                           on: app.db as! any SQLDatabase).first?.comment.id)
                try await CommentStore.hide(commentID, reason: "test", actor: "test", on: app.db)
                _ = try await ProposalStore.add(discussion: id, anchor: "art-1", version: 1, author: UUID(), name: "someone",
                                                wording: "Two years.", justification: "Shorter.", actor: "test", on: app.db)
                var visitor = Visitor(app)
                let comments = try await visitor.get(path + "?article=art-2").content.decode(ListDTO<ParticipationAPI.CommentDTO>.self)
                #expect(comments.total == 1 && comments.items.first?.hidden == true && comments.items.first?.text == nil,
                        "a hidden comment's text is not published")
                let proposals = try await visitor.get("/api/v1/discussions/\(id)/proposals").content
                    .decode(ListDTO<ParticipationAPI.ProposalDTO>.self)
                #expect(proposals.items.map(\.wording) == ["Two years."] && proposals.items.first?.disposition == nil)
                let opinions = try await visitor.get("/api/v1/discussions/\(id)/opinions").content
                    .decode(ListDTO<ParticipationAPI.OpinionDTO>.self)
                #expect(opinions.total == 0)
                #expect(try await visitor.get(path + "?article=" + String(repeating: "x", count: 101)).status == .badRequest)
            }
        }
    }
}
