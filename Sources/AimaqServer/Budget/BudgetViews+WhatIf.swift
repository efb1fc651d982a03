import AimaqCore
import Vapor

/// The what-if page and its result.
extension BudgetViews {
    /// The what-if page: the two ways to ask (move a share; lay a second rule table over the
    /// year's) and the result, which is rendered once per version of the year's figures.
    /// `codes` are the options of the revenue code's list (`codeOptions`), made apart: they
    /// change only with the code chosen, and a what-if is asked for with every share.
    static func whatIf(_ query: BudgetReports.WhatIfQuery, result: Node, codes: Node, rules: DistributionRules,
                       problems: [String], _ page: PageContext) -> Node {
        func levelSelect(_ name: String, _ selected: BudgetLevel) -> Node {
            el("select", .name(name)) {
                for level in BudgetLevel.allCases {
                    Components.option(String(level.rawValue), page.t("budget.level.\(level.rawValue)"), selected: level == selected)
                }
            }
        }
        func yearField() -> Node {
            el("label") {
                page.t("budget.year")
                void("input", .name("year"), .type("number"), .value(String(query.year)))
            }
        }
        return fragment {
            el("h1") { page.t("whatIf.title") }
            el("p", .class("lead")) { page.t("whatIf.lead") }
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.budgetWhatIf.path), .class("filters"), .id("what-if-form")) {
                yearField()
                el("label") {
                    page.t("whatIf.code")
                    el("select", .name("code")) { codes }
                }
                el("label") { page.t("whatIf.from"); levelSelect("from", query.from) }
                el("label") { page.t("whatIf.to"); levelSelect("to", query.to) }
                el("label") {
                    page.t("whatIf.share")
                    void("input", .name("share"), .type("text"), .value(DistributionRules.format(query.share)), Attribute("inputmode", "decimal"))
                }
                el("button", .type("submit")) { page.t("whatIf.submit") }
            }
            el("details", attributes: [.id("what-if-tables")] + (query.table != nil || !problems.isEmpty ? [.flag("open")] : [])) {
                el("summary") { page.t("whatIf.tables") }
                el("p") { page.t("whatIf.tablesLead") }
                el("form", Attribute("method", "get"), Attribute("action", SiteURL.budgetWhatIf.path), .class("filters"), .id("what-if-bundled")) {
                    yearField()
                    el("label") {
                        page.t("whatIf.bundled")
                        el("select", .name("rules")) {
                            for year in rules.years {
                                Components.option(String(year), page.t("whatIf.rulesOf", ["year": String(year)]),
                                       selected: query.table == .bundled(year: year))
                            }
                        }
                    }
                    el("button", .type("submit")) { page.t("whatIf.submit") }
                }
                if !problems.isEmpty {
                    el("div", .class("error"), Attribute("role", "alert")) {
                        el("p") { page.t("whatIf.tableRefused") }
                        el("ul") { for problem in problems { el("li") { problem } } }
                    }
                }
                if page.actor == nil {
                    // No form, so no CSRF token: a visitor who is not signed in gets no session.
                    el("p") { el("a", .href(SiteURL.signIn.path)) { page.t("whatIf.signInToLoad") } }
                } else {
                    let action = SiteURL.budgetWhatIfRules.link((.csrf, page.csrfToken))
                    el("form", Attribute("method", "post"), Attribute("action", action), Attribute("enctype", "multipart/form-data"),
                       .class("stack"), .id("what-if-upload")) {
                        void("input", .type("hidden"), .name("year"), .value(String(query.year)))
                        el("label", Attribute("for", "rules-file")) { page.t("whatIf.file") }
                        void("input", .id("rules-file"), .name("file"), .type("file"), Attribute("accept", ".csv,text/csv"))
                        el("label", Attribute("for", "rules-text")) { page.t("whatIf.text") }
                        el("textarea", .id("rules-text"), .name("text"), Attribute("rows", "6"),
                           Attribute("placeholder", "year,code,level,share\n\(query.year),101201,3,0.5\n\(query.year),101201,4,0.5")) { "" }
                        el("button", .type("submit")) { page.t("whatIf.load") }
                    }
                }
            }
            result
        }
    }

    /// The own revenue codes a share of which can be moved, `selected` chosen.
    static func codeOptions(selected: RevenueCode, classification: BudgetClassification, _ page: PageContext) -> Node {
        let codes = classification.revenue.values.filter { $0.code.depth == .specific && $0.code.category.isOwn }
            .sorted { $0.code < $1.code }
        return fragment {
            for entry in codes {
                Components.option(entry.code.text, "\(entry.code) \(entry.name[page.language].prefix(70))", selected: entry.code == selected)
            }
        }
    }

    /// What the what-if computed: which change, the totals by level that balance, and every
    /// budget that changes.
    static func whatIfResult(_ query: BudgetReports.WhatIfQuery, result: WhatIfDTO, classification: BudgetClassification,
                             _ page: PageContext) -> Node {
        let total = result.totalsByLevel.values.reduce(0, +)
        return fragment {
            demoNote(result.demo, page)
            if let table = query.table {
                el("section", .id("what-if-table")) {
                    el("p") {
                        switch table {
                        case .bundled(let year):
                            page.t("whatIf.comparingBundled", ["year": String(year), "base": String(query.year)])
                        case .loaded(let id):
                            page.t("whatIf.comparingLoaded", ["id": id, "year": String(result.rulesYear ?? query.year),
                                                                 "base": String(query.year)])
                        }
                    }
                    if result.codes.isEmpty {
                        el("p") { page.t("whatIf.sameRules") }
                    } else {
                        el("p") { page.t("whatIf.changedCodes") + ":" }
                        el("ul", .id("what-if-codes")) {
                            for text in result.codes {
                                let name = RevenueCode(text).flatMap { classification.revenue[$0]?.name[page.language] } ?? ""
                                el("li") { "\(text) \(name)" }
                            }
                        }
                    }
                }
            }
            el("p") { page.t(query.table == nil ? "whatIf.collected" : "whatIf.collectedCodes") + ": " + money(result.collected, page) }
            el("h2") { page.t("whatIf.totals") }
            el("table", .class("list"), .id("what-if-totals")) {
                el("tbody") {
                    for level in BudgetLevel.allCases {
                        el("tr") {
                            el("td") { page.t("budget.level.\(level.rawValue)") }
                            el("td", .class("num")) { money(result.totalsByLevel[String(level.rawValue)] ?? 0, page) }
                        }
                    }
                    el("tr") {
                        el("th") { page.t("whatIf.balance") }
                        el("td", .class("num"), .id("what-if-balance")) { NumberFormat.integer(Int(total), page.language) + " ₸" }
                    }
                }
            }
            el("h2") { page.t("whatIf.territories") + " (\(result.changedBudgets))" }
            if result.rows.isEmpty {
                el("p") { page.t("whatIf.none") }
            } else {
                el("table", .class("list"), .id("what-if-rows")) {
                    el("thead") {
                        el("tr") {
                            Components.th(page.t("register.territory"))
                            Components.th(page.t("whatIf.ownBefore"), .class("num"))
                            Components.th(page.t("whatIf.ownAfter"), .class("num"))
                            Components.th(page.t("whatIf.change"), .class("num"))
                            Components.th(page.t("whatIf.dependenceBefore"), .class("num"))
                            Components.th(page.t("whatIf.dependenceAfter"), .class("num"))
                        }
                    }
                    el("tbody") { whatIfRows(result.rows.prefix(rowsShown), page) }
                }
                if result.changedBudgets > result.rows.count {
                    el("p") { el("a", .href(SiteURL.api(.budgetWhatIf).link(query.query))) { page.t("whatIf.allRows") } }
                }
            }
        }
    }

    /// The rows of the what-if's table, written straight into bytes: a what-if with a new share
    /// is rendered afresh, and a node per cell of its hundred rows cost a sixth of the page.
    static func whatIfRows(_ rows: ArraySlice<WhatIfRowDTO>, _ page: PageContext) -> Node {
        var writer = MarkupWriter(capacity: rows.count * 400)
        let format = MoneyFormat(page)
        for row in rows {
            writer.open("tr")
            writer.open("td")
            writer.open("a", "href", KATOCode.parse(row.territory).map { SiteURL.territory(.value($0)).path } ?? "")
            writer.text(row.name)
            writer.close("a")
            writer.close("td")
            for cell in [format.text(row.ownBefore), format.text(row.ownAfter), (row.change > 0 ? "+" : "") + format.text(row.change),
                         percentOrDash(row.dependenceBefore), percentOrDash(row.dependenceAfter)] {
                writer.open("td", "class", "num")
                writer.text(cell)
                writer.close("td")
            }
            writer.close("tr")
        }
        return writer.finish()
    }

    /// Rows of the what-if table on the page, largest changes first; the API lists all.
    static let rowsShown = 100
}
