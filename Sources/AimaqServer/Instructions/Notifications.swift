import AimaqCore
import Fluent
import SQLKit
import Vapor

/// In-app notifications: a report arrived, a report was returned, a deadline is near, a
/// deadline passed.
enum Notifications {
    enum Kind: String, CaseIterable {
        case reportArrived = "report_arrived"
        case reportReturned = "report_returned"
        case deadlineSoon = "deadline_soon"
        case deadlinePassed = "deadline_passed"
        case roadMapDue = "road_map_due"
        /// To the author, or whoever raised an issue: the answer came; the term was extended;
        /// the issue became a controlled assignment. To a deputy: an appeal addressed to them.
        case appealAnswered = "appeal_answered"
        case appealExtended = "appeal_extended"
        case appealAssigned = "appeal_assigned"
        case appealAddressed = "appeal_addressed"
        /// To the deputy: a resident booked a slot of their reception. To the resident: their
        /// reception is today or tomorrow.
        case receptionBooked = "reception_booked"
        case receptionSoon = "reception_soon"
    }

    /// Tells people about an appeal, in the transaction of the change.
    static func notify(_ accounts: [UUID], kind: Kind, appeal: Int, on sql: any SQLDatabase) async throws {
        try await insert(accounts, kind: kind, about: "appeal_id", id: appeal, dedupe: nil, on: sql)
    }

    /// Tells people about a meeting (a reception), in the transaction of the change.
    static func notify(_ accounts: [UUID], kind: Kind, meeting: Int, dedupe: String? = nil, on sql: any SQLDatabase) async throws {
        try await insert(accounts, kind: kind, about: "meeting_id", id: meeting, dedupe: dedupe, on: sql)
    }

    static func notify(_ accounts: [UUID], kind: Kind, assignment: Int, dedupe: String? = nil,
                       on db: any Database) async throws {
        try await insert(accounts, kind: kind, about: "assignment_id", id: assignment, dedupe: dedupe, on: db.sql)
    }

    /// One statement for all of them, each notification naming what it is about (`column`);
    /// with `dedupe`, each carries `dedupe:account`, unique, so it is written once.
    private static func insert(_ accounts: [UUID], kind: Kind, about column: String, id: Int, dedupe: String?,
                               on sql: any SQLDatabase) async throws {
        let people = Set(accounts).sorted { $0.uuidString < $1.uuidString }
        guard !people.isEmpty else { return }
        let now = KazakhstanTime.nowMilliseconds()
        let insert = sql.insert(into: NotificationRecord.schema).columns("account_id", "kind", column, "created_at", "dedupe_key")
        for account in people {
            insert.values(SQLBind(account), SQLBind(kind.rawValue), SQLBind(id), SQLBind(now), SQLBind(dedupe.map { "\($0):\(account)" }))
        }
        try await insert.run()
    }

    /// Deputies who review in a territory: maslikhat and national deputies whose scope holds it.
    static func reviewers(of territory: KATOCode, tree: TerritoryTree, on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        let codes = [territory.value] + tree.ancestors(of: territory).map(\.code.value)
        return try await db.sql.select().column("id").from(Account.schema)
            .where("role", .in, SQLBind.group([Role.maslikhatDeputy.rawValue, Role.nationalDeputy.rawValue]))
            .where("active", .equal, SQLBind(true))
            .where { $0.where("territory_id", .in, SQLBind.group(codes)).orWhere("territory_id", .is, SQLLiteral.null) }
            .all(decoding: Row.self).map(\.id)
    }

    /// Akimat officers who report on an assignment.
    static func reporters(territory: KATOCode, body: Int?, tree: TerritoryTree, on db: any Database) async throws -> [UUID] {
        let codes = [territory.value] + tree.ancestors(of: territory).map(\.code.value)
        let accounts = try await Account.query(on: db)
            .filter(\.$roleName == Role.akimatOfficer.rawValue)
            .filter(\.$active == true)
            .filter(\.$territoryID ~~ codes)
            .all()
        // A department's assignment also goes to the officers of its akimat.
        let parent = try await body.asyncFlatMap { try await BodyRecord.find($0, on: db)?.parentID }
        return accounts.filter { $0.bodyID == nil || $0.bodyID == body || ($0.bodyID != nil && $0.bodyID == parent) }.compactMap(\.id)
    }

    /// Writes the deadline notifications due today (5 working days before, and the day after
    /// a deadline), once each: a repeated sweep finds them already written.
    @discardableResult
    static func sweepDeadlines(today: CivilDate, calendar: WorkingCalendar, tree: TerritoryTree,
                               on db: any Database) async throws -> Int {
        let soon = calendar.adding(workingDays: 5, to: today)
        let open = AssignmentStatus.allCases.filter { !$0.isFinal && $0 != .reportSubmitted }.map(\.rawValue)
        let due = try await Assignment.query(on: db)
            .filter(\.$statusName ~~ open)
            .filter(\.$deadline >= today.adding(days: -1).description)
            .filter(\.$deadline <= soon.description)
            .limit(20_000).all()
        var written = 0
        for assignment in due {
            guard let territory = assignment.territory, let id = assignment.id,
                  let deadline = try? CivilDate(assignment.deadline) else { continue }
            let kind: Kind
            if deadline < today { kind = .deadlinePassed }
            else if deadline <= soon { kind = .deadlineSoon }
            else { continue }
            let key = "\(kind.rawValue):\(id):\(assignment.deadline)"
            if try await NotificationRecord.query(on: db).filter(\.$dedupeKey >= key).filter(\.$dedupeKey < key + "~").count() > 0 {
                continue
            }
            let people = try await reporters(territory: territory, body: assignment.bodyID, tree: tree, on: db)
            try await notify(people, kind: kind, assignment: id, dedupe: key, on: db)
            written += people.count
        }
        return written
    }
}

extension Notifications {
    /// Working days before a road map's due day when its body is reminded.
    static let roadMapReminderDays = 3

    /// Reminds the bodies that owe a road map (from `roadMapReminderDays` working days before
    /// it is due, and after), once per assignment and due day.
    @discardableResult
    static func sweepRoadMaps(today: CivilDate, calendar: WorkingCalendar, snapshot: RegisterSnapshot, tree: TerritoryTree,
                              on db: any Database) async throws -> Int {
        let remindFrom = calendar.adding(workingDays: roadMapReminderDays, to: today)
        var written = 0
        for entry in snapshot.index.entries where entry.lacksRoadMap {
            guard let due = entry.roadMapDue, due <= remindFrom, let territory = try? KATOCode(number: entry.territory) else { continue }
            let key = "\(Kind.roadMapDue.rawValue):\(entry.id):\(due)"
            if try await NotificationRecord.query(on: db).filter(\.$dedupeKey >= key).filter(\.$dedupeKey < key + "~").count() > 0 {
                continue
            }
            let people = try await reporters(territory: territory, body: entry.bodyID, tree: tree, on: db)
            try await notify(people, kind: .roadMapDue, assignment: entry.id, dedupe: key, on: db)
            written += people.count
        }
        return written
    }
}

extension Notifications {
    /// Reminds every resident who booked a slot of a reception held today or tomorrow, once
    /// per booking: a repeated sweep (or another server's) finds the reminder written.
    @discardableResult
    static func sweepReceptions(today: CivilDate, on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var meeting_id: Int; var account_id: UUID }
        let due = try await sql.select().columns(SQLColumn("meeting_id", table: "b"), SQLColumn("account_id", table: "b"))
            .from(SQLAlias(SQLIdentifier("reception_bookings"), as: SQLIdentifier("b")))
            .join(SQLAlias(SQLIdentifier("meetings"), as: SQLIdentifier("m")), on: SQLColumn("id", table: "m"), .equal, SQLColumn("meeting_id", table: "b"))
            .where(SQLColumn("starts_at", table: "m"), .greaterThanOrEqual, SQLBind(today.description))
            .where(SQLColumn("starts_at", table: "m"), .lessThan, SQLBind(today.adding(days: 2).description))
            .limit(20_000).all(decoding: Row.self)
        var written = 0
        for booking in due {
            let key = "\(Kind.receptionSoon.rawValue):\(booking.meeting_id)"
            if try await sql.select().column("id").from(NotificationRecord.schema)
                .where("dedupe_key", .equal, SQLBind("\(key):\(booking.account_id)")).first() != nil {
                continue
            }
            try await notify([booking.account_id], kind: .receptionSoon, meeting: booking.meeting_id, dedupe: key, on: sql)
            written += 1
        }
        return written
    }
}

/// Runs the deadline sweep while the server runs: once at start, then every `interval`, so
/// "deadline in 5 working days" and "deadline passed" arrive without anyone loading a page.
enum DeadlineSweeper {
    static func task(interval: Duration) -> RepeatingTask {
        // One server at a time sweeps: the one holding the lease, which lasts a little longer
        // than a turn so that its holder keeps it while it lives and another takes over after.
        let holder = UUID().uuidString
        let seconds = Double(interval.components.seconds) * 1.5 + 5
        return RepeatingTask("deadline sweep", every: interval) { app in
            guard let sql = app.db as? any SQLDatabase,
                  try await Lease.acquire("deadline-sweep", holder: holder, seconds: seconds, db: sql) else { return }
            var written = try await Notifications.sweepDeadlines(
                today: app.aimaq.clock.today(), calendar: app.aimaq.calendar,
                tree: app.aimaq.territories.tree, on: app.db)
            written += try await Notifications.sweepRoadMaps(
                today: app.aimaq.clock.today(), calendar: app.aimaq.calendar, snapshot: try await app.aimaq.register.current(sql),
                tree: app.aimaq.territories.tree, on: app.db)
            written += try await Notifications.sweepReceptions(today: app.aimaq.clock.today(), on: sql)
            if written > 0 { app.logger.notice("deadline sweep: \(written) notification(s) written") }
        }
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
