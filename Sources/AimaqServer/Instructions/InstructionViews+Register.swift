import AimaqCore
import Foundation
import Vapor

/// The register of assignments, filtered and paged.
extension InstructionViews {
    static func register(rows: [RegisterRow], total: Int, filter: RegisterFilter, paging: Paging,
                         sources: [RegisterSnapshot.Source], _ request: Request) -> Node {
        let tree = request.tree
        let today = InstructionController.today(request)
        let query = filter.query
        return fragment {
            el("h1") { request.t("register.title") }
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.register.path), .class("filters"),
               Attribute("role", "search"), .aria("label", request.t("register.filters"))) {
                el("label") {
                    request.t("register.source")
                    el("select", .name("source")) {
                        Components.option("", request.t("register.any"), selected: filter.source == nil)
                        for source in sources {
                            Components.option(String(source.id), "\(source.date) · \(source.title.prefix(60))", selected: filter.source == source.id)
                        }
                    }
                }
                el("label") {
                    request.t("register.status")
                    el("select", .name("status")) {
                        Components.option("", request.t("register.any"), selected: filter.status == nil)
                        for status in AssignmentStatus.allCases {
                            Components.option(status.rawValue, request.t("status.\(status.rawValue)"), selected: filter.status == status)
                        }
                    }
                }
                el("label") {
                    request.t("register.category")
                    el("select", .name("category")) {
                        Components.option("", request.t("register.any"), selected: filter.category == nil)
                        for category in InstructionCategory.allCases {
                            Components.option(category.rawValue, request.t("category.\(category.rawValue)"), selected: filter.category == category)
                        }
                    }
                }
                el("label") {
                    request.t("register.territoryCode")
                    void("input", .name("territory"), .type("text"), Attribute("inputmode", "numeric"),
                         Attribute("pattern", "[0-9]{9}"), .value(filter.territory?.description ?? ""))
                }
                el("label") {
                    request.t("register.bodyNumber")
                    void("input", .name("body"), .type("number"), .value(filter.body.map(String.init) ?? ""))
                }
                el("label") {
                    request.t("register.dueWithin")
                    void("input", .name("due_within"), .type("number"), Attribute("min", "0"), .value(filter.dueWithin.map(String.init) ?? ""))
                }
                el("label", .class("check")) {
                    if filter.overdue {
                        void("input", .name("overdue"), .type("checkbox"), .value("true"), .flag("checked"))
                    } else {
                        void("input", .name("overdue"), .type("checkbox"), .value("true"))
                    }
                    request.t("register.overdueOnly")
                }
                el("label") {
                    request.t("register.sort")
                    el("select", .name("sort")) {
                        for sort in RegisterFilter.Sort.allCases {
                            Components.option(sort.rawValue, request.t("sort.\(sort == .deadlineDescending ? "deadlineDescending" : sort.rawValue)"), selected: filter.sort == sort)
                        }
                    }
                }
                el("button", .type("submit")) { request.t("register.apply") }
            }
            el("p", .class("meta")) {
                request.t("register.count", ["n": NumberFormat.integer(total, request.language)])
                " · "
                el("a", .href(SiteURL.registerExport.link(SiteQuery([(.format, "csv")] + filter.pairs)))) { "CSV" }
                " · "
                el("a", .href(SiteURL.registerExport.link(SiteQuery([(.format, "json")] + filter.pairs)))) { "JSON" }
            }
            el("table", .class("list register")) {
                el("thead") {
                    el("tr") {
                        Components.th(request.t("register.point"))
                        Components.th(request.t("register.instruction"))
                        Components.th(request.t("register.territory"))
                        Components.th(request.t("register.body"))
                        Components.th(request.t("register.deadline"))
                        Components.th(request.t("register.status"))
                        Components.th(request.t("register.completion"), .class("num"))
                    }
                }
                el("tbody") {
                    for row in rows {
                        el("tr") {
                            el("td") { el("a", .href(SiteURL.assignment(.value(row.id)).path)) { row.point } }
                            el("td") { el("a", .href(SiteURL.instruction(.value(row.instructionID)).path)) { String(row.text.prefix(140)) } }
                            el("td") { territoryName(row.territory, in: tree, request.language) }
                            el("td") { bodyName(row.bodyID, request) }
                            el("td") { row.deadline }
                            el("td") { statusBadge(row.status, deadline: row.deadline, today: today, request) }
                            el("td", .class("num")) { Components.percent(row.completion) }
                        }
                    }
                }
            }
            Components.pager(total: total, paging: paging, request) {
                SiteURL.register.link(query.adding(.page, $0).adding(.per, paging.per))
            }
        }
    }
}
