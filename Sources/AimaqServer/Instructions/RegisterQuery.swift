import AimaqCore
import SQLKit
import Vapor

/// The filters of the register of assignments, shared by the page, the API and exports.
struct RegisterFilter: Sendable, Equatable {
    typealias Sort = AssignmentIndex.Sort

    var source: Int?
    var instruction: Int?
    var status: AssignmentStatus?
    var territory: KATOCode?
    var body: Int?
    var category: InstructionCategory?
    var overdue = false
    var dueWithin: Int?
    /// Only open assignments whose road map is owed (`road_map=missing`).
    var roadMapMissing = false
    var sort: Sort = .deadline
    /// Only public instructions (anonymous visitors and citizens).
    var publicOnly = true

    /// Reads the query string; a bad value is a 400 that names the parameter.
    init(_ request: Request) throws {
        // The first of repeated names counts.
        let values = Dictionary(request.queryItems.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        func bad(_ name: String, _ text: String) -> Abort {
            Abort(.badRequest, reason: request.t("error.filter", ["name": name, "value": text]))
        }
        // The page's form sends an empty value for "any"; the API takes no empty filter.
        let isAPI = request.isAPI
        func value(_ name: String) throws -> String? {
            guard let raw = values[name] else { return nil }
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                if isAPI { throw bad(name, raw) }
                return nil
            }
            return text
        }
        if let text = try value("source") {
            guard let id = Int(text), id >= 1 else { throw bad("source", text) }
            source = id
        }
        if let text = try value("instruction") {
            guard let id = Int(text), id >= 1 else { throw bad("instruction", text) }
            instruction = id
        }
        if let text = try value("status") {
            guard let parsed = AssignmentStatus(rawValue: text) else { throw bad("status", text) }
            status = parsed
        }
        if let text = try value("territory") {
            guard let code = KATOCode.parse(text) else { throw bad("territory", text) }
            territory = code
        }
        if let text = try value("body") {
            guard let id = Int(text), id >= 1 else { throw bad("body", text) }
            body = id
        }
        if let text = try value("category") {
            guard let parsed = InstructionCategory(rawValue: text) else { throw bad("category", text) }
            category = parsed
        }
        if let text = try value("overdue") {
            guard ["true", "false", "1", "0", "on"].contains(text) else { throw bad("overdue", text) }
            overdue = text == "true" || text == "1" || text == "on"
        }
        if let text = try value("road_map") {
            guard text == "missing" else { throw bad("road_map", text) }
            roadMapMissing = true
        }
        if let text = try value("due_within") {
            guard let days = Int(text), (0...3650).contains(days) else { throw bad("due_within", text) }
            dueWithin = days
        }
        if let text = try value("sort") {
            guard let parsed = Sort(rawValue: text) else { throw bad("sort", text) }
            sort = parsed
        }
        publicOnly = AccessPolicy.seesOnlyPublic(request.actor)
    }

    init() {}

    /// The same filters for the in-memory index.
    var indexQuery: AssignmentIndex.Query {
        var query = AssignmentIndex.Query()
        query.source = source
        query.instruction = instruction
        query.status = status
        query.territories = territory?.subtree
        query.body = body
        query.category = category
        query.overdue = overdue
        query.dueWithin = dueWithin
        query.roadMapMissing = roadMapMissing
        query.publicOnly = publicOnly
        query.sort = sort
        return query
    }

    /// The filters as a query, for links that keep them (paging, export).
    var query: SiteQuery { SiteQuery(pairs) }

    var pairs: [(SiteQuery.Name, String)] {
        var items: [(SiteQuery.Name, String)] = []
        if let source { items.append((.source, String(source))) }
        if let instruction { items.append((.instruction, String(instruction))) }
        if let status { items.append((.status, status.rawValue)) }
        if let territory { items.append((.territory, territory.description)) }
        if let body { items.append((.body, String(body))) }
        if let category { items.append((.category, category.rawValue)) }
        if overdue { items.append((.overdue, "true")) }
        if let dueWithin { items.append((.dueWithin, String(dueWithin))) }
        if roadMapMissing { items.append((.roadMap, "missing")) }
        if sort != .deadline { items.append((.sort, sort.rawValue)) }
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

    /// Joins assignments `a` to their instructions `i` and sources `s`.
    static func base(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select()
            .from(SQLAlias(SQLIdentifier("assignments"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("instructions"), as: SQLIdentifier("i")), method: SQLJoinMethod.inner,
                  on: SQLColumn("instruction_id", table: "a"), .equal, SQLColumn("id", table: "i"))
            .join(SQLAlias(SQLIdentifier("source_documents"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                  on: SQLColumn("source_id", table: "i"), .equal, SQLColumn("id", table: "s"))
    }

    /// One page of the register and the number of rows that match, from the in-memory snapshot.
    static func page(_ filter: RegisterFilter, today: CivilDate, page: Int, per: Int,
                     in snapshot: RegisterSnapshot) -> (rows: [RegisterRow], total: Int) {
        let (entries, total) = snapshot.index.page(filter.indexQuery, today: today, page: page, per: per)
        return (entries.map { snapshot.row($0) }, total)
    }
}

/// The codes of a territory's subtree form one numeric range.
