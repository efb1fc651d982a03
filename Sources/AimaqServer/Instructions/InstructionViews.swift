import AimaqCore
import Foundation
import Vapor

enum InstructionViews {
    /// The territory's name; lists read the tree once and pass it to every row.
    static func territoryName(_ code: Int, in tree: TerritoryTree, _ language: Language) -> String {
        guard let kato = try? KATOCode(number: code), let territory = tree[kato] else { return String(code) }
        return territory.name[language]
    }

    static func bodyName(_ id: Int?, _ page: PageContext) -> String {
        guard let id, let body = page.bodies.body(id) else { return "—" }
        return body.name[page.language]
    }

    static func statusBadge(_ status: String, deadline: String, today: CivilDate, _ page: PageContext) -> Node {
        let parsed = AssignmentStatus(rawValue: status) ?? .registered
        let overdue = (try? CivilDate(deadline)).map { parsed.isOverdue(deadline: $0, today: today) } ?? false
        return statusBadge(parsed, overdue: overdue, page)
    }

    static func statusBadge(_ status: AssignmentStatus, overdue: Bool, _ page: PageContext) -> Node {
        fragment {
            el("span", .class("status status-\(status.rawValue)")) { page.t("status.\(status.rawValue)") }
            if overdue { el("span", .class("status status-overdue")) { page.t("status.overdue") } }
        }
    }
}
