import AimaqCore
import Foundation
import Vapor

/// The register of assignments, filtered and paged.
extension InstructionViews {
    static func register(rows: [RegisterRow], total: Int, filter: RegisterFilter, paging: Paging,
                         sources: [RegisterSnapshot.Source], today: CivilDate, _ page: PageContext) -> Node {
        let tree = page.tree
        let query = filter.query
        return fragment {
            el("h1") { page.t("register.title") }
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.register.path), .class("filters"),
               Attribute("role", "search"), .aria("label", page.t("register.filters"))) {
                el("label") {
                    page.t("register.source")
                    el("select", .name("source")) {
                        Components.option("", page.t("register.any"), selected: filter.source == nil)
                        for source in sources {
                            Components.option(String(source.id), "\(source.date) · \(source.title.prefix(60))", selected: filter.source == source.id)
                        }
                    }
                }
                el("label") {
                    page.t("register.status")
                    el("select", .name("status")) {
                        Components.option("", page.t("register.any"), selected: filter.status == nil)
                        for status in AssignmentStatus.allCases {
                            Components.option(status.rawValue, page.t("status.\(status.rawValue)"), selected: filter.status == status)
                        }
                    }
                }
                el("label") {
                    page.t("register.category")
                    el("select", .name("category")) {
                        Components.option("", page.t("register.any"), selected: filter.category == nil)
                        for category in InstructionCategory.allCases {
                            Components.option(category.rawValue, page.t("category.\(category.rawValue)"), selected: filter.category == category)
                        }
                    }
                }
                el("label") {
                    page.t("register.territoryCode")
                    void("input", .name("territory"), .type("text"), Attribute("inputmode", "numeric"),
                         Attribute("pattern", "[0-9]{9}"), .value(filter.territory?.description ?? ""))
                }
                el("label") {
                    page.t("register.bodyNumber")
                    void("input", .name("body"), .type("number"), .value(filter.body.map(String.init) ?? ""))
                }
                el("label") {
                    page.t("register.dueWithin")
                    void("input", .name("due_within"), .type("number"), Attribute("min", "0"), .value(filter.dueWithin.map(String.init) ?? ""))
                }
                el("label", .class("check")) {
                    Components.checkbox("overdue", value: "true", checked: filter.overdue)
                    page.t("register.overdueOnly")
                }
                el("label", .class("check")) {
                    Components.checkbox("road_map", value: "missing", checked: filter.roadMapMissing)
                    page.t("register.roadMapMissing")
                }
                el("label") {
                    page.t("register.sort")
                    el("select", .name("sort")) {
                        for sort in RegisterFilter.Sort.allCases {
                            Components.option(sort.rawValue, page.t("sort.\(sort == .deadlineDescending ? "deadlineDescending" : sort.rawValue)"), selected: filter.sort == sort)
                        }
                    }
                }
                el("button", .type("submit")) { page.t("register.apply") }
            }
            el("p", .class("meta")) {
                page.t("register.count", ["n": NumberFormat.integer(total, page.language)])
                " · "
                el("a", .href(SiteURL.registerExport.link(SiteQuery([(.format, "csv")] + filter.pairs)))) { "CSV" }
                " · "
                el("a", .href(SiteURL.registerExport.link(SiteQuery([(.format, "json")] + filter.pairs)))) { "JSON" }
            }
            el("table", .class("list register")) {
                el("thead") {
                    el("tr") {
                        Components.th(page.t("register.point"))
                        Components.th(page.t("register.instruction"))
                        Components.th(page.t("register.territory"))
                        Components.th(page.t("register.body"))
                        Components.th(page.t("register.deadline"))
                        Components.th(page.t("register.status"))
                        Components.th(page.t("register.completion"), .class("num"))
                    }
                }
                el("tbody") {
                    for row in rows {
                        el("tr") {
                            el("td") { el("a", .href(SiteURL.assignment(.value(row.id)).path)) { row.point } }
                            el("td") { el("a", .href(SiteURL.instruction(.value(row.instructionID)).path)) { String(row.text.prefix(140)) } }
                            el("td") { territoryName(row.territory, in: tree, page.language) }
                            el("td") { bodyName(row.bodyID, page) }
                            el("td") { row.deadline }
                            el("td") { statusBadge(row.status, deadline: row.deadline, today: today, page) }
                            el("td", .class("num")) { Components.percent(row.completion) }
                        }
                    }
                }
            }
            Components.pager(total: total, paging: paging, page) {
                SiteURL.register.link(query.adding(.page, $0).adding(.per, paging.per))
            }
        }
    }
}
