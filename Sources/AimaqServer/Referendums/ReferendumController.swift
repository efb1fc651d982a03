import AimaqCore
import Vapor

/// Referendums and polls: the list, a referendum's results with its verdict, and the
/// results by region as CSV. Public, like the results a commission announces.
enum ReferendumController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.referendums.pathComponents, use: list)
        routes.get(SiteURL.referendum(.key).pathComponents, use: show)
        routes.get(SiteURL.referendumResults(.key).pathComponents, use: csv)
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
        return Counted(referendum: referendum, entered: entered, results: results,
                       verdict: Verdict(results: results, rules: referendum.rules, tree: tree))
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
}
