import AimaqCore
import SQLKit
import Vapor

/// The filters of the register of assignments, shared by the page, the API and exports.
struct RegisterFilter: Sendable, Equatable {
    enum Sort: String, Sendable, CaseIterable {
        case deadline, deadlineDescending = "-deadline", territory, status, completion
    }

    var source: Int?
    var instruction: Int?
    var status: AssignmentStatus?
    var territory: KATOCode?
    var body: Int?
    var category: InstructionCategory?
    var overdue = false
    var dueWithin: Int?
    var sort: Sort = .deadline
    /// Only public instructions (anonymous visitors and citizens).
    var publicOnly = true

    /// Reads the query string; a bad value is a 400 that names the parameter.
    init(_ request: Request) throws {
        func value(_ name: String) -> String? {
            guard let text = request.query[String.self, at: name]?.trimmingCharacters(in: .whitespaces),
                  !text.isEmpty else { return nil }
            return text
        }
        func bad(_ name: String, _ text: String) -> Abort {
            Abort(.badRequest, reason: request.t("error.filter", ["name": name, "value": text]))
        }
        if let text = value("source") {
            guard let id = Int(text) else { throw bad("source", text) }
            source = id
        }
        if let text = value("instruction") {
            guard let id = Int(text) else { throw bad("instruction", text) }
            instruction = id
        }
        if let text = value("status") {
            guard let parsed = AssignmentStatus(rawValue: text) else { throw bad("status", text) }
            status = parsed
        }
        if let text = value("territory") {
            guard let code = KATOCode.parse(text) else { throw bad("territory", text) }
            territory = code
        }
        if let text = value("body") {
            guard let id = Int(text) else { throw bad("body", text) }
            body = id
        }
        if let text = value("category") {
            guard let parsed = InstructionCategory(rawValue: text) else { throw bad("category", text) }
            category = parsed
        }
        if let text = value("overdue") {
            guard ["true", "false", "1", "0", "on"].contains(text) else { throw bad("overdue", text) }
            overdue = text == "true" || text == "1" || text == "on"
        }
        if let text = value("due_within") {
            guard let days = Int(text), (0...3650).contains(days) else { throw bad("due_within", text) }
            dueWithin = days
        }
        if let text = value("sort") {
            guard let parsed = Sort(rawValue: text) else { throw bad("sort", text) }
            sort = parsed
        }
        let role = request.actor?.role
        publicOnly = role == nil || role == .citizen
    }

    init() {}

    /// The filters as a query string, for links that keep them (paging, export).
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let source { items.append(("source", String(source))) }
        if let instruction { items.append(("instruction", String(instruction))) }
        if let status { items.append(("status", status.rawValue)) }
        if let territory { items.append(("territory", territory.description)) }
        if let body { items.append(("body", String(body))) }
        if let category { items.append(("category", category.rawValue)) }
        if overdue { items.append(("overdue", "true")) }
        if let dueWithin { items.append(("due_within", String(dueWithin))) }
        if sort != .deadline { items.append(("sort", sort.rawValue)) }
        return items
    }
}

/// One line of the register, as plain values.
struct RegisterRow: Sendable, Codable {
    var id: Int
    var instructionID: Int
    var point: String
    var text: String
    var category: String
    var sourceTitle: String
    var territory: Int
    var bodyID: Int?
    var deadline: String
    var status: String
    var completion: Double?
    var isPublic: Bool
}

enum RegisterQuery {
    static let finalOrWaiting = [AssignmentStatus.accepted, .removedFromControl, .reportSubmitted].map(\.rawValue)

    /// Applies the filter to a select over `assignments a JOIN instructions i JOIN source_documents s`.
    static func apply(_ filter: RegisterFilter, today: CivilDate, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var q = query
        if filter.publicOnly { q = q.where(SQLColumn("is_public", table: "a"), .equal, SQLLiteral.boolean(true)) }
        if let source = filter.source {
            q = q.where(SQLColumn("instruction_id", table: "a"), .in,
                        SQLGroupExpression(SQLQueryString("SELECT id FROM instructions WHERE source_id = \(bind: source)")))
        }
        if let instruction = filter.instruction { q = q.where(SQLColumn("instruction_id", table: "a"), .equal, SQLBind(instruction)) }
        if let status = filter.status { q = q.where(SQLColumn("status", table: "a"), .equal, SQLBind(status.rawValue)) }
        if let territory = filter.territory {
            let (low, high) = TerritoryRange.of(territory)
            q = q.where(SQLColumn("territory_id", table: "a"), .greaterThanOrEqual, SQLBind(low))
                .where(SQLColumn("territory_id", table: "a"), .lessThan, SQLBind(high))
        }
        if let body = filter.body { q = q.where(SQLColumn("body_id", table: "a"), .equal, SQLBind(body)) }
        if let category = filter.category { q = q.where(SQLColumn("category", table: "a"), .equal, SQLBind(category.rawValue)) }
        if filter.overdue {
            q = q.where(SQLColumn("deadline", table: "a"), .lessThan, SQLBind(today.description))
                .where(SQLColumn("status", table: "a"), .notIn, SQLBind.group(finalOrWaiting))
        }
        if let days = filter.dueWithin {
            q = q.where(SQLColumn("deadline", table: "a"), .greaterThanOrEqual, SQLBind(today.description))
                .where(SQLColumn("deadline", table: "a"), .lessThanOrEqual, SQLBind(today.adding(days: days).description))
                .where(SQLColumn("status", table: "a"), .notIn, SQLBind.group(finalOrWaiting))
        }
        return q
    }

    static func base(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select()
            .from(SQLAlias(SQLIdentifier("assignments"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("instructions"), as: SQLIdentifier("i")), method: SQLJoinMethod.inner,
                  on: SQLColumn("instruction_id", table: "a"), .equal, SQLColumn("id", table: "i"))
            .join(SQLAlias(SQLIdentifier("source_documents"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                  on: SQLColumn("source_id", table: "i"), .equal, SQLColumn("id", table: "s"))
    }

    private struct Row: Decodable {
        var id: Int
        var instruction_id: Int
        var point: String
        var text: String
        var category: String
        var source_title: String
        var territory_id: Int
        var body_id: Int?
        var deadline: String
        var status: String
        var completion: Double?
        var is_public: Bool
    }

    static func page(_ filter: RegisterFilter, today: CivilDate, page: Int, per: Int,
                     on db: any SQLDatabase) async throws -> (rows: [RegisterRow], total: Int) {
        var select = apply(filter, today: today, to: base(db))
            .column(SQLColumn("id", table: "a"))
            .column(SQLColumn("instruction_id", table: "a"))
            .column(SQLColumn("point", table: "i"))
            .column(SQLColumn("text", table: "i"))
            .column(SQLColumn("category", table: "i"))
            .column(SQLAlias(SQLColumn("title", table: "s"), as: SQLIdentifier("source_title")))
            .column(SQLColumn("territory_id", table: "a"))
            .column(SQLColumn("body_id", table: "a"))
            .column(SQLColumn("deadline", table: "a"))
            .column(SQLColumn("status", table: "a"))
            .column(SQLColumn("completion", table: "a"))
            .column(SQLColumn("is_public", table: "i"))
        switch filter.sort {
        case .deadline: select = select.orderBy(SQLColumn("deadline", table: "a"), SQLDirection.ascending)
        case .deadlineDescending: select = select.orderBy(SQLColumn("deadline", table: "a"), SQLDirection.descending)
        case .territory: select = select.orderBy(SQLColumn("territory_id", table: "a"), SQLDirection.ascending)
        case .status: select = select.orderBy(SQLColumn("status", table: "a"), SQLDirection.ascending)
        case .completion: select = select.orderBy(SQLColumn("completion", table: "a"), SQLDirection.descending)
        }
        select = select.orderBy(SQLColumn("id", table: "a"), SQLDirection.ascending).limit(per).offset((page - 1) * per)
        let rows = try await select.all(decoding: Row.self).map {
            RegisterRow(id: $0.id, instructionID: $0.instruction_id, point: $0.point, text: $0.text,
                        category: $0.category, sourceTitle: $0.source_title, territory: $0.territory_id,
                        bodyID: $0.body_id, deadline: $0.deadline, status: $0.status, completion: $0.completion,
                        isPublic: $0.is_public)
        }
        // Every filter reads the assignments table alone, so the count needs no join.
        let total = try await apply(filter, today: today,
                                    to: db.select().from(SQLAlias(SQLIdentifier("assignments"), as: SQLIdentifier("a"))))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .first(decodingColumn: "n", as: Int.self) ?? 0
        return (rows, total)
    }
}

/// The codes of a territory's subtree form one numeric range.
enum TerritoryRange {
    static func of(_ code: KATOCode) -> (low: Int, high: Int) {
        (code.value, code.value + AdminController.subtreeSpan(code))
    }
}
