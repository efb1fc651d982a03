import AimaqCore
import Vapor

/// A territory's budget, as the section of its page.
extension BudgetViews {
    static func section(_ code: KATOCode, year: BudgetYear, previous: BudgetYear, before: BudgetYear,
                        months: [String: [BudgetYear.Amounts]], classification: BudgetClassification,
                        _ page: PageContext) -> Node {
        let tree = page.tree
        let language = page.language
        let indicators = BudgetReports.indicators(code, year: year, previous: previous.isEmpty ? nil : previous,
                                                  tree: tree, language: language)
        let trend = [before, previous, year].filter { !$0.isEmpty }.map { ($0.year, $0.consolidated(code, tree: tree)) }
        let revenue = (year.revenue[code.value] ?? [:]).sorted { $0.key < $1.key }
        let spending = (year.expenditure[code.value] ?? [:]).sorted { $0.key < $1.key }
        let transfers = year.transfers.filter { $0.from == code.value || $0.to == code.value }
        func name(_ id: Int?) -> String {
            id.flatMap { try? KATOCode(number: $0) }.flatMap { tree[$0]?.name[language] } ?? page.t("budget.republic")
        }
        return el("section", .aria("labelledby", "budget-heading"), .id("budget")) {
            el("h2", .id("budget-heading")) { page.t("budget.section") + " · \(year.year)" }
            demoNote(year.isDemo, page)
            el("ul", .class("figures")) {
                el("li") { el("span", .class("label")) { page.t("budget.total") }; el("span", .class("value")) { money(indicators.totalRevenue, page) } }
                el("li") { el("span", .class("label")) { page.t("budget.own") }; el("span", .class("value")) { money(indicators.ownRevenue, page) } }
                el("li") { el("span", .class("label")) { page.t("budget.ind.dependence") }; el("span", .class("value")) { percentOrDash(indicators.transferDependence) } }
                el("li") { el("span", .class("label")) { page.t("budget.ind.execution") }; el("span", .class("value")) { percentOrDash(indicators.execution) } }
                el("li") { el("span", .class("label")) { page.t("budget.ind.change") }; el("span", .class("value")) { percentOrDash(indicators.changeOnYearBefore) } }
                if let share = indicators.shareHeldBelow {
                    el("li") { el("span", .class("label")) { page.t("budget.shareBelow") }; el("span", .class("value")) { percentOrDash(share) } }
                }
                if let perPerson = indicators.ownRevenuePerPerson {
                    el("li") { el("span", .class("label")) { page.t("budget.ind.own_per_person") }; el("span", .class("value")) { NumberFormat.integer(Int(perPerson), language) + " ₸" } }
                }
                if let rank = indicators.rank {
                    el("li") { el("span", .class("label")) { page.t("budget.rank") }; el("span", .class("value")) { "\(rank) / \(indicators.peers)" } }
                }
            }
            if trend.count > 1 {
                el("h3") { page.t("budget.trend") }
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            Components.th(page.t("budget.year")); Components.th(page.t("budget.own"), .class("num"))
                            Components.th(page.t("budget.transfers"), .class("num"))
                            Components.th(page.t("budget.ind.dependence"), .class("num"))
                        }
                    }
                    el("tbody") {
                        for (year, figures) in trend {
                            el("tr") {
                                el("td") { String(year) }
                                el("td", .class("num")) { money(figures.own, page) }
                                el("td", .class("num")) { money(figures.transfers, page) }
                                el("td", .class("num")) { percentOrDash(figures.transferDependence) }
                            }
                        }
                    }
                }
            }
            if let revenueMonths = months["revenue"] {
                el("h3") { page.t("budget.monthly") }
                monthChart(revenueMonths, title: page.t("budget.monthlyRevenue"), id: "months-revenue", page)
                el("p", .class("legend")) {
                    el("span", .class("swatch plan")) { "" }; " " + page.t("budget.plan") + "  "
                    el("span", .class("swatch done")) { "" }; " " + page.t("budget.executed")
                }
            }
            if !revenue.isEmpty {
                el("h3") { page.t("budget.structure") }
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            Components.th(page.t("budget.code")); Components.th(page.t("budget.plan"), .class("num"))
                            Components.th(page.t("budget.executed"), .class("num"))
                        }
                    }
                    el("tbody") {
                        for (revenueCode, amounts) in revenue {
                            el("tr") {
                                el("td") { "\(revenueCode) " + (classification.revenue[revenueCode]?.name[language] ?? "") }
                                el("td", .class("num")) { money(amounts.plan, page) }
                                el("td", .class("num")) { money(amounts.executed, page) }
                            }
                        }
                        for (function, amounts) in spending {
                            el("tr", .class("spending")) {
                                el("td") { "\(page.t("budget.function")) \(function) " + (classification.functions[function]?[language] ?? "") }
                                el("td", .class("num")) { money(amounts.plan, page) }
                                el("td", .class("num")) { money(amounts.executed, page) }
                            }
                        }
                    }
                }
            }
            if !transfers.isEmpty {
                el("h3") { page.t("budget.transfers") }
                el("ul") {
                    for transfer in transfers {
                        el("li") {
                            page.t("transfer.\(transfer.kind.rawValue)") + ": " + name(transfer.from) + " → " + name(transfer.to)
                                + " — " + money(transfer.amount, page)
                        }
                    }
                }
            }
            el("p") {
                el("a", .href(SiteURL.budget.link((.year, String(year.year))))) { page.t("budget.title") }
                " · "
                el("a", .href(SiteURL.api(.budgetIndicators).link((.territory, code.description), (.year, String(year.year))))) { "API" }
            }
        }
    }
}
