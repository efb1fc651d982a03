import AimaqCore
import Vapor

/// The national overview of local budgets, the equalisation view and their charts.
extension BudgetViews {
    static func overview(year: Int, indicator: Indicator, standard: Int64?, current: BudgetYear, previous: BudgetYear?,
                         _ page: PageContext) -> Node {
        let tree = page.tree
        let language = page.language
        let regions = tree.regions
        let figures = Dictionary(uniqueKeysWithValues: regions.map { ($0.code, current.consolidated($0.code, tree: tree)) })
        let before = previous.map { year in Dictionary(uniqueKeysWithValues: regions.map { ($0.code, year.consolidated($0.code, tree: tree)) }) }
        var values: [KATOCode: Double] = [:]
        for region in regions {
            if let figure = figures[region.code], figure.total > 0,
               let value = indicator.value(figure, previous: before?[region.code]) { values[region.code] = value }
        }
        let sorted = values.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.value < $1.key.value }
        let low = values.values.min() ?? 0, high = values.values.max() ?? 1
        func bucket(_ value: Double) -> Int {
            guard high > low else { return 2 }
            let position = (value - low) / (high - low)
            return min(4, Int((indicator.higherIsBetter ? position : 1 - position) * 5))
        }
        var byLevel: [BudgetLevel: BudgetFigures] = [:]
        for (id, budget) in current.budgets {
            guard let code = try? KATOCode(number: id) else { continue }
            let level = BudgetLevel(territory: code.level)
            var sum = byLevel[level] ?? BudgetFigures()
            sum.tax += budget.tax; sum.nonTax += budget.nonTax; sum.saleOfCapital += budget.saleOfCapital
            sum.transfers += budget.transfers; sum.plan += budget.plan; sum.executed += budget.executed
            byLevel[level] = sum
        }
        let donors = current.transfers.filter { $0.kind == .withdrawal && $0.to == nil }.sorted { $0.amount > $1.amount }
        let receivers = current.transfers.filter { $0.kind == .subvention && $0.from == nil }.sorted { $0.amount > $1.amount }
        func name(_ id: Int?) -> String {
            id.flatMap { try? KATOCode(number: $0) }.flatMap { tree[$0]?.name[language] } ?? page.t("budget.republic")
        }
        return fragment {
            el("h1") { page.t("budget.title") + " · \(year)" }
            el("p", .class("lead")) { page.t("budget.lead") }
            demoNote(current.isDemo, page)
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.budget.path), .class("filters")) {
                el("label") {
                    page.t("budget.year")
                    void("input", .name("year"), .type("number"), .value(String(year)), Attribute("min", "2000"), Attribute("max", "2100"))
                }
                el("label") {
                    page.t("budget.indicator")
                    el("select", .name("indicator")) {
                        for choice in Indicator.allCases {
                            Components.option(choice.rawValue, page.t("budget.ind.\(choice.rawValue)"), selected: choice == indicator)
                        }
                    }
                }
                el("button", .type("submit")) { page.t("register.apply") }
            }
            if current.isEmpty {
                el("p") { page.t("budget.noData") }
            } else {
                el("h2") { page.t("budget.map") + ": " + page.t("budget.ind.\(indicator.rawValue)") }
                TileMap.svg(regions: regions, language: language, title: page.t("budget.ind.\(indicator.rawValue)"),
                            link: { SiteURL.territory(.value($0)).path },
                            shade: { region in
                                guard let value = values[region.code] else { return TileMap.Shade(cssClass: "tile tile-none", caption: "—") }
                                return TileMap.Shade(cssClass: "tile tile-q\(bucket(value))",
                                                     caption: indicator.format(value, language, page))
                            })
                el("h2", .id("ranking-heading")) { page.t("budget.ranking") }
                barChart(sorted.map { (tree[$0.key]?.name[language] ?? $0.key.description, $0.value,
                                       indicator.format($0.value, language, page)) },
                         labelledBy: "ranking-heading")
                el("h2") { page.t("budget.byLevel") }
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            Components.th(page.t("budget.level")); Components.th(page.t("budget.own"), .class("num"))
                            Components.th(page.t("budget.transfers"), .class("num"))
                            Components.th(page.t("budget.total"), .class("num"))
                            Components.th(page.t("budget.ind.execution"), .class("num"))
                        }
                    }
                    el("tbody") {
                        for level in [BudgetLevel.regional, .district, .local] {
                            let sum = byLevel[level] ?? BudgetFigures()
                            el("tr") {
                                el("td") { page.t("budget.level.\(level.rawValue)") }
                                el("td", .class("num")) { money(sum.own, page) }
                                el("td", .class("num")) { money(sum.transfers, page) }
                                el("td", .class("num")) { money(sum.total, page) }
                                el("td", .class("num")) { percentOrDash(sum.execution) }
                            }
                        }
                    }
                }
                el("div", .class("columns")) {
                    el("section", .aria("labelledby", "donors-heading")) {
                        el("h2", .id("donors-heading")) { page.t("budget.donors") }
                        el("ul") { for t in donors { el("li") { name(t.from) + " — " + money(t.amount, page) } } }
                    }
                    el("section", .aria("labelledby", "receivers-heading")) {
                        el("h2", .id("receivers-heading")) { page.t("budget.receivers") }
                        el("ul") { for t in receivers { el("li") { name(t.to) + " — " + money(t.amount, page) } } }
                    }
                }
                equalisation(year: year, indicator: indicator, standard: standard, regions: regions, figures: figures, page)
                el("p") { el("a", .href(SiteURL.budgetWhatIf.link((.year, String(year))))) { page.t("whatIf.title") } }
            }
        }
    }

    /// What each region below a standard of own revenue per person would need to reach it.
    static func equalisation(year: Int, indicator: Indicator, standard: Int64?, regions: [Territory],
                             figures: [KATOCode: BudgetFigures], _ page: PageContext) -> Node {
        let language = page.language
        let people = regions.reduce(0) { $0 + ($1.population ?? 0) }
        let own = regions.reduce(Int64(0)) { $0 + (figures[$1.code]?.own ?? 0) }
        let average = people > 0 ? own / Int64(people) : 0
        let chosen = standard ?? max(1, average / 1_000 * 1_000)
        let (needs, total) = Equalisation.needs(standard: chosen, territories: regions.map {
            (territory: $0.code.value, own: figures[$0.code]?.own ?? 0, population: $0.population ?? 0)
        })
        return el("section", .aria("labelledby", "equalisation-heading"), .id("equalisation")) {
            el("h2", .id("equalisation-heading")) { page.t("budget.equalisation") }
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.budget.path), .class("filters")) {
                void("input", .type("hidden"), .name("year"), .value(String(year)))
                void("input", .type("hidden"), .name("indicator"), .value(indicator.rawValue))
                el("label") {
                    page.t("budget.standard")
                    void("input", .name("standard"), .type("number"), .value(String(chosen)), Attribute("min", "1"))
                }
                el("button", .type("submit")) { page.t("register.apply") }
            }
            el("p") { page.t("budget.average", ["amount": NumberFormat.integer(Int(average), language) + " ₸"]) }
            el("table", .class("list")) {
                el("thead") {
                    el("tr") {
                        Components.th(page.t("register.territory"))
                        Components.th(page.t("budget.ind.own_per_person"), .class("num"))
                        Components.th(page.t("budget.need"), .class("num"))
                    }
                }
                el("tbody") {
                    for need in needs where need.amount > 0 {
                        let code = try? KATOCode(number: need.territory)
                        el("tr") {
                            el("td") { code.flatMap { page.tree[$0]?.name[language] } ?? String(need.territory) }
                            el("td", .class("num")) {
                                code.flatMap { figures[$0]?.ownPerPerson }.map { NumberFormat.integer(Int($0), language) + " ₸" } ?? "—"
                            }
                            el("td", .class("num")) { money(need.amount, page) }
                        }
                    }
                    el("tr") {
                        el("th") { page.t("budget.needTotal") }
                        el("td") { "" }
                        el("td", .class("num"), .id("equalisation-total")) { NumberFormat.integer(Int(total), language) + " ₸" }
                    }
                }
            }
        }
    }

    /// A horizontal bar chart in SVG, with the figures written out for screen readers.
    static func barChart(_ bars: [(label: String, value: Double, text: String)], labelledBy: String) -> Node {
        let top = bars.map { abs($0.value) }.max() ?? 1
        let rowHeight = 22, labelWidth = 230, barWidth = 380
        return el("svg", attributes: [Attribute("viewBox", "0 0 \(labelWidth + barWidth + 120) \(bars.count * rowHeight + 4)"),
                                      .class("bar-chart"), Attribute("role", "img"), .aria("labelledby", labelledBy)]) {
            for (index, bar) in bars.enumerated() {
                let y = index * rowHeight
                let width = top > 0 ? Int((abs(bar.value) / top * Double(barWidth)).rounded()) : 0
                el("text", Attribute("x", String(labelWidth - 6)), Attribute("y", String(y + 15)), Attribute("text-anchor", "end")) { bar.label }
                el("rect", Attribute("x", String(labelWidth)), Attribute("y", String(y + 3)), Attribute("width", String(max(width, 1))),
                   Attribute("height", String(rowHeight - 6)), .class("bar")) { el("title") { "\(bar.label): \(bar.text)" } }
                el("text", Attribute("x", String(labelWidth + width + 6)), Attribute("y", String(y + 15))) { bar.text }
            }
        }
    }

    /// Plan against execution month by month, as paired columns in SVG.
    static func monthChart(_ months: [BudgetYear.Amounts], title: String, id: String, _ page: PageContext) -> Node {
        let top = months.map { max($0.plan, $0.executed) }.max() ?? 1
        let height = 140, column = 40
        return el("svg", attributes: [Attribute("viewBox", "0 0 \(12 * column + 10) \(height + 24)"), .class("month-chart"),
                                      Attribute("role", "img"), .aria("labelledby", id)]) {
            el("title", .id(id)) { title }
            for (index, amounts) in months.enumerated() {
                let x = index * column + 6
                let planHeight = top > 0 ? Int(Double(amounts.plan) / Double(top) * Double(height)) : 0
                let doneHeight = top > 0 ? Int(Double(amounts.executed) / Double(top) * Double(height)) : 0
                el("rect", Attribute("x", String(x)), Attribute("y", String(height - planHeight)), Attribute("width", "15"),
                   Attribute("height", String(planHeight)), .class("plan")) {
                    el("title") { "\(index + 1): \(page.t("budget.plan")) \(money(amounts.plan, page))" }
                }
                el("rect", Attribute("x", String(x + 16)), Attribute("y", String(height - doneHeight)), Attribute("width", "15"),
                   Attribute("height", String(doneHeight)), .class("done")) {
                    el("title") { "\(index + 1): \(page.t("budget.executed")) \(money(amounts.executed, page))" }
                }
                el("text", Attribute("x", String(x + 15)), Attribute("y", String(height + 16)), Attribute("text-anchor", "middle")) { String(index + 1) }
            }
        }
    }
}
