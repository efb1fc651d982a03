import AimaqCore
import Foundation
import SQLKit
import Synchronization
import Vapor

/// The "instructions" section of a territory page: what is assigned in the subtree, what is
/// overdue, what awaits review, and completion by subordinate territory. One query.
enum TerritoryInstructions {
    struct Summary {
        var assigned = 0
        var overdue = 0
        var awaitingReview = 0
        var completion: Double?
        var byChild: [(Territory, Double, Int)] = []
    }

    private struct Row: Decodable {
        var territory_id: Int
        var n: Int
        var overdue: Int
        var waiting: Int
        var weighted: Double?
        var weight: Double?
    }

    /// The summary, from the cache while no assignment has changed (and for a minute at most,
    /// which bounds staleness when several servers share one database).
    static func cached(for territory: KATOCode?, publicOnly: Bool, today: CivilDate, request: Request) async throws -> Summary {
        let key = "\(territory?.description ?? "all"):\(publicOnly):\(today)"
        let cache = request.aimaq.summaries
        if let hit = cache.get(key) { return hit }
        let generation = cache.generation
        let summary = try await summary(for: territory, publicOnly: publicOnly, today: today, tree: request.tree, on: request.sql)
        cache.put(key, summary, generation: generation)
        return summary
    }

    static func summary(for territory: KATOCode?, publicOnly: Bool, today: CivilDate, tree: TerritoryTree,
                        on db: any SQLDatabase) async throws -> Summary {
        let waiting = SQLBind(AssignmentStatus.reportSubmitted.rawValue)
        var query = db.select()
            .column(SQLColumn("territory_id", table: "a"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("SUM", args: SQLCaseWhen(
                SQLBinaryExpression(SQLBinaryExpression(SQLColumn("deadline", table: "a"), .lessThan, SQLBind(today.description)),
                                    .and, SQLBinaryExpression(SQLColumn("status", table: "a"), .notIn, SQLBind.group(RegisterQuery.finalOrWaiting))),
                then: SQLLiteral.numeric("1"), else: SQLLiteral.numeric("0"))), as: "overdue")
            .column(SQLFunction("SUM", args: SQLCaseWhen(
                SQLBinaryExpression(SQLColumn("status", table: "a"), .equal, waiting),
                then: SQLLiteral.numeric("1"), else: SQLLiteral.numeric("0"))), as: "waiting")
            .column(SQLFunction("SUM", args: SQLBinaryExpression(SQLColumn("completion", table: "a"), .multiply, SQLColumn("weight", table: "a"))), as: "weighted")
            .column(SQLFunction("SUM", args: SQLCaseWhen(
                SQLBinaryExpression(SQLColumn("completion", table: "a"), .isNot, SQLLiteral.null),
                then: SQLColumn("weight", table: "a"), else: SQLLiteral.numeric("0"))), as: "weight")
            .from(SQLAlias(SQLIdentifier("assignments"), as: SQLIdentifier("a")))
            .where(SQLColumn("status", table: "a"), .notEqual, SQLBind(AssignmentStatus.removedFromControl.rawValue))
        if publicOnly { query = query.where(SQLColumn("is_public", table: "a"), SQLBinaryOperator.equal, SQLLiteral.boolean(true)) }
        if let territory {
            let (low, high) = TerritoryRange.of(territory)
            query = query.where(SQLColumn("territory_id", table: "a"), .greaterThanOrEqual, SQLBind(low))
                .where(SQLColumn("territory_id", table: "a"), .lessThan, SQLBind(high))
        }
        let rows = try await query.groupBy(SQLColumn("territory_id", table: "a")).all(decoding: Row.self)

        var summary = Summary()
        var totalWeighted = 0.0, totalWeight = 0.0
        var perChild: [KATOCode: (weighted: Double, weight: Double, count: Int)] = [:]
        let children = territory.map { tree.children(of: $0) } ?? tree.regions
        let childCodes = Set(children.map(\.code))
        for row in rows {
            summary.assigned += row.n
            summary.overdue += row.overdue
            summary.awaitingReview += row.waiting
            totalWeighted += row.weighted ?? 0
            totalWeight += row.weight ?? 0
            guard let code = try? KATOCode(number: row.territory_id) else { continue }
            let chain = [code] + tree.ancestors(of: code).map(\.code)
            if let child = chain.first(where: { childCodes.contains($0) }) {
                var sum = perChild[child] ?? (0, 0, 0)
                sum.weighted += row.weighted ?? 0
                sum.weight += row.weight ?? 0
                sum.count += row.n
                perChild[child] = sum
            }
        }
        summary.completion = totalWeight > 0 ? totalWeighted / totalWeight : nil
        summary.byChild = children.compactMap { child in
            guard let sum = perChild[child.code], sum.weight > 0 else { return nil }
            return (child, sum.weighted / sum.weight, sum.count)
        }
        return summary
    }

    static func section(_ summary: Summary, territory: KATOCode, _ request: Request) -> Node {
        let language = request.language
        let register = SiteURL.register.path + "?territory=\(territory)"
        return el("section", .aria("labelledby", "instructions-heading")) {
            el("h2", .id("instructions-heading")) { request.t("territory.instructions") }
            el("dl", .class("figures")) {
                el("div") { el("dt") { request.t("territory.assignedHere") }; el("dd") { NumberFormat.integer(summary.assigned, language) } }
                el("div") {
                    el("dt") { request.t("territory.overdue") }
                    el("dd") { el("a", .href(register + "&overdue=true")) { NumberFormat.integer(summary.overdue, language) } }
                }
                el("div") {
                    el("dt") { request.t("territory.awaitingReview") }
                    el("dd") { el("a", .href(register + "&status=report_submitted")) { NumberFormat.integer(summary.awaitingReview, language) } }
                }
                el("div") { el("dt") { request.t("register.completion") }; el("dd") { InstructionViews.percent(summary.completion) } }
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
                                       .aria("label", child.name[language])) { InstructionViews.percent(completion) }
                                }
                                el("td", .class("num")) { InstructionViews.percent(completion) }
                            }
                        }
                    }
                }
            }
            el("p") { el("a", .href(register)) { request.t("territory.openRegister") } }
        }
    }
}

/// `CASE WHEN condition THEN a ELSE b END`, which both databases understand.
struct SQLCaseWhen: SQLExpression {
    let condition: any SQLExpression
    let then: any SQLExpression
    let otherwise: any SQLExpression

    init(_ condition: any SQLExpression, then: any SQLExpression, else otherwise: any SQLExpression) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE WHEN ")
        condition.serialize(to: &serializer)
        serializer.write(" THEN ")
        then.serialize(to: &serializer)
        serializer.write(" ELSE ")
        otherwise.serialize(to: &serializer)
        serializer.write(" END")
    }
}

/// A small cache of territory summaries, emptied whenever an assignment changes.
final class SummaryCache: Sendable {
    private struct State {
        var generation = 0
        var entries: [String: (summary: TerritoryInstructions.Summary, generation: Int, at: Double)] = [:]
    }

    private let state = Mutex(State())
    static let lifetime = 60.0

    var generation: Int { state.withLock { $0.generation } }

    func get(_ key: String) -> TerritoryInstructions.Summary? {
        let now = Date().timeIntervalSince1970
        return state.withLock { state in
            guard let entry = state.entries[key], entry.generation == state.generation,
                  now - entry.at < Self.lifetime else { return nil }
            return entry.summary
        }
    }

    func put(_ key: String, _ summary: TerritoryInstructions.Summary, generation: Int) {
        let now = Date().timeIntervalSince1970
        state.withLock { state in
            // A summary computed before a change must not be kept after it.
            guard generation == state.generation else { return }
            if state.entries.count > 20_000 { state.entries.removeAll() }
            state.entries[key] = (summary, generation, now)
        }
    }

    /// Called after every write to assignments.
    func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll()
        }
    }
}

/// Rendered page bodies that depend only on reference data and on the instruction summaries:
/// kept until either changes.
final class PageCache: Sendable {
    private struct State {
        var entries: [String: (fragment: Prerendered, generation: Int)] = [:]
        var documents: [String: Data] = [:]
        var pages: [String: (html: String, generation: Int)] = [:]
    }

    private let state = Mutex(State())

    /// A whole page for visitors who are not signed in (the same for all of them), kept like
    /// the fragments until its generation changes.
    func cachedAnonymousPage(_ key: String, generation: Int) -> String? {
        guard let hit = state.withLock({ $0.pages[key] }), hit.generation == generation else { return nil }
        return hit.html
    }

    func storeAnonymousPage(_ key: String, _ html: String, generation: Int) {
        state.withLock { state in
            if state.pages.count > 5_000 { state.pages.removeAll() }
            state.pages[key] = (html, generation)
        }
    }

    /// A JSON answer of reference data, encoded once.
    func document(_ key: String, make: () throws -> Data) rethrows -> Data {
        if let hit = state.withLock({ $0.documents[key] }) { return hit }
        let data = try make()
        state.withLock { state in
            if state.documents.count > 20_000 { state.documents.removeAll() }
            state.documents[key] = data
        }
        return data
    }

    func fragment(_ key: String, generation: Int, make: () -> Node) -> Node {
        if let hit = state.withLock({ $0.entries[key] }), hit.generation == generation {
            return .prerendered(hit.fragment)
        }
        let fragment = Prerendered(make())
        state.withLock { state in
            if state.entries.count > 5_000 { state.entries.removeAll() }
            state.entries[key] = (fragment, generation)
        }
        return .prerendered(fragment)
    }

    func clear() {
        state.withLock {
            $0.entries.removeAll()
            $0.documents.removeAll()
            $0.pages.removeAll()
        }
    }
}
