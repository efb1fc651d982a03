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
                fact(page.t("instruction.source"), "\(page.t("source.\(i.sourceKind)")) · \(i.sourceDate) · \(i.sourceTitle)")
                fact(page.t("register.category"), page.t("category.\(i.category)"))
                fact(page.t("instruction.lead"), bodyName(i.leadBodyID, page))
                if let co = i.coExecutors, !co.isEmpty { fact(page.t("instruction.coExecutors"), co) }
                fact(page.t("register.deadline"), i.deadline)
                fact(page.t("instruction.period"), page.t("period.\(i.period)"))
                if let form = i.completionForm { fact(page.t("instruction.form"), form) }
                fact(page.t("register.completion"), Components.percent(overall))
            }
            if !i.indicators.isEmpty {
                el("h2") { page.t("instruction.indicators") }
                el("ul") {
                    for indicator in i.indicators {
                        el("li") { "\(indicator.name): \(NumberFormat.decimal(indicator.target, page.language)) \(indicator.unit)" }
                    }
                }
            }
            el("h2") { page.t("instruction.map") }
            TileMap.svg(regions: tree.regions, language: page.language, title: page.t("instruction.map"),
                        link: { SiteURL.register.link((.instruction, String(i.id)), (.territory, $0.description)) },
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
                el("tbody") { assignmentRows(detail.assignments, today: today, page) }
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
            el("tbody") { historyRows(events, page) }
        }
    }

    /// The history's rows, written straight into bytes like ``assignmentRows(_:today:_:)``.
    static func historyRows(_ events: [HistoryEntry], _ page: PageContext) -> Node {
        var rows = MarkupWriter(capacity: events.count * 240)
        for event in events {
            rows.open("tr")
            rows.open("td"); rows.node(Components.time(event.at, page)); rows.close("td")
            rows.element("td", Components.person(event.actor, role: event.actorRole, page))
            rows.element("td", page.t("event.\(event.event)") + (event.deadline.map { " → \($0)" } ?? ""))
            rows.element("td", (event.fromStatus.map { page.t("status.\($0)") + " → " } ?? "")
                               + page.t("status.\(event.toStatus)"))
            rows.element("td", event.reason ?? "")
            rows.close("tr")
        }
        return rows.finish()
    }

    /// The rows of an instruction's assignments, written straight into bytes: a national
    /// instruction has hundreds, and a node per cell cost more than the rest of the page.
    static func assignmentRows(_ assignments: [AssignmentIndex.Entry], today: CivilDate, _ page: PageContext) -> Node {
        var rows = MarkupWriter(capacity: assignments.count * 320)
        // A status badge depends only on the status and whether it is overdue: made once each.
        var badges: [Int: Prerendered] = [:]
        for a in assignments {
            let overdue = a.isOverdue(today: today)
            let badgeKey = (AssignmentStatus.allCases.firstIndex(of: a.status) ?? 0) * 2 + (overdue ? 1 : 0)
            let badge = badges[badgeKey] ?? Prerendered(statusBadge(a.status, overdue: overdue, page))
            badges[badgeKey] = badge
            rows.open("tr")
            rows.open("td")
            rows.open("a", "href", SiteURL.assignment(.value(a.id)).path)
            rows.text(territoryName(a.territory, in: page.tree, page.language))
            rows.close("a")
            rows.close("td")
            rows.element("td", bodyName(a.bodyID, page))
            rows.element("td", a.deadline.description)
            rows.open("td"); rows.prerendered(badge); rows.close("td")
            rows.open("td", "class", "num"); rows.text(Components.percent(a.completion)); rows.close("td")
            rows.close("tr")
        }
        return rows.finish()
    }
}
