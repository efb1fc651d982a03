import AimaqCore
import Foundation
import SQLKit
import Vapor

/// A deputy's public page: their receptions, the visits they took part in, and what became of
/// everything raised with them (appeals addressed to them and issues raised at their
/// receptions), with the public fields only.
enum DeputyController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.deputy(.key).pathComponents, use: page)
    }

    /// What became of what was raised with a deputy.
    struct Outcome: Equatable {
        var raised = 0
        var answered = 0
        var onTime = 0
        var overdue = 0
        var assigned = 0
        var awaiting = 0

        init(_ items: [AppealRecord], today: CivilDate) {
            for item in items {
                raised += 1
                if item.status == .answered { answered += 1 }
                if item.status == .assigned { assigned += 1 }
                if item.status.awaitsAnswer { awaiting += 1 }
                switch item.timeliness(today: today) {
                case .onTime where item.status == .answered: onTime += 1
                case .overdue: overdue += 1
                default: break
                }
            }
        }
    }

    struct Model {
        var account: Account
        var receptions: [MeetingRecord]
        var visits: [VisitRecord]
        var outcome: Outcome
        var published: [AppealRecord]
        var today: CivilDate
        var bodies: BodyDirectory
    }

    /// `GET /deputies/:id`: only deputies have such a page; any other id is not found.
    @Sendable static func page(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        guard let id = request.parameters.get(SiteURL.idKey, as: UUID.self), let account = try await Account.find(id, on: request.db),
              account.role == .maslikhatDeputy || account.role == .nationalDeputy else {
            throw Abort(.notFound, reason: request.t("deputy.notFound"))
        }
        let sql = request.sql
        let today = InstructionController.today(request)
        let receptions = try await VisitStore.meetings(from: nil, to: nil, in: nil, host: id, limit: 200, on: sql)
        let visits = try await VisitStore.visits(joinedBy: account.displayName, hosting: id, on: sql)
        let raised = try await AppealStore.list(AppealStore.Filter(deputy: id), per: 5_000, on: sql).items
        let model = Model(account: account, receptions: receptions, visits: visits, outcome: Outcome(raised, today: today),
                          published: Array(raised.filter(\.publishable).prefix(50)), today: today, bodies: request.aimaq.bodies)
        let page = request.page
        return Layout.response(request, title: account.displayName,
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path), (page.t("visit.list.title"), SiteURL.visits.path),
                                             (account.displayName, SiteURL.deputy(.value(id)).path)],
                               content: view(model, page))
    }

    static func view(_ model: Model, _ page: PageContext) -> Node {
        let account = model.account
        let outcome = model.outcome
        return .fragment([
            el("h1") { account.displayName },
            el("p", .class("meta")) {
                page.t("role.\(account.roleName)")
                if let code = account.territoryID.flatMap({ try? KATOCode(number: $0) }) { " · " + VisitViews.territoryName(code, page) }
            },
            el("p", .class("actions")) {
                el("a", .href(SiteURL.appealNew.link(SiteQuery([(.deputy, account.id?.uuidString ?? "")]))), .id("write-to-deputy")) {
                    page.t("deputy.write")
                }
            },
            el("h2") { page.t("deputy.outcome") },
            el("dl", .class("facts"), .id("deputy-outcome")) {
                el("dt") { page.t("deputy.raised") }; el("dd") { NumberFormat.integer(outcome.raised, page.language) }
                el("dt") { page.t("deputy.answered") }; el("dd") { NumberFormat.integer(outcome.answered, page.language) }
                el("dt") { page.t("deputy.onTime") }; el("dd") { NumberFormat.integer(outcome.onTime, page.language) }
                el("dt") { page.t("deputy.overdue") }; el("dd") { NumberFormat.integer(outcome.overdue, page.language) }
                el("dt") { page.t("deputy.assigned") }; el("dd") { NumberFormat.integer(outcome.assigned, page.language) }
                el("dt") { page.t("deputy.awaiting") }; el("dd") { NumberFormat.integer(outcome.awaiting, page.language) }
            },
            el("h2") { page.t("deputy.receptions") },
            model.receptions.isEmpty ? el("p") { page.t("deputy.noReceptions") } : el("ul", .class("list"), .id("deputy-receptions")) {
                for meeting in model.receptions.reversed() {
                    el("li") {
                        el("a", .href(SiteURL.meeting(.value(meeting.id)).path)) {
                            (meeting.day.map { Components.dateText($0, page) } ?? "") + " " + meeting.time
                        }
                        " — " + VisitViews.territoryName(meeting.territory, page) + (meeting.address.isEmpty ? "" : ", " + meeting.address)
                    }
                }
            },
            el("h2") { page.t("deputy.visits") },
            model.visits.isEmpty ? el("p") { page.t("deputy.noVisits") } : el("ul", .class("list"), .id("deputy-visits")) {
                for visit in model.visits {
                    el("li") {
                        el("a", .href(SiteURL.visit(.value(visit.id)).path)) { visit.title[page.language] }
                        " — " + VisitViews.dates(visit, page)
                    }
                }
            },
            el("h2") { page.t("deputy.published") },
            model.published.isEmpty ? el("p") { page.t("appeal.none") }
                : AppealViews.table(model.published, today: model.today, bodies: model.bodies, showText: true, page),
        ])
    }
}
