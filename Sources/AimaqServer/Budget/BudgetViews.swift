import AimaqCore
import Vapor

enum BudgetViews {
    /// What the national map and ranking show.
    enum Indicator: String, CaseIterable, Sendable {
        case dependence, ownPerPerson = "own_per_person", execution, own, total, change

        /// For shading: whether a larger value is better.
        var higherIsBetter: Bool { self != .dependence }

        func value(_ figures: BudgetFigures, previous: BudgetFigures?) -> Double? {
            switch self {
            case .dependence: figures.transferDependence
            case .ownPerPerson: figures.ownPerPerson
            case .execution: figures.execution
            case .own: figures.own > 0 ? Double(figures.own) : nil
            case .total: figures.total > 0 ? Double(figures.total) : nil
            case .change: previous.flatMap { BudgetIndicators.change(from: $0.total, to: figures.total) }
            }
        }

        func format(_ value: Double, _ language: Language, _ request: Request) -> String {
            switch self {
            case .dependence, .execution, .change: Components.percent(value)
            case .ownPerPerson: NumberFormat.integer(Int(value.rounded()), language) + " ₸"
            case .own, .total: money(Int64(value), request)
            }
        }
    }

    /// Tenge in billions, millions or units, as each language writes them.
    static func money(_ amount: Int64, _ request: Request) -> String {
        MoneyFormat.text(amount, request.language, billions: " " + request.t("budget.bn"), millions: " " + request.t("budget.mn"))
    }

    /// Amounts in billions, millions or tenge, with the units looked up once for a table.
    struct MoneyFormat {
        let language: Language
        let billions: String
        let millions: String

        init(_ request: Request) {
            language = request.language
            billions = " " + request.t("budget.bn")
            millions = " " + request.t("budget.mn")
        }

        func text(_ amount: Int64) -> String {
            Self.text(amount, language, billions: billions, millions: millions)
        }

        /// The units are asked for only when the amount needs one.
        static func text(_ amount: Int64, _ language: Language, billions: @autoclosure () -> String,
                         millions: @autoclosure () -> String) -> String {
            let value = Double(amount)
            if abs(value) >= 1e9 { return NumberFormat.decimal((value / 1e8).rounded() / 10, language) + billions() }
            if abs(value) >= 1e6 { return NumberFormat.decimal((value / 1e5).rounded() / 10, language) + millions() }
            return NumberFormat.integer(Int(amount), language) + " ₸"
        }
    }

    static func percentOrDash(_ value: Double?) -> String { Components.percent(value) }

    static func demoNote(_ isDemo: Bool, _ request: Request) -> Node {
        isDemo ? el("p", .class("demo-note"), Attribute("role", "note")) { request.t("budget.demo") } : fragment {}
    }

    // MARK: National overview

    static func overview(year: Int, indicator: Indicator, standard: Int64?, current: BudgetYear, previous: BudgetYear?,
                         _ request: Request) -> Node {
        let tree = request.tree
        let language = request.language
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
            id.flatMap { try? KATOCode(number: $0) }.flatMap { tree[$0]?.name[language] } ?? request.t("budget.republic")
        }
        return fragment {
            el("h1") { request.t("budget.title") + " · \(year)" }
            el("p", .class("lead")) { request.t("budget.lead") }
            demoNote(current.isDemo, request)
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.budget.path), .class("filters")) {
                el("label") {
                    request.t("budget.year")
                    void("input", .name("year"), .type("number"), .value(String(year)), Attribute("min", "2000"), Attribute("max", "2100"))
                }
                el("label") {
                    request.t("budget.indicator")
                    el("select", .name("indicator")) {
                        for choice in Indicator.allCases {
                            Components.option(choice.rawValue, request.t("budget.ind.\(choice.rawValue)"), selected: choice == indicator)
                        }
                    }
                }
                el("button", .type("submit")) { request.t("register.apply") }
            }
            if current.isEmpty {
                el("p") { request.t("budget.noData") }
            } else {
                el("h2") { request.t("budget.map") + ": " + request.t("budget.ind.\(indicator.rawValue)") }
                TileMap.svg(regions: regions, language: language, title: request.t("budget.ind.\(indicator.rawValue)"),
                            link: { SiteURL.territory(.value($0)).path },
                            shade: { region in
                                guard let value = values[region.code] else { return TileMap.Shade(cssClass: "tile tile-none", caption: "—") }
                                return TileMap.Shade(cssClass: "tile tile-q\(bucket(value))",
                                                     caption: indicator.format(value, language, request))
                            })
                el("h2", .id("ranking-heading")) { request.t("budget.ranking") }
                barChart(sorted.map { (tree[$0.key]?.name[language] ?? $0.key.description, $0.value,
                                       indicator.format($0.value, language, request)) },
                         labelledBy: "ranking-heading")
                el("h2") { request.t("budget.byLevel") }
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            Components.th(request.t("budget.level")); Components.th(request.t("budget.own"), .class("num"))
                            Components.th(request.t("budget.transfers"), .class("num"))
                            Components.th(request.t("budget.total"), .class("num"))
                            Components.th(request.t("budget.ind.execution"), .class("num"))
                        }
                    }
                    el("tbody") {
                        for level in [BudgetLevel.regional, .district, .local] {
                            let sum = byLevel[level] ?? BudgetFigures()
                            el("tr") {
                                el("td") { request.t("budget.level.\(level.rawValue)") }
                                el("td", .class("num")) { money(sum.own, request) }
                                el("td", .class("num")) { money(sum.transfers, request) }
                                el("td", .class("num")) { money(sum.total, request) }
                                el("td", .class("num")) { percentOrDash(sum.execution) }
                            }
                        }
                    }
                }
                el("div", .class("columns")) {
                    el("section", .aria("labelledby", "donors-heading")) {
                        el("h2", .id("donors-heading")) { request.t("budget.donors") }
                        el("ul") { for t in donors { el("li") { name(t.from) + " — " + money(t.amount, request) } } }
                    }
                    el("section", .aria("labelledby", "receivers-heading")) {
                        el("h2", .id("receivers-heading")) { request.t("budget.receivers") }
                        el("ul") { for t in receivers { el("li") { name(t.to) + " — " + money(t.amount, request) } } }
                    }
                }
                equalisation(year: year, indicator: indicator, standard: standard, regions: regions, figures: figures, request)
                el("p") { el("a", .href(SiteURL.budgetWhatIf.link((.year, String(year))))) { request.t("whatIf.title") } }
            }
        }
    }

    /// What each region below a standard of own revenue per person would need to reach it.
    static func equalisation(year: Int, indicator: Indicator, standard: Int64?, regions: [Territory],
                             figures: [KATOCode: BudgetFigures], _ request: Request) -> Node {
        let language = request.language
        let people = regions.reduce(0) { $0 + ($1.population ?? 0) }
        let own = regions.reduce(Int64(0)) { $0 + (figures[$1.code]?.own ?? 0) }
        let average = people > 0 ? own / Int64(people) : 0
        let chosen = standard ?? max(1, average / 1_000 * 1_000)
        let (needs, total) = Equalisation.needs(standard: chosen, territories: regions.map {
            (territory: $0.code.value, own: figures[$0.code]?.own ?? 0, population: $0.population ?? 0)
        })
        return el("section", .aria("labelledby", "equalisation-heading"), .id("equalisation")) {
            el("h2", .id("equalisation-heading")) { request.t("budget.equalisation") }
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.budget.path), .class("filters")) {
                void("input", .type("hidden"), .name("year"), .value(String(year)))
                void("input", .type("hidden"), .name("indicator"), .value(indicator.rawValue))
                el("label") {
                    request.t("budget.standard")
                    void("input", .name("standard"), .type("number"), .value(String(chosen)), Attribute("min", "1"))
                }
                el("button", .type("submit")) { request.t("register.apply") }
            }
            el("p") { request.t("budget.average", ["amount": NumberFormat.integer(Int(average), language) + " ₸"]) }
            el("table", .class("list")) {
                el("thead") {
                    el("tr") {
                        Components.th(request.t("register.territory"))
                        Components.th(request.t("budget.ind.own_per_person"), .class("num"))
                        Components.th(request.t("budget.need"), .class("num"))
                    }
                }
                el("tbody") {
                    for need in needs where need.amount > 0 {
                        let code = try? KATOCode(number: need.territory)
                        el("tr") {
                            el("td") { code.flatMap { request.tree[$0]?.name[language] } ?? String(need.territory) }
                            el("td", .class("num")) {
                                code.flatMap { figures[$0]?.ownPerPerson }.map { NumberFormat.integer(Int($0), language) + " ₸" } ?? "—"
                            }
                            el("td", .class("num")) { money(need.amount, request) }
                        }
                    }
                    el("tr") {
                        el("th") { request.t("budget.needTotal") }
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
    static func monthChart(_ months: [BudgetYear.Amounts], title: String, id: String, _ request: Request) -> Node {
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
                    el("title") { "\(index + 1): \(request.t("budget.plan")) \(money(amounts.plan, request))" }
                }
                el("rect", Attribute("x", String(x + 16)), Attribute("y", String(height - doneHeight)), Attribute("width", "15"),
                   Attribute("height", String(doneHeight)), .class("done")) {
                    el("title") { "\(index + 1): \(request.t("budget.executed")) \(money(amounts.executed, request))" }
                }
                el("text", Attribute("x", String(x + 15)), Attribute("y", String(height + 16)), Attribute("text-anchor", "middle")) { String(index + 1) }
            }
        }
    }

    // MARK: Territory section

    static func section(_ code: KATOCode, year: BudgetYear, previous: BudgetYear, before: BudgetYear,
                        months: [String: [BudgetYear.Amounts]], _ request: Request) -> Node {
        let tree = request.tree
        let language = request.language
        let indicators = BudgetReports.indicators(code, year: year, previous: previous.isEmpty ? nil : previous,
                                                  tree: tree, language: language)
        let trend = [before, previous, year].filter { !$0.isEmpty }.map { ($0.year, $0.consolidated(code, tree: tree)) }
        let classification = request.aimaq.budget.classification
        let revenue = (year.revenue[code.value] ?? [:]).sorted { $0.key < $1.key }
        let spending = (year.expenditure[code.value] ?? [:]).sorted { $0.key < $1.key }
        let transfers = year.transfers.filter { $0.from == code.value || $0.to == code.value }
        func name(_ id: Int?) -> String {
            id.flatMap { try? KATOCode(number: $0) }.flatMap { tree[$0]?.name[language] } ?? request.t("budget.republic")
        }
        return el("section", .aria("labelledby", "budget-heading"), .id("budget")) {
            el("h2", .id("budget-heading")) { request.t("budget.section") + " · \(year.year)" }
            demoNote(year.isDemo, request)
            el("ul", .class("figures")) {
                el("li") { el("span", .class("label")) { request.t("budget.total") }; el("span", .class("value")) { money(indicators.totalRevenue, request) } }
                el("li") { el("span", .class("label")) { request.t("budget.own") }; el("span", .class("value")) { money(indicators.ownRevenue, request) } }
                el("li") { el("span", .class("label")) { request.t("budget.ind.dependence") }; el("span", .class("value")) { percentOrDash(indicators.transferDependence) } }
                el("li") { el("span", .class("label")) { request.t("budget.ind.execution") }; el("span", .class("value")) { percentOrDash(indicators.execution) } }
                el("li") { el("span", .class("label")) { request.t("budget.ind.change") }; el("span", .class("value")) { percentOrDash(indicators.changeOnYearBefore) } }
                if let share = indicators.shareHeldBelow {
                    el("li") { el("span", .class("label")) { request.t("budget.shareBelow") }; el("span", .class("value")) { percentOrDash(share) } }
                }
                if let perPerson = indicators.ownRevenuePerPerson {
                    el("li") { el("span", .class("label")) { request.t("budget.ind.own_per_person") }; el("span", .class("value")) { NumberFormat.integer(Int(perPerson), language) + " ₸" } }
                }
                if let rank = indicators.rank {
                    el("li") { el("span", .class("label")) { request.t("budget.rank") }; el("span", .class("value")) { "\(rank) / \(indicators.peers)" } }
                }
            }
            if trend.count > 1 {
                el("h3") { request.t("budget.trend") }
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            Components.th(request.t("budget.year")); Components.th(request.t("budget.own"), .class("num"))
                            Components.th(request.t("budget.transfers"), .class("num"))
                            Components.th(request.t("budget.ind.dependence"), .class("num"))
                        }
                    }
                    el("tbody") {
                        for (year, figures) in trend {
                            el("tr") {
                                el("td") { String(year) }
                                el("td", .class("num")) { money(figures.own, request) }
                                el("td", .class("num")) { money(figures.transfers, request) }
                                el("td", .class("num")) { percentOrDash(figures.transferDependence) }
                            }
                        }
                    }
                }
            }
            if let revenueMonths = months["revenue"] {
                el("h3") { request.t("budget.monthly") }
                monthChart(revenueMonths, title: request.t("budget.monthlyRevenue"), id: "months-revenue", request)
                el("p", .class("legend")) {
                    el("span", .class("swatch plan")) { "" }; " " + request.t("budget.plan") + "  "
                    el("span", .class("swatch done")) { "" }; " " + request.t("budget.executed")
                }
            }
            if !revenue.isEmpty {
                el("h3") { request.t("budget.structure") }
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            Components.th(request.t("budget.code")); Components.th(request.t("budget.plan"), .class("num"))
                            Components.th(request.t("budget.executed"), .class("num"))
                        }
                    }
                    el("tbody") {
                        for (revenueCode, amounts) in revenue {
                            el("tr") {
                                el("td") { "\(revenueCode) " + (classification.revenue[revenueCode]?.name[language] ?? "") }
                                el("td", .class("num")) { money(amounts.plan, request) }
                                el("td", .class("num")) { money(amounts.executed, request) }
                            }
                        }
                        for (function, amounts) in spending {
                            el("tr", .class("spending")) {
                                el("td") { "\(request.t("budget.function")) \(function) " + (classification.functions[function]?[language] ?? "") }
                                el("td", .class("num")) { money(amounts.plan, request) }
                                el("td", .class("num")) { money(amounts.executed, request) }
                            }
                        }
                    }
                }
            }
            if !transfers.isEmpty {
                el("h3") { request.t("budget.transfers") }
                el("ul") {
                    for transfer in transfers {
                        el("li") {
                            request.t("transfer.\(transfer.kind.rawValue)") + ": " + name(transfer.from) + " → " + name(transfer.to)
                                + " — " + money(transfer.amount, request)
                        }
                    }
                }
            }
            el("p") {
                el("a", .href(SiteURL.budget.link((.year, String(year.year))))) { request.t("budget.title") }
                " · "
                el("a", .href(SiteURL.api(.budgetIndicators).link((.territory, code.description), (.year, String(year.year))))) { "API" }
            }
        }
    }

    // MARK: What-if

    /// The what-if page: the two ways to ask (move a share; lay a second rule table over the
    /// year's) and the result, which is rendered once per version of the year's figures.
    static func whatIf(_ query: BudgetReports.WhatIfQuery, result: Node, rules: DistributionRules,
                       classification: BudgetClassification, problems: [String], _ request: Request) -> Node {
        let codes = classification.revenue.values.filter { $0.code.depth == .specific && $0.code.category.isOwn }
            .sorted { $0.code < $1.code }
        func levelSelect(_ name: String, _ selected: BudgetLevel) -> Node {
            el("select", .name(name)) {
                for level in BudgetLevel.allCases {
                    Components.option(String(level.rawValue), request.t("budget.level.\(level.rawValue)"), selected: level == selected)
                }
            }
        }
        func yearField() -> Node {
            el("label") {
                request.t("budget.year")
                void("input", .name("year"), .type("number"), .value(String(query.year)))
            }
        }
        return fragment {
            el("h1") { request.t("whatIf.title") }
            el("p", .class("lead")) { request.t("whatIf.lead") }
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.budgetWhatIf.path), .class("filters"), .id("what-if-form")) {
                yearField()
                el("label") {
                    request.t("whatIf.code")
                    el("select", .name("code")) {
                        for entry in codes {
                            Components.option(entry.code.text, "\(entry.code) \(entry.name[request.language].prefix(70))",
                                   selected: entry.code == query.code)
                        }
                    }
                }
                el("label") { request.t("whatIf.from"); levelSelect("from", query.from) }
                el("label") { request.t("whatIf.to"); levelSelect("to", query.to) }
                el("label") {
                    request.t("whatIf.share")
                    void("input", .name("share"), .type("text"), .value(DistributionRules.format(query.share)), Attribute("inputmode", "decimal"))
                }
                el("button", .type("submit")) { request.t("whatIf.submit") }
            }
            el("details", attributes: [.id("what-if-tables")] + (query.table != nil || !problems.isEmpty ? [.flag("open")] : [])) {
                el("summary") { request.t("whatIf.tables") }
                el("p") { request.t("whatIf.tablesLead") }
                el("form", Attribute("method", "get"), Attribute("action", SiteURL.budgetWhatIf.path), .class("filters"), .id("what-if-bundled")) {
                    yearField()
                    el("label") {
                        request.t("whatIf.bundled")
                        el("select", .name("rules")) {
                            for year in rules.years {
                                Components.option(String(year), request.t("whatIf.rulesOf", ["year": String(year)]),
                                       selected: query.table == .bundled(year: year))
                            }
                        }
                    }
                    el("button", .type("submit")) { request.t("whatIf.submit") }
                }
                if !problems.isEmpty {
                    el("div", .class("error"), Attribute("role", "alert")) {
                        el("p") { request.t("whatIf.tableRefused") }
                        el("ul") { for problem in problems { el("li") { problem } } }
                    }
                }
                if request.actor == nil {
                    // No form, so no CSRF token: a visitor who is not signed in gets no session.
                    el("p") { el("a", .href(SiteURL.signIn.path)) { request.t("whatIf.signInToLoad") } }
                } else {
                    let action = SiteURL.budgetWhatIfRules.link((.csrf, request.csrfToken))
                    el("form", Attribute("method", "post"), Attribute("action", action), Attribute("enctype", "multipart/form-data"),
                       .class("stack"), .id("what-if-upload")) {
                        void("input", .type("hidden"), .name("year"), .value(String(query.year)))
                        el("label", Attribute("for", "rules-file")) { request.t("whatIf.file") }
                        void("input", .id("rules-file"), .name("file"), .type("file"), Attribute("accept", ".csv,text/csv"))
                        el("label", Attribute("for", "rules-text")) { request.t("whatIf.text") }
                        el("textarea", .id("rules-text"), .name("text"), Attribute("rows", "6"),
                           Attribute("placeholder", "year,code,level,share\n\(query.year),101201,3,0.5\n\(query.year),101201,4,0.5")) { "" }
                        el("button", .type("submit")) { request.t("whatIf.load") }
                    }
                }
            }
            result
        }
    }

    /// What the what-if computed: which change, the totals by level that balance, and every
    /// budget that changes.
    static func whatIfResult(_ query: BudgetReports.WhatIfQuery, result: WhatIfDTO, classification: BudgetClassification,
                             _ request: Request) -> Node {
        let total = result.totalsByLevel.values.reduce(0, +)
        return fragment {
            demoNote(result.demo, request)
            if let table = query.table {
                el("section", .id("what-if-table")) {
                    el("p") {
                        switch table {
                        case .bundled(let year):
                            request.t("whatIf.comparingBundled", ["year": String(year), "base": String(query.year)])
                        case .loaded(let id):
                            request.t("whatIf.comparingLoaded", ["id": id, "year": String(result.rulesYear ?? query.year),
                                                                 "base": String(query.year)])
                        }
                    }
                    if result.codes.isEmpty {
                        el("p") { request.t("whatIf.sameRules") }
                    } else {
                        el("p") { request.t("whatIf.changedCodes") + ":" }
                        el("ul", .id("what-if-codes")) {
                            for text in result.codes {
                                let name = RevenueCode(text).flatMap { classification.revenue[$0]?.name[request.language] } ?? ""
                                el("li") { "\(text) \(name)" }
                            }
                        }
                    }
                }
            }
            el("p") { request.t(query.table == nil ? "whatIf.collected" : "whatIf.collectedCodes") + ": " + money(result.collected, request) }
            el("h2") { request.t("whatIf.totals") }
            el("table", .class("list"), .id("what-if-totals")) {
                el("tbody") {
                    for level in BudgetLevel.allCases {
                        el("tr") {
                            el("td") { request.t("budget.level.\(level.rawValue)") }
                            el("td", .class("num")) { money(result.totalsByLevel[String(level.rawValue)] ?? 0, request) }
                        }
                    }
                    el("tr") {
                        el("th") { request.t("whatIf.balance") }
                        el("td", .class("num"), .id("what-if-balance")) { NumberFormat.integer(Int(total), request.language) + " ₸" }
                    }
                }
            }
            el("h2") { request.t("whatIf.territories") + " (\(result.changedBudgets))" }
            if result.rows.isEmpty {
                el("p") { request.t("whatIf.none") }
            } else {
                el("table", .class("list"), .id("what-if-rows")) {
                    el("thead") {
                        el("tr") {
                            Components.th(request.t("register.territory"))
                            Components.th(request.t("whatIf.ownBefore"), .class("num"))
                            Components.th(request.t("whatIf.ownAfter"), .class("num"))
                            Components.th(request.t("whatIf.change"), .class("num"))
                            Components.th(request.t("whatIf.dependenceBefore"), .class("num"))
                            Components.th(request.t("whatIf.dependenceAfter"), .class("num"))
                        }
                    }
                    el("tbody") {
                        let format = MoneyFormat(request)
                        for row in result.rows.prefix(rowsShown) {
                            el("tr") {
                                el("td") { el("a", .href(KATOCode.parse(row.territory).map { SiteURL.territory(.value($0)).path } ?? "")) { row.name } }
                                el("td", .class("num")) { format.text(row.ownBefore) }
                                el("td", .class("num")) { format.text(row.ownAfter) }
                                el("td", .class("num")) { (row.change > 0 ? "+" : "") + format.text(row.change) }
                                el("td", .class("num")) { percentOrDash(row.dependenceBefore) }
                                el("td", .class("num")) { percentOrDash(row.dependenceAfter) }
                            }
                        }
                    }
                }
                if result.changedBudgets > result.rows.count {
                    el("p") { el("a", .href(SiteURL.api(.budgetWhatIf).link(query.query))) { request.t("whatIf.allRows") } }
                }
            }
        }
    }

    /// Rows of the what-if table on the page, largest changes first; the API lists all.
    static let rowsShown = 100

    // MARK: Import

    static func importForm(result: String?, problems: [String], _ request: Request) -> Node {
        let action = SiteURL.adminImportBudget.link((.csrf, request.csrfToken))
        return fragment {
            el("h1") { request.t("budgetImport.title") }
            el("p", .class("lead")) { request.t("budgetImport.lead") }
            if let result { el("p", .class("notice"), Attribute("role", "status")) { result } }
            if !problems.isEmpty {
                el("div", .class("error"), Attribute("role", "alert")) {
                    el("p") { request.t("budgetImport.refused") }
                    el("ul") { for problem in problems.prefix(200) { el("li") { problem } } }
                }
            }
            el("form", Attribute("method", "post"), Attribute("action", action), Attribute("enctype", "multipart/form-data"), .class("stack")) {
                el("label", Attribute("for", "budget-file")) { request.t("budgetImport.file") }
                void("input", .id("budget-file"), .name("file"), .type("file"), Attribute("accept", ".csv,text/csv"), .flag("required"))
                el("button", .type("submit")) { request.t("budgetImport.submit") }
            }
        }
    }
}
