import AimaqCore
import Vapor

/// Referendums and polls: the list, a referendum's results with its verdict, and the
/// results by region as CSV. Public, like the results a commission announces.
enum ReferendumController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.referendums.pathComponents, use: list)
        routes.get(SiteURL.referendum(.key).pathComponents, use: show)
        routes.get(SiteURL.referendumResults(.key).pathComponents, use: csv)
        routes.post(SiteURL.referendumProtocol(.key).pathComponents, use: enter)
    }

    @Sendable static func list(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let referendums = try await ReferendumStore.all(on: request.sql)
        let page = request.page
        return Layout.response(request, title: page.t("referendum.list.title"),
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("referendum.list.title"), SiteURL.referendums.path)],
                               content: ReferendumViews.list(referendums, page))
    }

    /// A referendum with its results, counted and judged now.
    struct Counted: Sendable {
        var referendum: ReferendumRecord
        var entered: [KATOCode: Tally]
        var results: ReferendumResults
        var verdict: Verdict
        /// Against the imported electorate (none when there is none).
        var progress: CountingProgress?
        /// The territories the signed-in account may enter a protocol for.
        var enterable: [Territory] = []
    }

    static func counted(_ request: Request) async throws -> Counted {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self),
              let referendum = try await ReferendumStore.find(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("referendum.notFound"))
        }
        let entered = try await ReferendumStore.results(id, on: request.sql)
        let tree = request.tree
        let results: ReferendumResults
        do {
            results = try ReferendumResults(entered: entered, answers: 2, tree: tree)
        } catch {
            // Stored results are checked when recorded; a tree changed since may break them.
            throw Abort(.internalServerError, reason: request.t("referendum.inconsistent"))
        }
        let electorate = try await ReferendumStore.electorate(id, on: request.sql)
        var counted = Counted(referendum: referendum, entered: entered, results: results,
                              verdict: Verdict(results: results, rules: referendum.rules, tree: tree),
                              progress: electorate.isEmpty ? nil : CountingProgress(electorate: electorate, entered: entered))
        if let actor = request.actor, actor.role == .administrator {
            counted.enterable = electorate.keys.sorted { $0.value < $1.value }
                .filter { AccessPolicy.allows(.enterReferendumResults(territory: $0), for: actor) }.compactMap { tree[$0] }
        }
        return counted
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let counted = try await counted(request)
        let page = request.page
        let title = counted.referendum.title[page.language]
        return Layout.response(request, title: title,
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path),
                                             (page.t("referendum.list.title"), SiteURL.referendums.path),
                                             (title, SiteURL.referendum(.value(counted.referendum.id)).path)],
                               content: ReferendumViews.page(counted, page))
    }

    /// `GET /referendums/:id/results.csv`: the country and each region with results.
    @Sendable static func csv(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let counted = try await counted(request)
        var csv = CSVWriter(header: ["kato", "name", "eligible", "participants", "yes", "no", "invalid", "turnout", "yes_share", "demo"])
        let language = request.language
        let rows = [(nil as Territory?, counted.results.national)]
            + counted.results.regions(of: request.tree).compactMap { entry in request.tree[entry.code].map { ($0, entry.tally) } }
        for (territory, tally) in rows {
            csv.row([territory.map { .integer($0.code.value) } ?? .text(""),
                     .text(territory?.name[language] ?? request.t("country.name")),
                     .integer(tally.eligible), .integer(tally.participants), .integer(tally.answers.first ?? 0),
                     .integer(tally.answers.dropFirst().first ?? 0), .integer(tally.invalid),
                     .number(ReferendumViews.share(tally.participants, of: tally.eligible)),
                     .number(ReferendumViews.share(tally.answers.first ?? 0, of: counted.referendum.rules.passBase.base(of: tally))),
                     .text(counted.referendum.demo ? "true" : "false")])
        }
        let response = Response(status: .ok)
        response.setCSV(csv.text, filename: "referendum-\(counted.referendum.id).csv")
        return response
    }

    struct ProtocolForm: Content {
        var kato: String?
        var eligible: Int?
        var participants: Int?
        var yes: Int?
        var no: Int?
        var invalid: Int?
    }

    /// `POST /referendums/:id/results`: one territory's protocol, entered for its commission;
    /// checked like an imported one (it must add up and fit with what is entered), audited.
    @Sendable static func enter(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self),
              try await ReferendumStore.find(id, on: request.sql) != nil else {
            throw Abort(.notFound, reason: request.t("referendum.notFound"))
        }
        let form = try request.content.decode(ProtocolForm.self)
        guard let code = form.kato.flatMap({ try? KATOCode($0) }), request.tree[code] != nil else {
            throw Abort(.unprocessableEntity, reason: request.t("referendum.error.territory"))
        }
        try request.authorize(.enterReferendumResults(territory: code))
        guard let eligible = form.eligible, let participants = form.participants, let yes = form.yes, let no = form.no,
              let invalid = form.invalid else {
            throw Abort(.unprocessableEntity, reason: request.t("referendum.error.figures"))
        }
        let tally = Tally(eligible: eligible, participants: participants, answers: [yes, no], invalid: invalid)
        guard tally.problems().isEmpty else { throw Abort(.unprocessableEntity, reason: request.t("referendum.error.figures")) }
        do {
            try await ReferendumStore.record([code: tally], referendum: id, actor: request.auditActor, tree: request.tree, on: request.db)
        } catch let problem as ReferendumStore.StoreProblem {
            throw Abort(.unprocessableEntity, reason: "\(problem)")
        }
        return request.redirect(to: SiteURL.referendum(.value(id)).path + "#progress", redirectType: .normal)
    }
}
