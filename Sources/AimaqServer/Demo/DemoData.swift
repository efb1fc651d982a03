import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The national demo data set: fictional members of every body and one account per role.
/// Everything here is marked demo; every person in it is invented.
public enum DemoData {
    public struct DemoLogin: Sendable {
        public var role: Role
        public var email: String
        public var territory: String
    }

    /// The one password of every demo account (printed at start; demo only).
    public static let password = "aimaq-demo-2026"

    static let accounts: [(email: String, name: String, role: Role, territory: Int?)] = [
        ("admin@demo.aimaq.kz", "Demo Administrator", .administrator, nil),
        ("national.deputy@demo.aimaq.kz", "Demo National Deputy (Kyzylorda)", .nationalDeputy, 430000000),
        ("maslikhat.kyzylorda@demo.aimaq.kz", "Demo Maslikhat Deputy (Kyzylorda Region)", .maslikhatDeputy, 430000000),
        ("akimat.shieli@demo.aimaq.kz", "Demo Akimat Officer (Shieli District)", .akimatOfficer, 435200000),
        ("expert@demo.aimaq.kz", "Demo Expert", .expert, nil),
        ("citizen@demo.aimaq.kz", "Demo Citizen (Shieli)", .citizen, 435200000),
    ]

    public static var logins: [DemoLogin] {
        accounts.map { DemoLogin(role: $0.role, email: $0.email, territory: $0.territory.map(String.init) ?? "country") }
    }

    /// Loads reference data, members and accounts where missing; safe to run again.
    public static func load(_ app: Application, nationalScale: Bool = false,
                            progress: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        progress("territories and bodies")
        let reference = try await ReferenceData.ensure(app, actor: "demo")
        progress("\(reference.territories) territories, \(reference.bodies) bodies")
        let memberCount = try await BodyMemberRecord.query(on: app.db).count()
        if memberCount == 0 {
            let members = try await generateMembers(app)
            progress("\(members) fictional body members")
        }
        var hash: String?
        for spec in accounts {
            if try await Account.query(on: app.db).filter(\.$email == spec.email).first() == nil {
                if hash == nil { hash = try await app.password.async.hash(password) }
                let hash = hash ?? ""
                let scope: TerritoryScope = spec.territory.flatMap { try? KATOCode(number: $0) }.map { .subtree($0) } ?? .country
                let account = Account(email: spec.email, displayName: spec.name, passwordHash: hash,
                                      role: spec.role, scope: scope)
                if spec.role == .akimatOfficer {
                    // The officer works for the akimat of their territory.
                    account.bodyID = app.aimaq.bodies.bodies(of: scope.code).first { $0.kind == .akimat }?.id
                }
                try await AuditLog.record(on: app.db, actor: "demo") { db in
                    try await account.create(on: db)
                    return ((), AuditEvent(action: "account.create", entity: "account",
                                           entityID: account.id?.uuidString ?? "", before: nil, after: account.auditSnapshot))
                }
            }
        }
        progress("\(accounts.count) demo accounts")
        let today = app.aimaq.clock.today()
        let instructions = try await InstructionDemo.load(app, scale: nationalScale ? .national : .demo, today: today,
                                                          progress: progress)
        if instructions.instructions > 0 {
            progress("\(instructions.instructions) instructions, \(instructions.assignments) assignments, "
                     + "\(instructions.reports) reports, \(instructions.events) status changes")
        }
        let budgets = try await BudgetDemo.load(app, progress: progress)
        if budgets.lines > 0 { progress("\(budgets.lines) budget lines, \(budgets.transfers) transfers") }
        _ = try await ReferendumDemo.load(app, progress: progress)
        _ = try await DiscussionDemo.load(app, progress: progress)
        _ = try await ConversationDemo.load(app, progress: progress)
        _ = try await PollDemo.load(app, progress: progress)
        _ = try await AppealDemo.load(app, progress: progress)
        let notes = try await Notifications.sweepDeadlines(today: today, calendar: app.aimaq.calendar,
                                                           tree: app.aimaq.territories.tree, on: app.db)
        if notes > 0 { progress("\(notes) deadline notifications") }
        try await Setting.set("demo", "true", on: app.db)
        app.aimaq.isDemo.withLock { $0 = true }
        app.aimaq.pages.clear()
    }

    /// Members for every body, from a fixed seed so every demo looks the same.
    static func generateMembers(_ app: Application) async throws -> Int {
        struct BodyRow: Decodable { var id: Int; var kind: String; var territory_id: Int?; var seats: Int? }
        let sql = try app.db.sql
        let bodies = try await sql.select().columns("id", "kind", "territory_id", "seats").from("bodies")
            .orderBy("id").all(decoding: BodyRow.self)
        var random = SeededRandom(seed: 2026)
        var rows: [[any SQLExpression]] = []
        for body in bodies {
            guard let kind = BodyKind(rawValue: body.kind) else { continue }
            for member in memberPlan(kind: kind, seats: body.seats) {
                rows.append([SQLBind(body.id), SQLBind(FictionalNames.person(&random)), SQLBind(member.role.rawValue),
                             SQLBind(member.commission), SQLBind(member.from), SQLBind(member.to)])
            }
        }
        let allRows = rows.map { SendableRow(values: $0) }
        try await app.db.transaction { db in
            let sql = try db.sql
            for batch in allRows.chunked(into: 400) {
                var insert = sql.insert(into: "body_members")
                    .columns("body_id", "person_name", "role", "commission", "term_from", "term_to")
                for row in batch { insert = insert.values(row.values) }
                try await insert.run()
            }
        }
        try await AuditLog.record(on: app.db, actor: "demo") { _ in
            ((), AuditEvent(action: "demo.members", entity: "body_members", entityID: "all",
                            before: nil, after: "{\"count\":\(allRows.count)}"))
        }
        return allRows.count
    }

    struct SendableRow: @unchecked Sendable { var values: [any SQLExpression] }

    struct PlannedMember {
        var role: MemberRole
        var commission: String?
        var from: String?
        var to: String?
    }

    static let commissions = [
        "Budget and economy", "Social affairs", "Legality and public order",
        "Infrastructure, roads and utilities", "Agriculture and land",
    ]

    static func memberPlan(kind: BodyKind, seats: Int?) -> [PlannedMember] {
        switch kind {
        case .maslikhat:
            // Elected 19 March 2023 for five years (DOMAIN.md §3).
            let (from, to) = ("2023-03-19", "2028-03-18")
            let total = seats ?? 20
            var plan = [PlannedMember(role: .chairman, from: from, to: to)]
            for index in 0..<(total - 1) {
                let commission = commissions[index % 3]
                let role: MemberRole = index < 3 ? .commissionChair : .deputy
                plan.append(PlannedMember(role: role, commission: commission, from: from, to: to))
            }
            return plan
        case .akimatDepartment:
            return [PlannedMember(role: .officer, from: "2025-01-10")]
        case .akimat:
            return [PlannedMember(role: .akim, from: "2024-01-15"),
                    PlannedMember(role: .deputyAkim, from: "2024-02-01"),
                    PlannedMember(role: .deputyAkim, from: "2024-02-01"),
                    PlannedMember(role: .officer, from: "2025-01-10")]
        case .senate, .mazhilis:
            let total = seats ?? 50
            return [PlannedMember(role: .chairman, from: "2023-03-29", to: "2026-06-30")]
                + (1..<total).map { index in
                    PlannedMember(role: index < 3 ? .deputyChairman : .deputy, commission: commissions[index % 5],
                                  from: "2023-03-29", to: "2026-06-30")
                }
        case .kurultai:
            let total = seats ?? 145
            return [PlannedMember(role: .chairman, from: "2026-09-01", to: "2031-08-31")]
                + (1..<total).map { index in
                    PlannedMember(role: index < 3 ? .deputyChairman : .deputy, commission: commissions[index % 5],
                                  from: "2026-09-01", to: "2031-08-31")
                }
        case .peoplesCouncil:
            return [PlannedMember(role: .chairman, from: "2026-07-01")]
                + (1..<20).map { _ in PlannedMember(role: .member, from: "2026-07-01") }
        }
    }
}

/// A small deterministic generator (SplitMix64) for reproducible demo data.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Invented names for demo people: a given name and an initial-style surname built from
/// common parts. Marked as demo wherever shown.
enum FictionalNames {
    static let given = ["Aigerim", "Arman", "Dana", "Yerlan", "Zhanar", "Nurlan", "Saule", "Timur",
                        "Gulnara", "Bauyrzhan", "Madina", "Askar", "Aliya", "Daniyar", "Kamila", "Serik",
                        "Ainur", "Marat", "Dinara", "Olzhas", "Assel", "Yerbol", "Akmaral", "Ruslan"]
    static let stems = ["Temir", "Kara", "Ak", "Zhan", "Nur", "Kok", "Bek", "Sary", "Altyn", "Kyzyl",
                        "Er", "Tau", "Dala", "Ozen", "Kun", "Ai"]
    static let endings = ["bayev", "tayev", "bekov", "ulin", "zhanov", "galiyev", "keldin", "sapin"]

    static func person(_ random: inout SeededRandom) -> String {
        let first = given.randomElement(using: &random)!
        let last = stems.randomElement(using: &random)! + endings.randomElement(using: &random)!
        let feminine = ["Aigerim", "Dana", "Zhanar", "Saule", "Gulnara", "Madina", "Aliya", "Kamila",
                        "Ainur", "Dinara", "Assel", "Akmaral"].contains(first)
        return "\(first) \(feminine ? last + "a" : last)"
    }
}
