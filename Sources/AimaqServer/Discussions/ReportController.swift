import AimaqCore
import Foundation
import OpinionMap
import SQLKit
import Vapor

/// The report of a discussion (`/discussions/:id/report`): who took part, from which region
/// and on which day, the counts, the most supported proposals, the disposition table, the
/// experts' opinions and the opinion map's summary; printable.
enum ReportController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.discussionReport(.key).pathComponents, use: report)
    }

    /// What the report counts.
    struct Figures: Sendable {
        var articles = 0
        var versions = 0
        var comments = 0
        var proposals = 0
        var supports = 0
        var disposed = 0
        var opinions = 0
        var statements = 0
        var votes = 0
        /// Distinct people: commenters, proposers, experts and opinion-map participants.
        var participants = 0
        /// People by region number (those whose region is known).
        var byRegion: [Int: Int] = [:]
        /// Comments, proposals and votes by local day.
        var byDay: [(day: CivilDate, comments: Int, proposals: Int, votes: Int)] = []
    }

    struct Report: Sendable {
        var shown: DiscussionController.Shown
        var figures: Figures
        var proposals: [ProposalRecord]
        var opinions: [ExpertOpinionRecord]
        var conversations: [ConversationSnapshot]
    }

    @Sendable static func report(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let shown = try await DiscussionController.shown(request)
        guard shown.phase.allows(.read) else { throw Abort(.notFound, reason: request.t("discussion.notFound")) }
        let report = try await make(shown, request)
        let page = request.page
        let title = page.t("report.title")
        return Layout.response(request, title: title,
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("discussion.list.title"), SiteURL.discussions.path),
                                             (shown.discussion.title[page.language], SiteURL.discussion(.value(shown.discussion.id)).path),
                                             (title, SiteURL.discussionReport(.value(shown.discussion.id)).path)],
                               content: ReportViews.page(report, page))
    }

    static func make(_ shown: DiscussionController.Shown, _ request: Request) async throws -> Report {
        let sql = request.sql
        let id = shown.discussion.id
        let proposals = try await ProposalStore.list(discussion: id, on: sql)
        let opinions = try await OpinionStore.list(discussion: id, on: sql)
        let conversations = try await ConversationStore.of(discussion: id, on: sql)
        var figures = Figures()
        figures.articles = shown.version?.document.articles.count ?? 0
        figures.versions = shown.versions.count
        figures.proposals = proposals.count
        figures.supports = proposals.reduce(0) { $0 + $1.support }
        figures.disposed = proposals.filter { $0.disposition != nil }.count
        figures.opinions = opinions.count

        struct Author: Decodable { var author_id: UUID; var created_at: Int64 }
        let comments = try await sql.select().columns("author_id", "created_at").from("comments")
            .where("discussion_id", .equal, SQLBind(id)).all(decoding: Author.self)
        let proposers = try await sql.select().columns("author_id", "created_at").from("proposals")
            .where("discussion_id", .equal, SQLBind(id)).all(decoding: Author.self)
        figures.comments = comments.count
        var accounts = Set(comments.map(\.author_id)).union(proposers.map(\.author_id)).union(opinions.map(\.author_id))
        let dayOf = { (milliseconds: Int64) in KazakhstanTime.local(milliseconds: milliseconds).date }
        var days: [CivilDate: (Int, Int, Int)] = [:]
        for comment in comments { days[dayOf(comment.created_at), default: (0, 0, 0)].0 += 1 }
        for proposal in proposers { days[dayOf(proposal.created_at), default: (0, 0, 0)].1 += 1 }

        // The opinion maps' people and votes: accounts count once, whatever they did.
        var snapshots: [ConversationSnapshot] = []
        var mapPeople = 0
        for conversation in conversations {
            if let snapshot = request.aimaq.conversations.snapshot(conversation.id) {
                snapshots.append(snapshot)
                figures.statements += snapshot.approved.count
            }
            struct Person: Decodable { var account_id: UUID?; var region_id: Int? }
            let people = try await sql.select().columns("account_id", "region_id").from("conversation_participants")
                .where("conversation_id", .equal, SQLBind(conversation.id)).all(decoding: Person.self)
            for person in people {
                if let account = person.account_id {
                    accounts.insert(account)
                } else {
                    mapPeople += 1
                    if let region = person.region_id { figures.byRegion[region / 10_000_000, default: 0] += 1 }
                }
            }
            struct Day: Decodable { var day: Int; var n: Int }
            let perDay = try await sql.raw("""
                SELECT (created_at + \(literal: Int64(KazakhstanTime.offsetSeconds) * 1_000)) / 86400000 AS day, COUNT(*) AS n \
                FROM conversation_votes WHERE conversation_id = \(bind: conversation.id) GROUP BY 1
                """).all(decoding: Day.self)
            for row in perDay {
                days[CivilDate(dayNumber: row.day), default: (0, 0, 0)].2 += row.n
                figures.votes += row.n
            }
        }
        // Accounts by the region they live or work in.
        struct Place: Decodable { var territory_id: Int? }
        let known = Array(accounts)
        var start = 0
        while start < known.count {
            let part = known[start ..< min(start + 500, known.count)]
            let places = try await sql.select().column("territory_id").from(Account.schema)
                .where("id", .in, SQLBind.group(Array(part))).all(decoding: Place.self)
            for place in places {
                if let territory = place.territory_id { figures.byRegion[territory / 10_000_000, default: 0] += 1 }
            }
            start += part.count
        }
        figures.participants = accounts.count + mapPeople
        figures.byDay = days.keys.sorted().map { day in
            let counts = days[day] ?? (0, 0, 0)
            return (day, counts.0, counts.1, counts.2)
        }
        return Report(shown: shown, figures: figures, proposals: proposals, opinions: opinions, conversations: snapshots)
    }
}
