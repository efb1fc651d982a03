import AimaqCore
import Fluent
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    /// Walks every registered route with every role and with no session, and checks the answer.
    @Suite struct RouteAccess {
        enum Who: Hashable, CustomStringConvertible {
            case anonymous
            case account(String)
            var description: String {
                switch self {
                case .anonymous: "anonymous"
                case .account(let key): key
                }
            }
        }

        struct Case {
            var method: HTTPMethod
            var pattern: String
            var path: String
            var form: [String: String]? = nil
            var multipart = false
            /// Expected status for each identity; `default` for the rest.
            var expected: [Who: HTTPResponseStatus] = [:]
            var `default`: HTTPResponseStatus
            /// Identities that pass the authorisation of a state-changing route: they get 303
            /// (done), 409 (the assignment's state no longer allows it) or 422 (form refused).
            var mayAct: Set<Who> = []
            /// For a write: whether it happened, checked whenever it answered 303 (done).
            var happened: (@Sendable (Application) async throws -> Bool)? = nil
        }

        static let everyone: [Who] = [.anonymous] + Fixture.accounts.map { .account($0.key) }
        static let signedIn: [Who] = Fixture.accounts.map { .account($0.key) }

        /// A Kyzylorda discussion in its public phase, with one comment, for the comment routes.
        struct Discussion { var id: Int; var comment: Int; var proposal: Int; var conversation: Int; var statement: Int; var pending: Int; var opinion: Int; var poll: Int; var appeal: Int; var visit: Int; var meeting: Int
            var appealFile: Int; var meetingFile: Int; var deputy: UUID; var object: Int }

        static func seedDiscussion(_ app: Application) async throws -> Discussion {
            let id = try await DiscussionStore.create(DiscussionRecord(
                id: 0, territory: try KATOCode("430000000"), bodyID: nil, title: LocalizedName(kk: "D", ru: "D", en: "D"),
                schedule: try DiscussionSchedule(opens: try CivilDate("2026-01-01"), expertReview: try CivilDate("2026-09-10"),
                                                 dispositions: try CivilDate("2026-09-20"), closes: try CivilDate("2026-09-30")),
                demo: false), actor: "test", on: app.db)
            _ = try await DiscussionStore.addVersion(try DraftDocument.parse("## Article 1\nText.\n"), discussion: id,
                                                     actor: "test", on: app.db)
            let comment = try await CommentStore.add(discussion: id, anchor: "art-1", version: 1, parent: nil, author: UUID(),
                                                     name: "someone", text: "A comment", actor: "test", on: app.db)
            let proposal = try await ProposalStore.add(discussion: id, anchor: "art-1", version: 1, author: UUID(), name: "someone",
                                                       wording: "Other text.", justification: "Clearer.", actor: "test", on: app.db)
            let conversation = try await ConversationStore.create(ConversationRecord(
                id: 0, discussionID: id, territory: try KATOCode("430000000"), title: LocalizedName(kk: "C", ru: "C", en: "C"),
                opens: try CivilDate("2026-01-01"), closes: try CivilDate("2026-09-10"), demo: false), actor: "test", on: app.db)
            let writer = AuditLog.Writer(database: app.db)
            let statement = try await ConversationStore.addStatement("An approved statement", conversation: conversation, author: nil,
                                                                     status: .approved, actor: "test", on: writer)
            let pending = try await ConversationStore.addStatement("A pending statement", conversation: conversation, author: nil,
                                                                   actor: "test", on: writer)
            let expert = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("expert")).first())
            let opinion = try await OpinionStore.add(OpinionStore.NewOpinion(
                discussion: id, anchor: nil, version: 1, author: try expert.requireID(), name: "expert", affiliation: "Institute",
                position: .supports, text: "Sound.", file: nil), actor: "test", on: AuditLog.Writer(database: app.db))
            // A private appeal of the Kyzylorda citizen to the Shieli akimat.
            let citizen = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("citizen")).first())
            let shieli = try KATOCode("435200000")
            let appeal = try await AppealStore.register(AppealStore.NewAppeal(
                channel: .online, territory: shieli, district: shieli, topic: "water",
                bodyID: app.aimaq.bodies.responsible(for: shieli, category: .water), authorID: try citizen.requireID(),
                authorName: "citizen", text: "No water in the village", publishable: false, registeredOn: Fixture.today,
                deadline: try CivilDate("2026-03-23")), actor: "test", on: writer)
            let visit = try await VisitStore.createVisit(VisitRecord(
                id: 0, territory: try KATOCode("430000000"), title: LocalizedName(kk: "V", ru: "V", en: "V"),
                starts: try CivilDate("2026-01-08"), ends: try CivilDate("2026-01-09"), delegation: ["A senator"], demo: false),
                actor: "test", on: writer)
            let meeting = try await VisitStore.addMeeting(MeetingRecord(
                id: 0, visitID: visit, kind: .publicMeeting, territory: try KATOCode("430000000"), startsAt: "2026-01-08T17:00",
                title: LocalizedName(kk: "M", ru: "M", en: "M"), address: "Hall", participants: "Residents", agenda: "Water",
                minutes: nil, objectID: nil, demo: false), actor: "test", on: writer)
            let sql = app.db as! any SQLDatabase
            let kept = try await app.aimaq.evidence.store([.init(fileName: "scan.pdf", data: Data("%PDF-1.4\n".utf8))], db: sql)
            try await AimaqServer.AppealFiles.attach(kept, appeal: appeal.id, purpose: .appeal, on: sql)
            try await AimaqServer.AppealFiles.attach(kept, meeting: meeting, purpose: .minutes, on: sql)
            let files = try await AimaqServer.AppealFiles.of(appeal: appeal.id, on: sql)
            let meetingFiles = try await AimaqServer.AppealFiles.of(meetings: [meeting], on: sql)[meeting] ?? []
            let deputy = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("maslikhat")).first())
            let object = try await VisitStore.createObject(TerritoryObjectRecord(
                id: 0, territory: shieli, kind: "school", name: LocalizedName(kk: "S", ru: "S", en: "S"), bodyID: nil, cost: nil,
                funding: "local", plannedStart: nil, plannedEnd: nil, actualEnd: nil, progress: 10, budgetLine: nil, instructionID: nil,
                demo: false), actor: "test", on: app.db)
            return Discussion(id: id, comment: comment, proposal: proposal, conversation: conversation, statement: statement,
                              pending: pending, opinion: opinion.id, poll: try await Polls.open(app, territory: "430000000"),
                              appeal: appeal.id, visit: visit, meeting: meeting, appealFile: try #require(files.first?.id),
                              meetingFile: try #require(meetingFiles.first?.id), deputy: try deputy.requireID(), object: object)
        }

        static func cases(bodyID: Int, targetID: UUID, plan: Fixture.Plan, discussion: Discussion) -> [Case] {
            // Those who live or work in Kyzylorda region take part in its discussions; its
            // deputies and the administrators of the country moderate them.
            let participants: Set<Who> = [.account("citizen"), .account("national"), .account("maslikhat"), .account("akimat")]
            let moderators: Set<Who> = [.account("admin"), .account("national"), .account("maslikhat")]
            // In the public phase nobody disposes (409 for the maslikhat's deputy, who may).
            let holders: Set<Who> = [.account("admin"), .account("national"), .account("maslikhat")]
            let officials: [Who: HTTPResponseStatus] = [.anonymous: .seeOther, .account("citizen"): .forbidden]
            let adminsOnly: (HTTPResponseStatus) -> [Who: HTTPResponseStatus] = { ok in
                [.anonymous: .seeOther, .account("admin"): ok, .account("regional-admin"): ok]
            }
            return [
                Case(method: .GET, pattern: "/", path: "/", default: .ok),
                Case(method: .GET, pattern: "/territories/:kato", path: "/territories/435200000", default: .ok),
                Case(method: .GET, pattern: "/bodies/:id", path: "/bodies/\(bodyID)", default: .ok),
                Case(method: .GET, pattern: "/signin", path: "/signin", default: .ok),
                Case(method: .POST, pattern: "/signin", path: "/signin",
                     form: ["email": "nobody@test.aimaq.kz", "password": "wrong password"], default: .unauthorized),
                Case(method: .POST, pattern: "/signout", path: "/signout", form: [:], default: .seeOther),
                Case(method: .GET, pattern: "/account", path: "/account", expected: [.anonymous: .seeOther], default: .ok),
                Case(method: .GET, pattern: "/admin/users", path: "/admin/users", expected: adminsOnly(.ok), default: .forbidden),
                Case(method: .POST, pattern: "/admin/users", path: "/admin/users", form: ["email": ""],
                     expected: adminsOnly(.unprocessableEntity), default: .forbidden),
                Case(method: .POST, pattern: "/admin/users/:id/active", path: "/admin/users/\(targetID)/active",
                     form: ["active": "true"],
                     expected: [.anonymous: .seeOther, .account("admin"): .seeOther], default: .forbidden),
                Case(method: .GET, pattern: "/admin/audit", path: "/admin/audit",
                     expected: [.anonymous: .seeOther, .account("admin"): .ok], default: .forbidden),
                Case(method: .GET, pattern: "/health", path: "/health", default: .ok),
                Case(method: .GET, pattern: "/api/v1/health", path: "/api/v1/health", default: .ok),
                Case(method: .GET, pattern: "/ping", path: "/ping", default: .ok),
                Case(method: .GET, pattern: "/static/app.css", path: "/static/app.css", default: .ok),
                Case(method: .GET, pattern: "/api/v1/territories", path: "/api/v1/territories", default: .ok),
                Case(method: .GET, pattern: "/api/v1/territories/:kato", path: "/api/v1/territories/430000000", default: .ok),
                Case(method: .GET, pattern: "/api/v1/bodies", path: "/api/v1/bodies?territory=435200000", default: .ok),
                Case(method: .GET, pattern: "/api/v1/bodies/:id", path: "/api/v1/bodies/\(bodyID)", default: .ok),
                Case(method: .GET, pattern: "/api/v1/openapi.json", path: "/api/v1/openapi.json", default: .ok),
                Case(method: .GET, pattern: "/instructions", path: "/instructions?status=in_progress", default: .ok),
                Case(method: .GET, pattern: "/instructions/export", path: "/instructions/export?format=csv", default: .ok),
                Case(method: .GET, pattern: "/instructions/:id", path: "/instructions/\(plan.instruction)", default: .ok),
                Case(method: .GET, pattern: "/instructions/:id", path: "/instructions/\(plan.hiddenInstruction)",
                     expected: officials, default: .ok),
                Case(method: .GET, pattern: "/assignments/:id", path: "/assignments/\(plan.shieliAssignment)", default: .ok),
                Case(method: .GET, pattern: "/assignments/:id", path: "/assignments/\(plan.hiddenAssignment)",
                     expected: officials, default: .ok),
                Case(method: .POST, pattern: "/assignments/:id/reports", path: "/assignments/\(plan.shieliAssignment)/reports",
                     form: ["text": "Work done", "value_\(plan.indicator)": "10"], multipart: true,
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("akimat")],
                     happened: { try await Assignment.find(plan.shieliAssignment, on: $0.db)?.status == .reportSubmitted }),
                Case(method: .POST, pattern: "/assignments/:id/road-map", path: "/assignments/\(plan.hiddenAssignment)/road-map",
                     form: ["date[]": "2026-04-15", "text[]": "Contracts signed"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("akimat")],
                     happened: { try await ($0.db as! any SQLDatabase).select().column("id").from("road_map_milestones")
                         .where("assignment_id", .equal, SQLBind(plan.hiddenAssignment)).all().count == 1 }),
                Case(method: .POST, pattern: "/assignments/:id/review", path: "/assignments/\(plan.hiddenAssignment)/review",
                     form: ["decision": "return", "remarks": "Add the contract numbers"],
                     expected: [.anonymous: .seeOther], default: .forbidden,
                     mayAct: [.account("national"), .account("maslikhat")],
                     happened: { try await Assignment.find(plan.hiddenAssignment, on: $0.db)?.status == .returned }),
                Case(method: .POST, pattern: "/assignments/:id/extend", path: "/assignments/\(plan.aralAssignment)/extend",
                     form: ["deadline": "2026-09-30", "reason": "Contractor delayed"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders,
                     happened: { try await Assignment.find(plan.aralAssignment, on: $0.db)?.deadline == "2026-09-30" }),
                Case(method: .POST, pattern: "/assignments/:id/split", path: "/assignments/\(plan.regionAssignment)/split",
                     form: ["territories[]": "431000000", "deadline": "2026-05-29"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders,
                     happened: { try await Assignment.query(on: $0.db).filter(\.$parentID == plan.regionAssignment)
                         .filter(\.$territoryID == 431000000).count() == 1 }),
                Case(method: .POST, pattern: "/assignments/:id/remove", path: "/assignments/\(plan.regionAssignment)/remove",
                     form: ["reason": "Merged into the regional plan"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders,
                     happened: { try await Assignment.find(plan.regionAssignment, on: $0.db)?.status == .removedFromControl }),
                Case(method: .GET, pattern: "/evidence/:id", path: "/evidence/\(plan.evidence)",
                     expected: [.anonymous: .seeOther, .account("admin"): .ok, .account("national"): .ok,
                                .account("maslikhat"): .ok, .account("akimat"): .ok],
                     default: .forbidden),
                Case(method: .GET, pattern: "/api/v1/instructions", path: "/api/v1/instructions?category=roads", default: .ok),
                Case(method: .GET, pattern: "/api/v1/instructions/:id", path: "/api/v1/instructions/\(plan.hiddenInstruction)",
                     expected: [.anonymous: .unauthorized, .account("citizen"): .forbidden], default: .ok),
                Case(method: .GET, pattern: "/api/v1/assignments", path: "/api/v1/assignments?territory=430000000", default: .ok),
                Case(method: .GET, pattern: "/api/v1/reports", path: "/api/v1/reports?assignment=\(plan.hiddenAssignment)",
                     expected: [.anonymous: .unauthorized, .account("citizen"): .forbidden], default: .ok),
                Case(method: .POST, pattern: "/api/v1/reports", path: "/api/v1/reports", form: ["assignment": "1"], default: .unauthorized),
                Case(method: .POST, pattern: "/api/v1/reviews", path: "/api/v1/reviews", form: ["assignment": "1"], default: .unauthorized),
                Case(method: .POST, pattern: "/api/v1/road-maps", path: "/api/v1/road-maps", form: ["assignment": "1"], default: .unauthorized),
                Case(method: .POST, pattern: "/my/tokens", path: "/my/tokens", form: ["name": "test"],
                     expected: [.anonymous: .seeOther], default: .ok),
                Case(method: .POST, pattern: "/my/tokens/:id/revoke", path: "/my/tokens/999999/revoke", form: [:],
                     expected: [.anonymous: .seeOther], default: .notFound),
                Case(method: .GET, pattern: "/admin/import-plan", path: "/admin/import-plan",
                     expected: [.anonymous: .seeOther, .account("admin"): .ok], default: .forbidden),
                Case(method: .POST, pattern: "/admin/import-plan", path: "/admin/import-plan", form: ["note": "no file"],
                     multipart: true, expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("admin")]),
                Case(method: .GET, pattern: "/budget", path: "/budget?year=2026&indicator=execution", default: .ok),
                Case(method: .GET, pattern: "/budget/what-if", path: "/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.1", default: .ok),
                Case(method: .POST, pattern: "/budget/what-if/rules", path: "/budget/what-if/rules", form: ["text": "", "year": "2026"],
                     multipart: true, expected: [.anonymous: .seeOther], default: .unprocessableEntity),
                Case(method: .GET, pattern: "/budget/export", path: "/budget/export?year=2026&format=csv", default: .ok),
                Case(method: .GET, pattern: "/referendums", path: "/referendums", default: .ok),
                Case(method: .GET, pattern: "/api/v1/referendums", path: "/api/v1/referendums", default: .ok),
                Case(method: .GET, pattern: "/api/v1/referendums/:id", path: "/api/v1/referendums/1", default: .notFound),
                Case(method: .GET, pattern: "/api/v1/discussions", path: "/api/v1/discussions", default: .ok),
                Case(method: .GET, pattern: "/api/v1/discussions/:id", path: "/api/v1/discussions/\(discussion.id)", default: .ok),
                Case(method: .GET, pattern: "/discussions", path: "/discussions", default: .ok),
                Case(method: .POST, pattern: "/discussions", path: "/discussions",
                     form: ["title_en": "From the access table", "territory": "430000000", "opens": "2026-03-02", "expert_review": "2026-03-20",
                            "dispositions": "2026-04-01", "closes": "2026-04-10", "draft": "## Article 1\nText.\n"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .GET, pattern: "/discussions/:id", path: "/discussions/\(discussion.id)", default: .ok),
                Case(method: .GET, pattern: "/discussions/:id/changes", path: "/discussions/\(discussion.id)/changes", default: .ok),
                Case(method: .GET, pattern: "/discussions/:id/articles/:anchor", path: "/discussions/\(discussion.id)/articles/art-1",
                     default: .ok),
                Case(method: .POST, pattern: "/discussions/:id/articles/:anchor/comments",
                     path: "/discussions/\(discussion.id)/articles/art-1/comments", form: ["text": "From the access table"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants),
                Case(method: .POST, pattern: "/discussions/:id/comments/:comment/vote",
                     path: "/discussions/\(discussion.id)/comments/\(discussion.comment)/vote", form: ["value": "support"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants),
                Case(method: .POST, pattern: "/discussions/:id/articles/:anchor/proposals",
                     path: "/discussions/\(discussion.id)/articles/art-1/proposals",
                     form: ["wording": "New wording", "justification": "Because"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants),
                Case(method: .POST, pattern: "/discussions/:id/proposals/:proposal/support",
                     path: "/discussions/\(discussion.id)/proposals/\(discussion.proposal)/support", form: [:],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants),
                Case(method: .POST, pattern: "/discussions/:id/proposals/:proposal/disposition",
                     path: "/discussions/\(discussion.id)/proposals/\(discussion.proposal)/disposition",
                     form: ["disposition": "accepted", "reason": "Fits"],
                     expected: [.anonymous: .seeOther, .account("maslikhat"): .conflict], default: .forbidden),
                Case(method: .GET, pattern: "/discussions/:id/dispositions", path: "/discussions/\(discussion.id)/dispositions",
                     default: .ok),
                Case(method: .POST, pattern: "/discussions/:id/comments/:comment/report",
                     path: "/discussions/\(discussion.id)/comments/\(discussion.comment)/report", form: [:], default: .seeOther),
                Case(method: .POST, pattern: "/discussions/:id/comments/:comment/hide",
                     path: "/discussions/\(discussion.id)/comments/\(discussion.comment)/hide", form: ["reason": "test"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: moderators),
                Case(method: .GET, pattern: "/discussions/:id/opinions", path: "/discussions/\(discussion.id)/opinions", default: .ok),
                Case(method: .POST, pattern: "/discussions/:id/opinions", path: "/discussions/\(discussion.id)/opinions",
                     form: ["affiliation": "Institute", "position": "supports", "text": "From the access table"], multipart: true,
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("expert")]),
                // The seeded opinion has no file: 404 to everyone alike.
                Case(method: .GET, pattern: "/discussions/:id/opinions/:opinion/file",
                     path: "/discussions/\(discussion.id)/opinions/\(discussion.opinion)/file", default: .notFound),
                Case(method: .GET, pattern: "/discussions/:id/report", path: "/discussions/\(discussion.id)/report", default: .ok),
                Case(method: .GET, pattern: "/api/v1/discussions/:id/comments", path: "/api/v1/discussions/\(discussion.id)/comments",
                     default: .ok),
                Case(method: .POST, pattern: "/api/v1/discussions/:id/comments", path: "/api/v1/discussions/\(discussion.id)/comments",
                     form: ["article": "art-1", "text": "x"], default: .unauthorized),
                Case(method: .GET, pattern: "/api/v1/discussions/:id/proposals", path: "/api/v1/discussions/\(discussion.id)/proposals",
                     default: .ok),
                Case(method: .GET, pattern: "/api/v1/discussions/:id/opinions", path: "/api/v1/discussions/\(discussion.id)/opinions",
                     default: .ok),
                Case(method: .GET, pattern: "/api/v1/polls/:id", path: "/api/v1/polls/\(discussion.poll)", default: .ok),
                Case(method: .GET, pattern: "/polls", path: "/polls", default: .ok),
                // Administrators and the region's deputies open its polls.
                Case(method: .POST, pattern: "/polls", path: "/polls",
                     form: ["title_en": "From the access table", "options": "A\nB", "territory": "430000000", "opens": "2026-03-02",
                            "closes": "2026-03-31"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .GET, pattern: "/polls/:id", path: "/polls/\(discussion.poll)", default: .ok),
                Case(method: .GET, pattern: "/polls/:id/results.csv", path: "/polls/\(discussion.poll)/results.csv", default: .ok),
                Case(method: .POST, pattern: "/polls/:id/vote", path: "/polls/\(discussion.poll)/vote", form: ["option": "0"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants),
                Case(method: .GET, pattern: "/conversations", path: "/conversations", default: .ok),
                Case(method: .POST, pattern: "/conversations", path: "/conversations",
                     form: ["title_en": "From the access table", "territory": "430000000", "opens": "2026-03-02", "closes": "2026-03-31"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .GET, pattern: "/conversations/:id", path: "/conversations/\(discussion.conversation)", default: .ok),
                Case(method: .POST, pattern: "/conversations/:id/votes", path: "/conversations/\(discussion.conversation)/votes",
                     form: ["statement": "\(discussion.statement)", "vote": "agree"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants,
                     happened: { app in
                         try await (app.db as! any SQLDatabase).select().column("id").from("conversation_votes")
                             .first(decoding: InsertedID.self) != nil
                     }),
                Case(method: .POST, pattern: "/conversations/:id/statements", path: "/conversations/\(discussion.conversation)/statements",
                     form: ["text": "From the access table"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants),
                Case(method: .POST, pattern: "/conversations/:id/statements/:statement/moderation",
                     path: "/conversations/\(discussion.conversation)/statements/\(discussion.pending)/moderation",
                     form: ["status": "approved"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: moderators),
                Case(method: .GET, pattern: "/conversations/:id/votes.csv", path: "/conversations/\(discussion.conversation)/votes.csv",
                     default: .ok),
                Case(method: .GET, pattern: "/conversations/:id/comments.csv",
                     path: "/conversations/\(discussion.conversation)/comments.csv", default: .ok),
                Case(method: .GET, pattern: "/conversations/:id/participants-votes.csv",
                     path: "/conversations/\(discussion.conversation)/participants-votes.csv", default: .ok),
                Case(method: .GET, pattern: "/api/v1/conversations/:id", path: "/api/v1/conversations/\(discussion.conversation)",
                     default: .ok),
                Case(method: .POST, pattern: "/api/v1/conversations/:id/votes", path: "/api/v1/conversations/\(discussion.conversation)/votes",
                     form: ["statement": "\(discussion.statement)", "vote": "agree"], default: .unauthorized),
                Case(method: .GET, pattern: "/appeals", path: "/appeals", default: .ok),
                Case(method: .GET, pattern: "/appeals.csv", path: "/appeals.csv", default: .ok),
                Case(method: .GET, pattern: "/appeals/statistics", path: "/appeals/statistics", default: .ok),
                Case(method: .GET, pattern: "/appeals/new", path: "/appeals/new", expected: [.anonymous: .seeOther], default: .ok),
                Case(method: .GET, pattern: "/appeals/mine", path: "/appeals/mine", expected: [.anonymous: .seeOther], default: .ok),
                // Citizens and experts answer for no body.
                Case(method: .GET, pattern: "/appeals/inbox", path: "/appeals/inbox",
                     expected: [.anonymous: .seeOther, .account("citizen"): .forbidden, .account("expert"): .forbidden], default: .ok),
                // Those who live or work in Shieli district appeal to its bodies.
                Case(method: .POST, pattern: "/appeals", path: "/appeals",
                     form: ["territory": "435200000", "topic": "water", "text": "From the access table: no water in the village"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("citizen"), .account("akimat")]),
                // A private appeal: its author, the officer of its body, the deputies and
                // administrators of its territory; nobody else learns that it exists.
                Case(method: .GET, pattern: "/appeals/:id", path: "/appeals/\(discussion.appeal)",
                     expected: [.account("citizen"): .ok, .account("akimat"): .ok, .account("admin"): .ok, .account("national"): .ok,
                                .account("maslikhat"): .ok], default: .notFound),
                // Its files likewise; a meeting's files are public, like the meeting; so is a deputy's page.
                Case(method: .GET, pattern: "/files/:id", path: "/files/\(discussion.appealFile)",
                     expected: [.account("citizen"): .ok, .account("akimat"): .ok, .account("admin"): .ok, .account("national"): .ok,
                                .account("maslikhat"): .ok], default: .notFound),
                Case(method: .GET, pattern: "/files/:id", path: "/files/\(discussion.meetingFile)", default: .ok),
                // Akimat officers and administrators of the territory keep the register of objects.
                Case(method: .POST, pattern: "/objects", path: "/objects",
                     form: ["territory": "435200000", "kind": "school", "name": "A school from the access table", "funding": "local"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("admin"), .account("akimat")]),
                Case(method: .POST, pattern: "/objects/:id", path: "/objects/\(discussion.object)", form: ["progress": "40"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("admin"), .account("akimat")],
                     happened: { app in try await VisitStore.object(discussion.object, on: app.db as! any SQLDatabase)?.progress == 40 }),
                Case(method: .GET, pattern: "/deputies/:id", path: "/deputies/\(discussion.deputy.uuidString)", default: .ok),
                Case(method: .POST, pattern: "/appeals/:id/extension", path: "/appeals/\(discussion.appeal)/extension",
                     form: ["reason": "A site check"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("akimat")]),
                Case(method: .POST, pattern: "/appeals/:id/answer", path: "/appeals/\(discussion.appeal)/answer",
                     form: ["answer": "Repaired"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("akimat")],
                     happened: { app in
                         try await AppealStore.list(AppealStore.Filter(status: .answered), on: app.db as! any SQLDatabase).total == 1
                     }),
                Case(method: .POST, pattern: "/appeals/:id/rating", path: "/appeals/\(discussion.appeal)/rating",
                     form: ["rating": "1"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("citizen")]),
                Case(method: .POST, pattern: "/appeals/:id/escalation", path: "/appeals/\(discussion.appeal)/escalation",
                     form: [:], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("citizen")]),
                // Deputies and administrators whose scope holds the territory record visits and
                // meetings and take issues under control.
                Case(method: .POST, pattern: "/appeals/:id/assignment", path: "/appeals/\(discussion.appeal)/assignment",
                     form: ["deadline": "2026-06-30"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .GET, pattern: "/visits", path: "/visits", default: .ok),
                Case(method: .GET, pattern: "/api/v1/appeals", path: "/api/v1/appeals?territory=430000000", default: .ok),
                Case(method: .POST, pattern: "/api/v1/appeals", path: "/api/v1/appeals",
                     form: ["territory": "435200000", "topic": "water", "text": "From the access table: no water"], default: .unauthorized),
                Case(method: .POST, pattern: "/receptions", path: "/receptions",
                     form: ["territory": "430000000", "starts_at": "2026-03-10T10:00", "slots": "4"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .POST, pattern: "/mandates", path: "/mandates",
                     form: ["territory": "430000000", "electoral_district": "No. 3", "topic": "water", "text": "A water main for the district",
                            "deadline": "2026-12-31"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                // The seeded meeting is no reception: residents of the region pass authorisation and get 409.
                Case(method: .POST, pattern: "/meetings/:id/bookings", path: "/meetings/\(discussion.meeting)/bookings",
                     form: ["slot": "0", "topic": "water"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: participants),
                // The API reads a private appeal for exactly those the page shows it to.
                Case(method: .GET, pattern: "/api/v1/appeals/:id", path: "/api/v1/appeals/\(discussion.appeal)",
                     expected: [.account("citizen"): .ok, .account("akimat"): .ok, .account("admin"): .ok, .account("national"): .ok,
                                .account("maslikhat"): .ok], default: .notFound),
                Case(method: .GET, pattern: "/api/v1/visits", path: "/api/v1/visits", default: .ok),
                Case(method: .GET, pattern: "/api/v1/visits/:id", path: "/api/v1/visits/\(discussion.visit)", default: .ok),
                Case(method: .GET, pattern: "/api/v1/objects", path: "/api/v1/objects", default: .ok),
                Case(method: .GET, pattern: "/visits.ics", path: "/visits.ics?territory=430000000", default: .ok),
                Case(method: .GET, pattern: "/visits/:id", path: "/visits/\(discussion.visit)", default: .ok),
                Case(method: .GET, pattern: "/meetings/:id", path: "/meetings/\(discussion.meeting)", default: .ok),
                Case(method: .GET, pattern: "/objects", path: "/objects?territory=430000000", default: .ok),
                Case(method: .GET, pattern: "/objects.csv", path: "/objects.csv", default: .ok),
                Case(method: .POST, pattern: "/visits", path: "/visits",
                     form: ["territory": "430000000", "title": "From the access table", "starts": "2026-04-01", "ends": "2026-04-02"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .POST, pattern: "/visits/:id/meetings", path: "/visits/\(discussion.visit)/meetings",
                     form: ["kind": "site", "starts_at": "2026-01-09T10:00", "title": "From the access table"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .POST, pattern: "/meetings/:id/minutes", path: "/meetings/\(discussion.meeting)/minutes",
                     form: ["minutes": "From the access table"], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                Case(method: .POST, pattern: "/meetings/:id/issues", path: "/meetings/\(discussion.meeting)/issues",
                     form: ["text": "From the access table: no water", "topic": "water"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: holders),
                // No referendum in the fixture: the pages answer 404 to everyone alike.
                Case(method: .GET, pattern: "/referendums/:id", path: "/referendums/1", default: .notFound),
                Case(method: .GET, pattern: "/referendums/:id/results.csv", path: "/referendums/1/results.csv", default: .notFound),
                Case(method: .POST, pattern: "/referendums/:id/results", path: "/referendums/1/results",
                     form: ["kato": "435200000", "eligible": "1", "participants": "1", "yes": "1", "no": "0", "invalid": "0"],
                     default: .notFound),
                Case(method: .GET, pattern: "/admin/import-budget", path: "/admin/import-budget",
                     expected: [.anonymous: .seeOther, .account("admin"): .ok, .account("regional-admin"): .ok,
                                .account("maslikhat"): .ok, .account("astana-deputy"): .ok], default: .forbidden),
                Case(method: .POST, pattern: "/admin/import-budget", path: "/admin/import-budget", form: ["note": "no file"],
                     multipart: true, expected: [.anonymous: .seeOther], default: .forbidden,
                     mayAct: [.account("admin"), .account("regional-admin"), .account("maslikhat"), .account("astana-deputy")]),
                Case(method: .GET, pattern: "/api/v1/budget/lines", path: "/api/v1/budget/lines?year=2026&territory=430000000", default: .ok),
                Case(method: .GET, pattern: "/api/v1/budget/transfers", path: "/api/v1/budget/transfers?year=2026", default: .ok),
                Case(method: .GET, pattern: "/api/v1/budget/indicators", path: "/api/v1/budget/indicators?territory=430000000&year=2026", default: .ok),
                Case(method: .GET, pattern: "/api/v1/budget/what-if", path: "/api/v1/budget/what-if?year=2026&code=101201&from=3&to=4&share=0.1", default: .ok),
                Case(method: .GET, pattern: "/my", path: "/my", expected: [.anonymous: .seeOther], default: .ok),
                Case(method: .POST, pattern: "/my/notifications/read", path: "/my/notifications/read", form: [:],
                     default: .seeOther),
                Case(method: .POST, pattern: "/account/sessions/end", path: "/account/sessions/end", form: [:],
                     default: .seeOther),
                Case(method: .GET, pattern: "/account/password", path: "/account/password",
                     expected: [.anonymous: .seeOther], default: .ok),
                Case(method: .POST, pattern: "/account/password", path: "/account/password",
                     form: ["current": "not the password", "password": "a new long passphrase", "repeated": "a new long passphrase"],
                     expected: [.anonymous: .seeOther], default: .unprocessableEntity),
                Case(method: .GET, pattern: "/password/:token", path: "/password/not-a-link", default: .notFound),
                Case(method: .POST, pattern: "/signin/code", path: "/signin/code", form: ["challenge": "x.y.z", "code": "123456"],
                     default: .seeOther),
                Case(method: .GET, pattern: "/account/second-factor", path: "/account/second-factor",
                     expected: [.anonymous: .seeOther], default: .ok),
                // After the enrolment page (above) made a secret to enrol.
                Case(method: .GET, pattern: "/account/second-factor/qr.svg", path: "/account/second-factor/qr.svg",
                     expected: [.anonymous: .seeOther], default: .ok),
                Case(method: .POST, pattern: "/account/second-factor", path: "/account/second-factor", form: ["code": "000000"],
                     expected: [.anonymous: .seeOther], default: .unprocessableEntity),
                Case(method: .POST, pattern: "/account/second-factor/off", path: "/account/second-factor/off", form: ["code": "000000"],
                     expected: [.anonymous: .seeOther], default: .notFound),
                Case(method: .POST, pattern: "/admin/users/:id/second-factor-reset", path: "/admin/users/\(targetID)/second-factor-reset",
                     form: [:], expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("admin")]),
                Case(method: .POST, pattern: "/password/:token", path: "/password/not-a-link",
                     form: ["password": "a new long passphrase", "repeated": "a new long passphrase"], default: .notFound),
                Case(method: .GET, pattern: "/admin/users/:id", path: "/admin/users/\(targetID)",
                     expected: [.anonymous: .seeOther, .account("admin"): .ok], default: .forbidden),
                Case(method: .POST, pattern: "/admin/users/:id", path: "/admin/users/\(targetID)",
                     form: ["role": "citizen", "territory": "435200000"],
                     expected: [.anonymous: .seeOther], default: .forbidden, mayAct: [.account("admin")]),
                Case(method: .POST, pattern: "/admin/users/:id/password-link", path: "/admin/users/\(targetID)/password-link",
                     form: [:], expected: [.anonymous: .seeOther, .account("admin"): .ok], default: .forbidden),
                Case(method: .GET, pattern: "/my/deadlines.ics", path: "/my/deadlines.ics?account=\(targetID)&key=\(String(repeating: "0", count: 64))",
                     default: .notFound),
            ]
        }

        @Test func everyRouteAnswersEveryRoleAsThePolicySays() async throws {
            try await withAimaq { app, fixture in
                // An account in Shieli for the administrators to switch on and off.
                let target = Account(email: "target@test.aimaq.kz", displayName: "target", passwordHash: "x",
                                     role: .citizen, scope: .subtree(try KATOCode("435200000")))
                try await target.create(on: app.db)
                let cases = Self.cases(bodyID: fixture.bodyID, targetID: try target.requireID(), plan: fixture.plan,
                                       discussion: try await Self.seedDiscussion(app))

                // The table must name every route the app registers.
                let registered = Set(app.routes.all.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" })
                let covered = Set(cases.map { "\($0.method.rawValue) \($0.pattern)" })
                #expect(registered == covered, "routes without an access case: \(registered.subtracting(covered).sorted())")

                for who in Self.everyone {
                    for testCase in cases {
                        var visitor = Visitor(app)
                        if case .account(let key) = who { try await visitor.signIn(key) }
                        let response: TestingHTTPResponse
                        if var form = testCase.form {
                            // A distinct unknown account per visitor keeps the per-account limit out of the way.
                            if form["email"] != nil { form["email"] = "nobody-\(who)@test.aimaq.kz" }
                            response = testCase.multipart
                                ? try await visitor.postMultipart(testCase.path, fields: form, files: [])
                                : try await visitor.post(testCase.path, form: form)
                        } else {
                            response = try await visitor.get(testCase.path)
                        }
                        if testCase.mayAct.contains(who) {
                            #expect([303, 409, 422].contains(response.status.code),
                                    "\(testCase.method.rawValue) \(testCase.path) as \(who): \(response.status.code), expected to pass authorisation")
                            if response.status == .seeOther, let happened = testCase.happened {
                                #expect(try await happened(app), "\(testCase.method.rawValue) \(testCase.path) as \(who) answered 303 but changed nothing")
                            }
                            continue
                        }
                        let expected = testCase.expected[who] ?? testCase.default
                        #expect(response.status == expected,
                                "\(testCase.method.rawValue) \(testCase.path) as \(who): \(response.status.code), expected \(expected.code)")
                        if response.status == .seeOther, who == .anonymous, testCase.expected[who] == .seeOther {
                            #expect(response.headers.first(name: .location)?.hasPrefix("/signin?next=") == true)
                        }
                    }
                }
            }
        }

        @Test func aMethodAPathDoesNotTakeIs405WithAllow() async throws {
            try await withAimaq { app, _ in
                let api = try await app.testing().sendRequest(.DELETE, "/api/v1/territories")
                #expect(api.status == .methodNotAllowed)
                #expect(api.headers.first(name: .allow)?.contains("GET") == true)
                let nowhere = try await app.testing().sendRequest(.DELETE, "/api/v1/no/such/thing")
                #expect(nowhere.status == .notFound)
                // Pages check the form token first: a write to a page without one is 403 anyway.
                let page = try await app.testing().sendRequest(.PUT, "/territories/430000000")
                #expect(page.status == .forbidden)
            }
        }

        @Test func unknownAndMalformedAddressesAre404Everywhere() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                for path in ["/territories/999999999", "/territories/43", "/territories/abc", "/bodies/999999",
                             "/bodies/x", "/no/such/page"] {
                    let response = try await visitor.get(path)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.headers.contentType == .html, "\(path)")
                }
                for path in ["/api/v1/territories/999999999", "/api/v1/territories/4300", "/api/v1/bodies/999999",
                             "/api/v1/territories?parent=999999999"] {
                    let response = try await visitor.get(path)
                    #expect(response.status == .notFound, "\(path)")
                    let error = try response.content.decode(APIErrorBody.self)
                    #expect(error.error.status == 404)
                    #expect(!error.error.message.isEmpty)
                }
            }
        }
    }
}
