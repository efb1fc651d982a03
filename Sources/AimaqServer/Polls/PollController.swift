import AimaqCore
import Vapor

/// Consultative online polls: signed-in residents of the poll's territory answer once while it
/// is open; results are shown by region and as CSV; after the period nobody answers.
enum PollController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.polls.pathComponents, use: list)
        routes.get(SiteURL.poll(.key).pathComponents, use: show)
        routes.post(SiteURL.pollVote(.key).pathComponents, use: vote)
        routes.get(SiteURL.pollResults(.key).pathComponents, use: csv)
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let today = InstructionController.today(request)
        let polls = try await PollStore.all(on: request.sql).filter { $0.opens <= today }
        let page = request.page
        return Layout.response(request, title: page.t("poll.list.title"),
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path), (page.t("poll.list.title"), SiteURL.polls.path)],
                               content: PollViews.list(polls, today: today, page))
    }

    static func load(_ request: Request) async throws -> PollRecord {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self), let poll = try await PollStore.find(id, on: request.sql),
              poll.opens <= InstructionController.today(request) else {
            throw Abort(.notFound, reason: request.t("poll.notFound"))
        }
        return poll
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let poll = try await load(request)
        let today = InstructionController.today(request)
        let results = try await PollStore.results(poll, on: request.sql)
        let choice = try await request.account?.id.asyncMap { try await PollStore.choice(poll.id, account: $0, on: request.sql) }
        let page = request.page
        let context = PollViews.Context(
            poll: poll, results: results, open: poll.isOpen(on: today), choice: choice, signedIn: request.actor != nil,
            mayVote: poll.isOpen(on: today) && AccessPolicy.allows(.takePartInDiscussion(territory: poll.territory), for: request.actor),
            regions: request.tree.regions)
        return Layout.response(request, title: poll.title[page.language],
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path), (page.t("poll.list.title"), SiteURL.polls.path),
                                             (poll.title[page.language], SiteURL.poll(.value(poll.id)).path)],
                               content: PollViews.page(context, page))
    }

    struct VoteForm: Content { var option: Int? }

    @Sendable static func vote(_ request: Request) async throws -> Response {
        let poll = try await load(request)
        try request.authorize(.takePartInDiscussion(territory: poll.territory))
        guard poll.isOpen(on: InstructionController.today(request)) else { throw Abort(.conflict, reason: request.t("poll.error.closed")) }
        try request.aimaq.limits.charge(.participation, request)
        guard let option = try request.content.decode(VoteForm.self).option, poll.options.indices.contains(option) else {
            throw Abort(.unprocessableEntity, reason: request.t("poll.error.option"))
        }
        guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
        let region = account.territoryID.flatMap { try? KATOCode(number: $0) }?.region
        guard try await PollStore.vote(poll.id, account: accountID, option: option, region: region, on: request.writer) else {
            throw Abort(.conflict, reason: request.t("poll.error.again"))
        }
        return request.redirect(to: SiteURL.poll(.value(poll.id)).path + "#results", redirectType: .normal)
    }

    /// `GET /polls/:id/results.csv`: the country and each region, votes per option.
    @Sendable static func csv(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let poll = try await load(request)
        let results = try await PollStore.results(poll, on: request.sql)
        let language = request.language
        var csv = CSVWriter(header: ["kato", "name", "voters"] + poll.options.indices.map { "option_\($0 + 1)" } + ["demo"])
        csv.row([.text(""), .text(request.t("country.name")), .integer(results.voters)] + results.total.map { .integer($0) }
                + [.text(poll.demo ? "true" : "false")])
        for region in request.tree.regions {
            guard let counts = results.byRegion[region.code.regionNumber] else { continue }
            csv.row([.integer(region.code.value), .text(region.name[language]), .integer(counts.reduce(0, +))]
                    + counts.map { .integer($0) } + [.text(poll.demo ? "true" : "false")])
        }
        let response = Response(status: .ok)
        response.setCSV(csv.text, filename: "poll-\(poll.id).csv")
        return response
    }
}
