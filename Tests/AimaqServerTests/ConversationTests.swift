import AimaqCore
import Fluent
import Foundation
import OpinionMap
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Conversations {
        /// A Kyzylorda conversation open on the fixture's day, with `statements` approved statements.
        static func open(_ app: Application, statements: Int) async throws -> (id: Int, statements: [Int]) {
            let id = try await ConversationStore.create(ConversationRecord(
                id: 0, discussionID: nil, territory: try KATOCode("430000000"),
                title: LocalizedName(kk: "Сұрақ", ru: "Вопрос", en: "Question"),
                opens: try CivilDate("2026-03-01"), closes: try CivilDate("2026-04-01"), demo: false), actor: "test", on: app.db)
            var ids: [Int] = []
            for number in 1 ... max(1, statements) where statements > 0 {
                ids.append(try await ConversationStore.addStatement("Statement \(number)", conversation: id, author: nil,
                                                                    status: .approved, actor: "test",
                                                                    on: AuditLog.Writer(database: app.db)))
            }
            return (id, ids)
        }

        /// `count` participants from Kyzylorda (430…) and Astana (710…) in two planted camps: the
        /// first half agrees with the odd statements and rejects the even ones, the second the
        /// reverse. Returns the participants of the first camp.
        static func seedCamps(_ app: Application, conversation: Int, statements: [Int], count: Int) async throws -> [Int] {
            let sql = app.db as! any SQLDatabase
            var ballots: [Ballot] = []
            var firstCamp: [Int] = []
            for index in 0 ..< count {
                let region = index % 3 == 0 ? 710_000_000 : 430_000_000
                let participant = try await sql.insert(into: "conversation_participants")
                    .columns("conversation_id", "region_id", "created_at")
                    .values(SQLBind(conversation), SQLBind(region), SQLBind(Int64(0)))
                    .returning("id").first(decoding: InsertedID.self)?.id ?? 0
                let camp = index < count / 2
                if camp { firstCamp.append(participant) }
                for (position, statement) in statements.enumerated() {
                    let agrees = (position % 2 == 0) == camp
                    ballots.append(Ballot(conversation: conversation, statement: statement, participant: participant,
                                          value: agrees ? .agree : .disagree))
                }
            }
            try await ConversationStore.insert(ballots, at: 1, on: app.db)
            return firstCamp
        }

        static func refresh(_ app: Application) async throws {
            try await app.aimaq.conversations.refresh(on: app.db as! any SQLDatabase)
        }

        static func shownStatement(_ html: String) -> Int? {
            Visitor.hiddenValue("statement", in: html).flatMap(Int.init)
        }

        @Test func aDeputyOpensAConversationOfTheirTerritoryWithinItsDiscussionsPublicPhase() async throws {
            try await withAimaq { app, _ in
                let discussion = try await DiscussionStore.create(DiscussionRecord(
                    id: 0, territory: try KATOCode("430000000"), bodyID: nil, title: LocalizedName(kk: "D", ru: "D", en: "Draft law"),
                    schedule: try DiscussionSchedule(opens: try CivilDate("2026-03-01"), expertReview: try CivilDate("2026-04-01"),
                                                     dispositions: try CivilDate("2026-04-10"), closes: try CivilDate("2026-04-20")),
                    demo: false), actor: "test", on: app.db)
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let list = try await deputy.get("/conversations?lang=en").body.string
                #expect(list.contains("conversation-form") && list.contains("Draft law"))
                let late = try await deputy.post("/conversations?lang=en", form: [
                    "title_en": "Water", "discussion": String(discussion), "territory": "710000000", "opens": "2026-03-10", "closes": "2026-05-01"])
                #expect(late.status == .unprocessableEntity)
                #expect(late.body.string.contains("within its public phase") && late.body.string.contains("within the discussion&#39;s territory"),
                        "every problem at once")
                #expect(try await deputy.post("/conversations", form: ["title_en": "Water", "discussion": "999", "opens": "2026-03-10",
                                                                       "closes": "2026-03-20"]).status == .unprocessableEntity)
                let made = try await deputy.post("/conversations", form: [
                    "title_en": "Water in Shieli", "discussion": String(discussion), "territory": "435200000", "opens": "2026-03-10",
                    "closes": "2026-03-31"])
                #expect(made.status == .seeOther)
                let conversation = try #require(try await ConversationStore.all(on: app.db as! any SQLDatabase).first { $0.title.en == "Water in Shieli" })
                #expect(conversation.discussionID == discussion && conversation.territory?.value == 435200000 && conversation.title.kk == "Water in Shieli")
                // Not yet open: its deputies see it; a citizen does not.
                #expect(try await deputy.get("/conversations/\(conversation.id)").status == .ok)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.get("/conversations/\(conversation.id)").status == .notFound)
                #expect(try await citizen.post("/conversations", form: ["title_en": "Mine", "opens": "2026-03-10", "closes": "2026-03-20",
                                                                        "territory": "435200000"]).status == .forbidden)
                var astana = Visitor(app)
                try await astana.signIn("astana-deputy")
                #expect(try await astana.post("/conversations", form: ["title_en": "Theirs", "opens": "2026-03-10", "closes": "2026-03-20",
                                                                       "territory": "435200000"]).status == .forbidden)
            }
        }

        @Test func aCitizenVotesOnEveryStatementOnceAndNeverSeesOneTwice() async throws {
            try await withAimaq(file: true) { app, _ in
                let (id, statements) = try await Self.open(app, statements: 4)
                try await Self.refresh(app)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                var seen: [Int] = []
                for _ in statements {
                    let page = try await citizen.get("/conversations/\(id)?lang=en").body.string
                    let shown = try #require(Self.shownStatement(page), "a statement to vote on")
                    #expect(!seen.contains(shown), "statement \(shown) shown twice")
                    seen.append(shown)
                    let answer = try await citizen.post("/conversations/\(id)/votes", form: ["statement": "\(shown)", "vote": "agree"])
                    #expect(answer.status == .seeOther)
                }
                #expect(Set(seen) == Set(statements))
                let done = try await citizen.get("/conversations/\(id)?lang=en").body.string
                #expect(done.contains("You have voted on every statement.") && done.contains("You have voted on 4 of 4 statements."))
                // Changing one's mind stores a new vote; the latest counts on the map.
                #expect(try await citizen.post("/conversations/\(id)/votes", form: ["statement": "\(statements[0])", "vote": "disagree"])
                    .status == .seeOther)
                try await Self.refresh(app)
                let snapshot = try #require(app.aimaq.conversations.snapshot(id))
                #expect(snapshot.votes == 5 && snapshot.participants == 1)
                #expect(snapshot.placements[statements[0]]?.disagrees == 1 && snapshot.placements[statements[0]]?.agrees == 0)
                // Bad votes are refused with what is wrong, and nothing is stored.
                #expect(try await citizen.post("/conversations/\(id)/votes", form: ["statement": "\(statements[0])", "vote": "maybe"])
                    .status == .unprocessableEntity)
                #expect(try await citizen.post("/conversations/\(id)/votes", form: ["statement": "999999", "vote": "agree"])
                    .status == .unprocessableEntity)
                try await Self.refresh(app)
                #expect(app.aimaq.conversations.snapshot(id)?.votes == 5)
                // Somebody from another region may read but not vote.
                var astana = Visitor(app)
                try await astana.signIn("astana-deputy")
                #expect(try await astana.get("/conversations/\(id)?lang=en").body.string.contains("for the residents of its territory"))
                #expect(try await astana.post("/conversations/\(id)/votes", form: ["statement": "\(statements[0])", "vote": "agree"])
                    .status == .forbidden)
            }
        }

        @Test func statementsWaitForAModeratorAndRejectedOnesLeaveTheMap() async throws {
            try await withAimaq { app, _ in
                let (id, statements) = try await Self.open(app, statements: 1)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.post("/conversations/\(id)/statements", form: ["text": String(repeating: "x", count: 281)])
                    .status == .unprocessableEntity)
                #expect(try await citizen.post("/conversations/\(id)/statements", form: ["text": "Villages should keep their land tax."])
                    .status == .seeOther)
                let sql = app.db as! any SQLDatabase
                let pending = try #require(try await ConversationStore.statements(id, on: sql).first { $0.statusValue == .pending })
                try await Self.refresh(app)
                // Not yet to vote on: the citizen's only statement is the approved one.
                let page = try await citizen.get("/conversations/\(id)?lang=en").body.string
                #expect(Self.shownStatement(page) == statements[0])
                #expect(!page.contains("Villages should keep their land tax."))
                let moderation = "/conversations/\(id)/statements/\(pending.id)/moderation"
                #expect(try await citizen.post(moderation, form: ["status": "approved"]).status == .forbidden)
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                #expect(try await deputy.get("/conversations/\(id)?lang=en").body.string.contains("Moderation (1 waiting)"))
                #expect(try await deputy.post(moderation, form: ["status": "pending"]).status == .unprocessableEntity)
                #expect(try await deputy.post(moderation, form: ["status": "approved"]).status == .seeOther)
                #expect(try await deputy.get("/conversations/\(id)?lang=en").body.string.contains("Moderation (0 waiting)"),
                        "the queue is read afresh, not from the last map")
                try await Self.refresh(app)
                #expect(app.aimaq.conversations.snapshot(id)?.approved == [statements[0], pending.id])
                // Rejected after votes were cast, a statement leaves the map with its votes.
                #expect(try await citizen.post("/conversations/\(id)/votes", form: ["statement": "\(pending.id)", "vote": "agree"])
                    .status == .seeOther)
                try await Self.refresh(app)
                #expect(app.aimaq.conversations.snapshot(id)?.placements[pending.id]?.agrees == 1)
                #expect(try await deputy.post(moderation, form: ["status": "rejected"]).status == .seeOther)
                try await Self.refresh(app)
                let after = try #require(app.aimaq.conversations.snapshot(id))
                #expect(after.approved == [statements[0]] && after.placements[pending.id] == nil)
                let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "statement").all().map(\.action)
                #expect(actions.filter { $0 == "statement.moderate" }.count == 2)
            }
        }

        @Test func theMapShowsGroupsByRegionAndTheParticipantsOwnGroup() async throws {
            try await withAimaq { app, _ in
                let (id, statements) = try await Self.open(app, statements: 10)
                let firstCamp = try await Self.seedCamps(app, conversation: id, statements: statements, count: 60)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                // The citizen votes with the first camp.
                for (position, statement) in statements.enumerated() {
                    #expect(try await citizen.post("/conversations/\(id)/votes",
                                                   form: ["statement": "\(statement)", "vote": position % 2 == 0 ? "agree" : "disagree"])
                        .status == .seeOther)
                }
                try await Self.refresh(app)
                let snapshot = try #require(app.aimaq.conversations.snapshot(id))
                let map = try #require(snapshot.map)
                #expect(map.groups.count == 2)
                let campGroup = try #require(snapshot.groupOfParticipant[firstCamp[0]])
                #expect(firstCamp.allSatisfy { snapshot.groupOfParticipant[$0] == campGroup })
                // Kyzylorda (43) has both camps; every Astana participant (index % 3 == 0) is counted there.
                #expect(snapshot.groupsByRegion[71]?.reduce(0, +) == 20)
                #expect(snapshot.groupsByRegion[43]?.reduce(0, +) == 41, "40 seeded and the citizen from Shieli")
                let page = try await citizen.get("/conversations/\(id)?lang=en").body.string
                #expect(page.contains("Your votes place you in group \(ConversationViews.letter(campGroup))."))
                #expect(page.contains("<svg") && page.contains("class=\"cluster g") && page.contains("class=\"me\"></circle>"))
                #expect(page.contains("Groups by region") && page.contains("Astana"))
                #expect(page.contains("Statements that set this group apart:"))
                let regional = try await citizen.get("/conversations/\(id)?region=710000000&lang=en")
                #expect(regional.status == .ok)
                #expect(regional.body.string.contains("Map of participants: Astana"))
                #expect(try await citizen.get("/conversations/\(id)?region=435200000").status == .badRequest, "a district is not a region")
                // The API says the same.
                let api = try await citizen.get("/api/v1/conversations/\(id)")
                let dto = try api.content.decode(ConversationAPI.ConversationDTO.self)
                #expect(dto.groups.count == 2 && dto.participants == 61 && dto.statements.count == 10)
                #expect(dto.regions.first { $0.kato == "710000000" }?.groups.reduce(0, +) == 20)
            }
        }

        @Test func thePolisExportReadsBackToTheSameMap() async throws {
            try await withAimaq { app, _ in
                let (id, statements) = try await Self.open(app, statements: 8)
                _ = try await Self.seedCamps(app, conversation: id, statements: statements, count: 40)
                _ = try await ConversationStore.addStatement("Not yet moderated", conversation: id, author: nil, actor: "test",
                                                             on: AuditLog.Writer(database: app.db))
                try await Self.refresh(app)
                var visitor = Visitor(app)
                let votes = try await visitor.get("/conversations/\(id)/votes.csv")
                #expect(votes.status == .ok && votes.headers.contentType?.subType == "csv")
                let parsedVotes = try PolisExport.parseVotes(Array(votes.body.readableBytesView))
                #expect(parsedVotes.count == 320)
                let comments = try PolisExport.parseStatements(Array(try await visitor.get("/conversations/\(id)/comments.csv")
                    .body.readableBytesView))
                #expect(comments.count == 9 && comments.filter { $0.moderation == 0 }.count == 1)
                #expect(comments.first { $0.moderation == 0 }?.text == "", "an unmoderated statement's text is not published")
                let groups = try PolisExport.parseReferenceGroups(Array(try await visitor
                    .get("/conversations/\(id)/participants-votes.csv").body.readableBytesView))
                let snapshot = try #require(app.aimaq.conversations.snapshot(id))
                #expect(groups == snapshot.groupOfParticipant)
                // Another tool (here the engine itself, from the files alone) finds the same groups.
                let export = PolisExport(votes: parsedVotes, statements: comments)
                let again = OpinionMapEngine().map(export.voteMatrix())
                let found = again.groupByParticipant
                let everyone = groups.keys.sorted()
                #expect(found.count == everyone.count)
                #expect(PartitionAgreement.adjustedRandIndex(everyone.map { found[$0] ?? -1 }, everyone.map { groups[$0] ?? -1 }) == 1)
            }
        }

        @Test func votesThroughTheAPIAreStoredBeforeTheyAreAcknowledged() async throws {
            try await withAimaq(file: true) { app, _ in
                let (id, statements) = try await Self.open(app, statements: 3)
                let citizen = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("citizen")).first())
                let token = try await APITokens.issue(account: try citizen.requireID(), name: "test", actor: "test", on: app.db)
                var bearer = HTTPHeaders()
                bearer.bearerAuthorization = BearerAuthorization(token: token)
                bearer.contentType = .json
                let path = "/api/v1/conversations/\(id)/votes"
                // Many at once: each is answered only after its batch is committed, and none is lost.
                let headers = bearer
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for index in 0 ..< 60 {
                        let statement = statements[index % 3]
                        group.addTask {
                            try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string:
                                "{\"statement\":\(statement),\"vote\":\"\(index % 2 == 0 ? "agree" : "pass")\"}")).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == .created })
                let sql = app.db as! any SQLDatabase
                struct Count: Decodable { var n: Int }
                let stored = try await sql.raw("SELECT COUNT(*) AS n FROM conversation_votes").first(decoding: Count.self)?.n
                #expect(stored == 60)
                let participants = try await sql.raw("SELECT COUNT(*) AS n FROM conversation_participants").first(decoding: Count.self)?.n
                #expect(participants == 1, "one participant per account, however many votes arrive together")
                let bad = try await app.testing().sendRequest(.POST, path, headers: bearer,
                                                              body: ByteBuffer(string: "{\"statement\":\(statements[0]),\"vote\":\"yes\"}"))
                #expect(bad.status == .unprocessableEntity)
                #expect(try await app.testing().sendRequest(.POST, path, headers: ["Content-Type": "application/json"],
                                                            body: ByteBuffer(string: "{}")).status == .unauthorized)
            }
        }

        @Test func theDemoConversationHasGroupsThatDifferByRegion() async throws {
            try await withAimaq { app, _ in
                _ = try await DiscussionDemo.load(app, progress: { _ in })
                #expect(try await ConversationDemo.load(app, progress: { _ in }) == 2)
                #expect(try await ConversationDemo.load(app, progress: { _ in }) == 0, "loaded once")
                let sql = app.db as! any SQLDatabase
                let national = try #require(try await ConversationStore.all(on: sql).first { $0.territory == nil })
                let snapshot = try #require(app.aimaq.conversations.snapshot(national.id))
                #expect(snapshot.participants == 5_000 && snapshot.approved.count == ConversationDemo.constitution.count)
                let map = try #require(snapshot.map)
                #expect(map.groups.count >= 2)
                // The largest group's share differs between the capital and Kyzylorda (the
                // fixture's two regions).
                func share(_ region: Int) throws -> Double {
                    let counts = try #require(snapshot.groupsByRegion[region])
                    return Double(counts[0]) / Double(max(1, counts.reduce(0, +)))
                }
                let (astana, kyzylorda) = (try share(71), try share(43))
                #expect(abs(astana - kyzylorda) > 0.1, "Astana \(astana), Kyzylorda \(kyzylorda)")
                #expect(snapshot.groupsByRegion.count == app.aimaq.territories.tree.regions.count, "participants from every region")
                // The local one is open to vote on today.
                let local = try #require(try await ConversationStore.all(on: sql).first { $0.territory != nil })
                #expect(local.isOpen(on: app.aimaq.clock.today()))
            }
        }

        @Test func visitorsPagesAreKeptRenderedUntilWhatTheyShowChanges() async throws {
            try await withAimaq { app, _ in
                let discussion = try await Discussions.open(app, opens: "2026-01-01")
                _ = try await DiscussionStore.addVersion(try DraftDocument.parse(Discussions.first), discussion: discussion,
                                                         actor: "test", on: app.db)
                var visitor = Visitor(app)
                visitor.cookies["aimaq_lang"] = "en"
                let before = try await visitor.get("/discussions/\(discussion)").body.string
                #expect(before.contains("Comments: 0") && !before.contains("Opinion map:"))
                _ = try await CommentStore.add(discussion: discussion, anchor: "art-1", version: 1, parent: nil, author: UUID(),
                                               name: "someone", text: "A comment", actor: "test", on: app.db)
                let conversation = try await ConversationStore.create(ConversationRecord(
                    id: 0, discussionID: discussion, territory: try KATOCode("430000000"), title: LocalizedName(kk: "M", ru: "M", en: "Map"),
                    opens: try CivilDate("2026-03-01"), closes: try CivilDate("2026-04-01"), demo: false), actor: "test", on: app.db)
                let after = try await visitor.get("/discussions/\(discussion)").body.string
                #expect(after.contains("Comments: 1") && after.contains("Opinion map:"), "the cached page is not served stale")
                // The conversation page follows the map.
                let statement = try await ConversationStore.addStatement("S", conversation: conversation, author: nil, status: .approved,
                                                                         actor: "test", on: AuditLog.Writer(database: app.db))
                try await Self.refresh(app)
                #expect(try await visitor.get("/conversations/\(conversation)").body.string.contains("Votes</span><span class=\"value\">0<"))
                try await ConversationStore.insert([Ballot(conversation: conversation, statement: statement, participant: 1, value: .agree)],
                                                   at: 1, on: app.db)
                try await Self.refresh(app)
                #expect(try await visitor.get("/conversations/\(conversation)").body.string.contains("Votes</span><span class=\"value\">1<"))
            }
        }
    }
}
