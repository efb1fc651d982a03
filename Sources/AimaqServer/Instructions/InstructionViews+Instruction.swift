import AimaqCore
import Foundation
import Vapor

/// An instruction's page: its facts, assignments and history.
extension InstructionViews {
    static func instruction(_ detail: InstructionQueries.InstructionDetail, today: CivilDate, _ page: PageContext) -> Node {
        let i = detail.instruction
        let tree = page.tree
        let items = detail.assignments.compactMap { a -> (territory: KATOCode, item: Completion.Weighted)? in
            guard let code = try? KATOCode(number: a.territory), let completion = a.completion else { return nil }
            return (code, Completion.Weighted(completion: completion, weight: a.weight))
        }
        let rolled = Completion.rollUp(byTerritory: items, tree: tree)
        let overall = Completion.rollUp(items.map(\.item))
        return fragment {
            el("h1") { "\(i.point). \(i.text)" }
            el("ul", .class("facts")) {
                fact(page.t("instruction.source"), "\(page.t("source.\(detail.source.kind)")) · \(detail.source.date) · \(detail.source.title)")
                fact(page.t("register.category"), page.t("category.\(i.category)"))
                fact(page.t("instruction.lead"), bodyName(i.leadBodyID, page))
                if let co = i.coExecutors, !co.isEmpty { fact(page.t("instruction.coExecutors"), co) }
                fact(page.t("register.deadline"), i.deadline)
                fact(page.t("instruction.period"), page.t("period.\(i.period)"))
                if let form = i.completionForm { fact(page.t("instruction.form"), form) }
                fact(page.t("register.completion"), Components.percent(overall))
            }
            if !detail.indicators.isEmpty {
                el("h2") { page.t("instruction.indicators") }
                el("ul") {
                    for indicator in detail.indicators {
                        el("li") { "\(indicator.name): \(NumberFormat.decimal(indicator.target, page.language)) \(indicator.unit)" }
                    }
                }
            }
            el("h2") { page.t("instruction.map") }
            TileMap.svg(regions: tree.regions, language: page.language, title: page.t("instruction.map"),
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
            el("h2") { page.t("instruction.assignments") + " (\(detail.assignments.count))" }
            el("table", .class("list")) {
                el("thead") {
                    el("tr") {
                        Components.th(page.t("register.territory")); Components.th(page.t("register.body")); Components.th(page.t("register.deadline"))
                        Components.th(page.t("register.status")); Components.th(page.t("register.completion"), .class("num"))
                    }
                }
                el("tbody") {
                    for a in detail.assignments {
                        el("tr") {
                            el("td") { el("a", .href(SiteURL.assignment(.value(a.id)).path)) { territoryName(a.territory, in: tree, page.language) } }
                            el("td") { bodyName(a.bodyID, page) }
                            el("td") { a.deadline.description }
                            el("td") { statusBadge(a.status, overdue: a.isOverdue(today: today), page) }
                            el("td", .class("num")) { Components.percent(a.completion) }
                        }
                    }
                }
            }
            el("h2") { page.t("instruction.history") }
            history(detail.history, page)
        }
    }

    static func fact(_ label: String, _ value: String) -> Node {
        el("li") { el("span", .class("label")) { label }; el("span", .class("value")) { value } }
    }

    static func history(_ events: [HistoryEntry], _ page: PageContext) -> Node {
        if events.isEmpty { return el("p") { page.t("instruction.noHistory") } }
        return el("table", .class("list history")) {
            el("thead") {
                el("tr") {
                    Components.th(page.t("history.when")); Components.th(page.t("history.who")); Components.th(page.t("history.event"))
                    Components.th(page.t("history.status")); Components.th(page.t("history.reason"))
                }
            }
            el("tbody") {
                for event in events {
                    el("tr") {
                        el("td") { Components.time(event.at, page) }
                        el("td") { Components.person(event.actor, role: event.actorRole, page) }
                        el("td") { page.t("event.\(event.event)") + (event.deadline.map { " → \($0)" } ?? "") }
                        el("td") {
                            (event.fromStatus.map { page.t("status.\($0)") + " → " } ?? "") + page.t("status.\(event.toStatus)")
                        }
                        el("td") { event.reason ?? "" }
                    }
                }
            }
        }
    }
}
