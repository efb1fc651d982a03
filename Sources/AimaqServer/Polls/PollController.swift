import AimaqCore
import Vapor

/// Consultative online polls: signed-in residents of the poll's territory answer once while it
/// is open; results are shown by region and as CSV; after the period nobody answers.
enum PollController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.polls.pathComponents, use: list)
        routes.post(SiteURL.polls.pathComponents, use: create)
        routes.get(SiteURL.poll(.key).pathComponents, use: show)
        routes.post(SiteURL.pollVote(.key).pathComponents, use: vote)
        routes.get(SiteURL.pollResults(.key).pathComponents, use: csv)
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        return try listPage(request, polls: try await visiblePolls(request), values: [:], problems: [])
    }

    /// The polls a visitor sees: those open or past, and one not yet open only for those who
    /// may open polls of its territory.
    static func visiblePolls(_ request: Request) async throws -> [PollRecord] {
        let today = InstructionController.today(request)
        let actor = request.actor
        return try await PollStore.all(on: request.sql)
            .filter { $0.opens <= today || AccessPolicy.allows(.moderateDiscussion(territory: $0.territory), for: actor) }
    }

    /// The list, with the form that opens a poll for those who may (refilled, with what is
    /// wrong, after a refused form).
    static func listPage(_ request: Request, polls: [PollRecord], values: [String: String], problems: [String],
                         status: HTTPResponseStatus = .ok) throws -> Response {
        let page = request.page
        return Layout.response(request, title: page.t("poll.list.title"),
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path), (page.t("poll.list.title"), SiteURL.polls.path)],
                               status: status,
                               content: PollViews.list(polls, today: InstructionController.today(request),
                                                       mayCreate: OpeningForm.mayOpen(request.actor), values: values, problems: problems, page))
    }

    struct CreateForm: OpeningForm.Titled {
        var title_kk: String?
        var title_ru: String?
        var title_en: String?
        var options: String?
        var territory: String?
        var opens: String?
        var closes: String?
    }

    /// `POST /polls`: a poll of the actor's territory (or of one in it), with 2 to 10 options,
    /// one per line (`қазақша | русский | English`, or one text for all three), open from a
    /// day not in the past for at most a year. Every problem is said at once; the form comes
    /// back filled in.
    @Sendable static func create(_ request: Request) async throws -> Response {
        var (form, title, problems) = try OpeningForm.begin(request, CreateForm.self, titleProblem: "poll.error.title")
        let lines = (form.options ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let options = lines.map { line -> LocalizedName? in
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 1 || parts.count == 3 else { return nil }
            return parts.count == 1 ? OpeningForm.localized(parts[0], nil, nil, limit: 200) : OpeningForm.localized(parts[0], parts[1], parts[2], limit: 200)
        }
        if !(2...10).contains(options.count) || options.contains(where: { $0 == nil }) { problems.append(request.t("poll.error.options")) }
        let (territoryText, territory, territoryProblem) = OpeningForm.territory(form.territory, request)
        if let territoryProblem { problems.append(territoryProblem) }
        let today = InstructionController.today(request)
        let opens = try? CivilDate((form.opens ?? "").trimmingCharacters(in: .whitespaces))
        let closes = try? CivilDate((form.closes ?? "").trimmingCharacters(in: .whitespaces))
        if let opens, let closes, opens >= today, opens <= closes, closes.dayNumber - opens.dayNumber <= 366 {} else {
            problems.append(request.t("poll.error.dates"))
        }
        // A form with problems comes back with them; a sound one for a territory beyond the
        // actor's scope is refused.
        if problems.isEmpty { try request.authorize(.moderateDiscussion(territory: territory)) }
        guard problems.isEmpty, let title, let opens, let closes else {
            let values = ["title_kk": form.title_kk ?? "", "title_ru": form.title_ru ?? "", "title_en": form.title_en ?? "",
                          "options": form.options ?? "", "territory": territoryText, "opens": form.opens ?? "", "closes": form.closes ?? ""]
            return try listPage(request, polls: try await visiblePolls(request), values: values, problems: problems,
                                status: .unprocessableEntity)
        }
        let id = try await PollStore.create(PollRecord(id: 0, territory: territory, discussionID: nil, title: title,
                                                       options: options.compactMap { $0 }, opens: opens, closes: closes, demo: false),
                                            actor: request.auditActor, on: request.db)
        return request.redirect(to: SiteURL.poll(.value(id)).path, redirectType: .normal)
    }

    static func load(_ request: Request) async throws -> PollRecord {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self), let poll = try await PollStore.find(id, on: request.sql),
              poll.opens <= InstructionController.today(request)
                || AccessPolicy.allows(.moderateDiscussion(territory: poll.territory), for: request.actor) else {
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
