import AimaqCore
import Foundation
import Vapor

/// An instruction's page: its facts, assignments and history.
extension InstructionViews {
    static func instruction(_ detail: InstructionQueries.InstructionDetail, today: CivilDate, _ request: Request) -> Node {
        let i = detail.instruction
        let tree = request.tree
        let items = detail.assignments.compactMap { a -> (territory: KATOCode, item: Completion.Weighted)? in
            guard let code = try? KATOCode(number: a.territory), let completion = a.completion else { return nil }
            return (code, Completion.Weighted(completion: completion, weight: a.weight))
        }
        let rolled = Completion.rollUp(byTerritory: items, tree: tree)
        let overall = Completion.rollUp(items.map(\.item))
        return fragment {
            el("h1") { "\(i.point). \(i.text)" }
            el("ul", .class("facts")) {
                fact(request.t("instruction.source"), "\(request.t("source.\(detail.source.kind)")) · \(detail.source.date) · \(detail.source.title)")
                fact(request.t("register.category"), request.t("category.\(i.category)"))
                fact(request.t("instruction.lead"), bodyName(i.leadBodyID, request))
                if let co = i.coExecutors, !co.isEmpty { fact(request.t("instruction.coExecutors"), co) }
                fact(request.t("register.deadline"), i.deadline)
                fact(request.t("instruction.period"), request.t("period.\(i.period)"))
                if let form = i.completionForm { fact(request.t("instruction.form"), form) }
                fact(request.t("register.completion"), Components.percent(overall))
            }
            if !detail.indicators.isEmpty {
                el("h2") { request.t("instruction.indicators") }
                el("ul") {
                    for indicator in detail.indicators {
                        el("li") { "\(indicator.name): \(NumberFormat.decimal(indicator.target, request.language)) \(indicator.unit)" }
                    }
                }
            }
            el("h2") { request.t("instruction.map") }
            TileMap.svg(regions: tree.regions, language: request.language, title: request.t("instruction.map"),
                        link: { SiteURL.register.link((.instruction, String(i.id ?? 0)), (.territory, $0.description)) },
                        shade: { region in
                            guard let figure = rolled[region.code] else { return TileMap.Shade(cssClass: "tile tile-none", caption: "—") }
                            let bucket = min(4, Int(figure.completion * 5))
                            return TileMap.Shade(cssClass: "tile tile-q\(bucket)", caption: Components.percent(figure.completion))
                        })
            el("p", .class("legend")) {
                for bucket in 0..<5 {
                    el("span", .class("swatch tile-q\(bucket)")) { "" }
                    " \(bucket * 20)–\(bucket * 20 + 20)%  "
                }
            }
            el("h2") { request.t("instruction.assignments") + " (\(detail.assignments.count))" }
            el("table", .class("list")) {
                el("thead") {
                    el("tr") {
                        Components.th(request.t("register.territory")); Components.th(request.t("register.body")); Components.th(request.t("register.deadline"))
                        Components.th(request.t("register.status")); Components.th(request.t("register.completion"), .class("num"))
                    }
                }
                el("tbody") {
                    for a in detail.assignments {
                        el("tr") {
                            el("td") { el("a", .href(SiteURL.assignment(.value(a.id)).path)) { territoryName(a.territory, in: tree, request.language) } }
                            el("td") { bodyName(a.bodyID, request) }
                            el("td") { a.deadline.description }
                            el("td") { statusBadge(a.status, overdue: a.isOverdue(today: today), request) }
                            el("td", .class("num")) { Components.percent(a.completion) }
                        }
                    }
                }
            }
            el("h2") { request.t("instruction.history") }
            history(detail.history, request)
        }
    }

    static func fact(_ label: String, _ value: String) -> Node {
        el("li") { el("span", .class("label")) { label }; el("span", .class("value")) { value } }
    }

    static func history(_ events: [HistoryEntry], _ request: Request) -> Node {
        if events.isEmpty { return el("p") { request.t("instruction.noHistory") } }
        return el("table", .class("list history")) {
            el("thead") {
                el("tr") {
                    Components.th(request.t("history.when")); Components.th(request.t("history.who")); Components.th(request.t("history.event"))
                    Components.th(request.t("history.status")); Components.th(request.t("history.reason"))
                }
            }
            el("tbody") {
                for event in events {
                    el("tr") {
                        el("td") { Components.time(event.at, request) }
                        el("td") { Components.person(event.actor, role: event.actorRole, request) }
                        el("td") { request.t("event.\(event.event)") + (event.deadline.map { " → \($0)" } ?? "") }
                        el("td") {
                            (event.fromStatus.map { request.t("status.\($0)") + " → " } ?? "") + request.t("status.\(event.toStatus)")
                        }
                        el("td") { event.reason ?? "" }
                    }
                }
            }
        }
    }
}
