import AimaqCore
import Vapor

/// `/api/v1/referendums` and `/api/v1/discussions`: referendums with their results and
/// verdict, discussions with the articles of their latest draft, as JSON.
enum CivicAPI {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.api(.referendums).pathComponents, use: referendums)
        routes.get(SiteURL.api(.referendum(.key)).pathComponents, use: referendum)
        routes.get(SiteURL.api(.discussions).pathComponents, use: discussions)
        routes.get(SiteURL.api(.discussion(.key)).pathComponents, use: discussion)
    }

    struct ReferendumSummary: Content {
        var id: Int
        var heldOn: String
        var kind: String
        var title: LocalizedName
        var demo: Bool

        init(_ record: ReferendumRecord) {
            id = record.id
            heldOn = record.heldOn
            kind = record.kind
            title = record.title
            demo = record.demo
        }
    }

    struct TallyDTO: Content {
        var kato: String?
        var eligible: Int
        var participants: Int
        var yes: Int
        var no: Int
        var invalid: Int

        init(_ code: KATOCode?, _ tally: Tally) {
            kato = code?.description
            eligible = tally.eligible
            participants = tally.participants
            yes = tally.answers.first ?? 0
            no = tally.answers.dropFirst().first ?? 0
            invalid = tally.invalid
        }
    }

    struct CheckDTO: Content {
        var rule: String
        var holds: Bool
        var count: Int
        var base: Int
        var needed: String
    }

    struct ReferendumDTO: Content {
        var referendum: ReferendumSummary
        var question: LocalizedName
        var rules: ReferendumRules
        var national: TallyDTO
        var regions: [TallyDTO]
        var passed: Bool
        var valid: Bool
        var checks: [CheckDTO]
    }

    @Sendable static func referendums(_ request: Request) async throws -> ListDTO<ReferendumSummary> {
        try request.authorize(.viewPublic)
        let paging = try Paging(request)
        let all = try await ReferendumStore.all(on: request.sql)
        return ListDTO(items: paging.slice(all).map(ReferendumSummary.init), total: all.count, page: paging.page, per: paging.per)
    }

    @Sendable static func referendum(_ request: Request) async throws -> ReferendumDTO {
        try request.authorize(.viewPublic)
        let counted = try await ReferendumController.counted(request)
        return ReferendumDTO(
            referendum: ReferendumSummary(counted.referendum), question: counted.referendum.question, rules: counted.referendum.rules,
            national: TallyDTO(nil, counted.results.national),
            regions: counted.results.regions(of: request.tree).map { TallyDTO($0.code, $0.tally) },
            passed: counted.verdict.passed, valid: counted.verdict.valid,
            checks: counted.verdict.checks.map { CheckDTO(rule: $0.rule.rawValue, holds: $0.holds, count: $0.count, base: $0.base,
                                                          needed: $0.needed) })
    }

    struct DiscussionSummary: Content {
        var id: Int
        var title: LocalizedName
        var territory: String?
        var phase: String
        var opens: String
        var expertReview: String
        var dispositions: String
        var closes: String
        var demo: Bool

        init(_ record: DiscussionRecord, today: CivilDate) {
            id = record.id
            title = record.title
            territory = record.territory?.description
            phase = record.schedule.phase(on: today).rawValue
            opens = record.schedule.opens.description
            expertReview = record.schedule.expertReview.description
            dispositions = record.schedule.dispositions.description
            closes = record.schedule.closes.description
            demo = record.demo
        }
    }

    struct DiscussionDTO: Content {
        var discussion: DiscussionSummary
        var versions: [Int]
        /// The version whose articles follow (none before the discussion opens).
        var version: Int?
        var articles: [DraftArticle]
    }

    @Sendable static func discussions(_ request: Request) async throws -> ListDTO<DiscussionSummary> {
        try request.authorize(.viewPublic)
        let paging = try Paging(request)
        let today = InstructionController.today(request)
        let all = try await DiscussionStore.all(on: request.sql)
        return ListDTO(items: paging.slice(all).map { DiscussionSummary($0, today: today) }, total: all.count, page: paging.page,
                       per: paging.per)
    }

    @Sendable static func discussion(_ request: Request) async throws -> DiscussionDTO {
        try request.authorize(.viewPublic)
        let shown = try await DiscussionController.shown(request)
        return DiscussionDTO(discussion: DiscussionSummary(shown.discussion, today: InstructionController.today(request)),
                             versions: shown.versions, version: shown.version?.number,
                             articles: shown.version?.document.articles ?? [])
    }
}
