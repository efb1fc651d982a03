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

        func format(_ value: Double, _ language: Language, _ page: PageContext) -> String {
            switch self {
            case .dependence, .execution, .change: Components.percent(value)
            case .ownPerPerson: NumberFormat.integer(Int(value.rounded()), language) + " ₸"
            case .own, .total: money(Int64(value), page)
            }
        }
    }

    /// Tenge in billions, millions or units, as each language writes them.
    static func money(_ amount: Int64, _ page: PageContext) -> String {
        MoneyFormat.text(amount, page.language, billions: " " + page.t("budget.bn"), millions: " " + page.t("budget.mn"))
    }

    /// Amounts in billions, millions or tenge, with the units looked up once for a table.
    struct MoneyFormat {
        let language: Language
        let billions: String
        let millions: String

        init(_ page: PageContext) {
            language = page.language
            billions = " " + page.t("budget.bn")
            millions = " " + page.t("budget.mn")
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

    static func demoNote(_ isDemo: Bool, _ page: PageContext) -> Node {
        isDemo ? el("p", .class("demo-note"), Attribute("role", "note")) { page.t("budget.demo") } : fragment {}
    }

    // MARK: Import

    static func importForm(result: String?, problems: [String], _ page: PageContext) -> Node {
        let action = SiteURL.adminImportBudget.link((.csrf, page.csrfToken))
        return fragment {
            el("h1") { page.t("budgetImport.title") }
            el("p", .class("lead")) { page.t("budgetImport.lead") }
            if let result { el("p", .class("notice"), Attribute("role", "status")) { result } }
            if !problems.isEmpty {
                el("div", .class("error"), Attribute("role", "alert")) {
                    el("p") { page.t("budgetImport.refused") }
                    el("ul") { for problem in problems.prefix(200) { el("li") { problem } } }
                }
            }
            el("form", Attribute("method", "post"), Attribute("action", action), Attribute("enctype", "multipart/form-data"), .class("stack")) {
                el("label", Attribute("for", "budget-file")) { page.t("budgetImport.file") }
                void("input", .id("budget-file"), .name("file"), .type("file"), Attribute("accept", ".csv,text/csv"), .flag("required"))
                el("button", .type("submit")) { page.t("budgetImport.submit") }
            }
        }
    }
}
