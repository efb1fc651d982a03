import AimaqCore
import Foundation
import SQLKit
import Vapor

/// The "instructions" section of a territory page: what is assigned in the subtree, what is
/// overdue, what awaits review, and completion by subordinate territory, from the register
/// snapshot in memory.
struct InstructionsSection: TerritorySection {
    func version(for code: KATOCode, _ request: Request) async throws -> Int {
        try await request.registerSnapshot().versions.territory(code)
    }

    func render(for code: KATOCode, _ request: Request) async throws -> Node? {
        let summary = TerritoryInstructions.summary(
            for: code, publicOnly: AccessPolicy.seesOnlyPublic(request.actor), today: request.aimaq.clock.today(),
            tree: request.tree, snapshot: try await request.registerSnapshot())
        return TerritoryInstructions.section(summary, territory: code, request)
    }
}

enum TerritoryInstructions {
    struct Summary {
        var assigned = 0
        var overdue = 0
        var awaitingReview = 0
        var completion: Double?
        var byChild: [(Territory, Double, Int)] = []
    }

    /// Counts and completion for the subtree of `territory` (the whole country when nil),
    /// with completion per child territory, from the register snapshot.
    static func summary(for territory: KATOCode?, publicOnly: Bool, today: CivilDate, tree: TerritoryTree,
                        snapshot: RegisterSnapshot) -> Summary {
        let range = territory?.subtree
        let tallies = snapshot.index.tallies(in: range, publicOnly: publicOnly, today: today)
        var total = AssignmentIndex.Tally()
        var perChild: [KATOCode: AssignmentIndex.Tally] = [:]
        let children = territory.map { tree.children(of: $0) } ?? tree.regions
        let childCodes = Set(children.map(\.code))
        for (number, tally) in tallies {
            total.add(tally)
            guard let code = try? KATOCode(number: number) else { continue }
            let chain = [code] + tree.ancestors(of: code).map(\.code)
            if let child = chain.first(where: { childCodes.contains($0) }) {
                perChild[child, default: AssignmentIndex.Tally()].add(tally)
            }
        }
        var summary = Summary()
        summary.assigned = total.assigned
        summary.overdue = total.overdue
        summary.awaitingReview = total.awaitingReview
        summary.completion = total.completion
        summary.byChild = children.compactMap { child in
            guard let tally = perChild[child.code], let completion = tally.completion else { return nil }
            return (child, completion, tally.assigned)
        }
        return summary
    }

    static func section(_ summary: Summary, territory: KATOCode, _ request: Request) -> Node {
        let language = request.language
        let register = SiteURL.register.link((.territory, territory.description))
        return el("section", .aria("labelledby", "instructions-heading")) {
            el("h2", .id("instructions-heading")) { request.t("territory.instructions") }
            el("ul", .class("figures")) {
                el("li") { el("span", .class("label")) { request.t("territory.assignedHere") }; el("span", .class("value")) { NumberFormat.integer(summary.assigned, language) } }
                el("li") {
                    el("span", .class("label")) { request.t("territory.overdue") }
                    el("span", .class("value")) { el("a", .href(SiteURL.register.link((.territory, territory.description), (.overdue, "true")))) { NumberFormat.integer(summary.overdue, language) } }
                }
                el("li") {
                    el("span", .class("label")) { request.t("territory.awaitingReview") }
                    el("span", .class("value")) { el("a", .href(SiteURL.register.link((.territory, territory.description), (.status, AssignmentStatus.reportSubmitted.rawValue)))) { NumberFormat.integer(summary.awaitingReview, language) } }
                }
                el("li") { el("span", .class("label")) { request.t("register.completion") }; el("span", .class("value")) { Components.percent(summary.completion) } }
            }
            if !summary.byChild.isEmpty {
                el("h3") { request.t("territory.byChild") }
                el("table", .class("list")) {
                    el("tbody") {
                        for (child, completion, count) in summary.byChild {
                            el("tr") {
                                el("td") { el("a", .href(SiteURL.territory(.value(child.code)).path)) { child.name[language] } }
                                el("td", .class("num")) { NumberFormat.integer(count, language) }
                                el("td", .class("bar")) {
                                    el("meter", Attribute("min", "0"), Attribute("max", "1"), .value(String(completion)),
                                       .aria("label", child.name[language])) { Components.percent(completion) }
                                }
                                el("td", .class("num")) { Components.percent(completion) }
                            }
                        }
                    }
                }
            }
            el("p") { el("a", .href(register)) { request.t("territory.openRegister") } }
        }
    }
}
