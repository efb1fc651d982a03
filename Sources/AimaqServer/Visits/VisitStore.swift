import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The kinds of meeting of a visit's programme (and a deputy's reception).
enum MeetingKind: String, Sendable, CaseIterable {
    case deputies, publicMeeting = "public", youth, business, ethnic, site, reception
}

/// A working trip of a delegation to a territory.
struct VisitRecord: Sendable {
    var id: Int
    var territory: KATOCode
    var title: LocalizedName
    var starts: CivilDate
    var ends: CivilDate
    var delegation: [String]
    var demo: Bool
}

/// One meeting or site visit: when, where, who, about what, and afterwards the minutes.
struct MeetingRecord: Sendable {
    var id: Int
    var visitID: Int?
    var kind: MeetingKind
    var territory: KATOCode
    /// Local time, `2026-01-08T10:00`.
    var startsAt: String
    var title: LocalizedName
    var address: String
    var participants: String
    var agenda: String
    var minutes: String?
    var objectID: Int?
    var demo: Bool
    /// A reception's slots of 15 minutes.
    var slots: Int? = nil
    /// The deputy who holds a reception, or who chaired a meeting.
    var hostID: UUID? = nil
    /// The body that holds the meeting (the calendar's filter by body).
    var bodyID: Int? = nil

    var day: CivilDate? { try? CivilDate(startsAt.prefix(10)) }
    var time: String { startsAt.count >= 16 ? String(startsAt.dropFirst(11).prefix(5)) : "" }
}

/// An object or investment project of the register.
struct TerritoryObjectRecord: Sendable {
    var id: Int
    var territory: KATOCode
    var kind: String
    var name: LocalizedName
    var bodyID: Int?
    /// Thousand tenge.
    var cost: Double?
    var funding: String
    var plannedStart: CivilDate?
    var plannedEnd: CivilDate?
    var actualEnd: CivilDate?
    var progress: Int
    var budgetLine: String?
    var instructionID: Int?
    var demo: Bool

    static let kinds = ["school", "clinic", "road", "water", "networks", "industrial_zone", "airport", "sport", "culture", "housing"]
    static let fundings = ["republican", "local", "private", "mixed"]
}

/// Visits, meetings and objects (plain SQL; every change audited).
enum VisitStore {
    private struct VisitRow: Decodable {
        var id: Int; var territory_id: Int; var title_kk: String; var title_ru: String; var title_en: String
        var starts: String; var ends: String; var delegation: String; var demo: Bool
        var record: VisitRecord? {
            guard let territory = try? KATOCode(number: territory_id), let starts = try? CivilDate(starts), let ends = try? CivilDate(ends)
            else { return nil }
            return VisitRecord(id: id, territory: territory, title: LocalizedName(kk: title_kk, ru: title_ru, en: title_en),
                               starts: starts, ends: ends, delegation: delegation.split(separator: "\n").map(String.init), demo: demo)
        }
    }

    private struct MeetingRow: Decodable {
        var id: Int; var visit_id: Int?; var kind: String; var territory_id: Int; var starts_at: String
        var title_kk: String; var title_ru: String; var title_en: String; var address: String; var participants: String
        var agenda: String; var minutes: String?; var object_id: Int?; var demo: Bool; var slots: Int?
        var host_id: UUID?; var body_id: Int?
        var record: MeetingRecord? {
            guard let kind = MeetingKind(rawValue: kind), let territory = try? KATOCode(number: territory_id) else { return nil }
            return MeetingRecord(id: id, visitID: visit_id, kind: kind, territory: territory, startsAt: starts_at,
                                 title: LocalizedName(kk: title_kk, ru: title_ru, en: title_en), address: address,
                                 participants: participants, agenda: agenda, minutes: minutes, objectID: object_id, demo: demo, slots: slots,
                                 hostID: host_id, bodyID: body_id)
        }
    }

    private struct ObjectRow: Decodable {
        var id: Int; var territory_id: Int; var kind: String; var name_kk: String; var name_ru: String; var name_en: String
        var body_id: Int?; var cost: Double?; var funding: String; var planned_start: String?; var planned_end: String?
        var actual_end: String?; var progress: Int; var budget_line: String?; var instruction_id: Int?; var demo: Bool
        var record: TerritoryObjectRecord? {
            guard let territory = try? KATOCode(number: territory_id) else { return nil }
            return TerritoryObjectRecord(
                id: id, territory: territory, kind: kind, name: LocalizedName(kk: name_kk, ru: name_ru, en: name_en), bodyID: body_id,
                cost: cost, funding: funding, plannedStart: planned_start.flatMap { try? CivilDate($0) },
                plannedEnd: planned_end.flatMap { try? CivilDate($0) }, actualEnd: actual_end.flatMap { try? CivilDate($0) },
                progress: progress, budgetLine: budget_line, instructionID: instruction_id, demo: demo)
        }
    }

    static func inSubtree(_ query: SQLSelectBuilder, _ territory: KATOCode?) -> SQLSelectBuilder {
        guard let territory else { return query }
        return query.where("territory_id", .greaterThanOrEqual, SQLBind(territory.subtree.lowerBound))
            .where("territory_id", .lessThan, SQLBind(territory.subtree.upperBound))
    }

    static func visits(in territory: KATOCode?, on sql: any SQLDatabase) async throws -> [VisitRecord] {
        try await inSubtree(sql.select().column("*").from("visits"), territory).orderBy("starts", .descending).orderBy("id", .descending)
            .all(decoding: VisitRow.self).compactMap(\.record)
    }

    /// The visits a person took part in: named in the delegation (one member per line, the
    /// line starting with the name), or hosting one of its meetings.
    static func visits(joinedBy name: String, hosting host: UUID, on sql: any SQLDatabase) async throws -> [VisitRecord] {
        struct Row: Decodable { var visit_id: Int }
        let hosted = Set(try await sql.select().distinct().column("visit_id").from("meetings").where("host_id", .equal, SQLBind(host))
            .where("visit_id", .isNot, SQLLiteral.null).all(decoding: Row.self).map(\.visit_id))
        let named = try await sql.select().column("*").from("visits")
            .where("delegation", .like, SQLBind("%" + name.replacingOccurrences(of: "%", with: "") + "%"))
            .orderBy("starts", .descending).limit(200).all(decoding: VisitRow.self).compactMap(\.record)
            .filter { $0.delegation.contains { $0 == name || $0.hasPrefix(name + " ") || $0.hasPrefix(name + ",") } }
        var found = named
        let missing = hosted.subtracting(named.map(\.id))
        if !missing.isEmpty {
            found += try await sql.select().column("*").from("visits").where("id", .in, SQLBind.group(Array(missing)))
                .all(decoding: VisitRow.self).compactMap(\.record)
        }
        return found.sorted { ($0.starts, $0.id) > ($1.starts, $1.id) }
    }

    static func visit(_ id: Int, on sql: any SQLDatabase) async throws -> VisitRecord? {
        try await sql.select().column("*").from("visits").where("id", .equal, SQLBind(id)).first(decoding: VisitRow.self)?.record
    }

    static func meetings(visit: Int, on sql: any SQLDatabase) async throws -> [MeetingRecord] {
        try await sql.select().column("*").from("meetings").where("visit_id", .equal, SQLBind(visit)).orderBy("starts_at").orderBy("id")
            .all(decoding: MeetingRow.self).compactMap(\.record)
    }

    /// Meetings between two days (inclusive), in a territory's subtree, in time order.
    static func meetings(from: CivilDate?, to: CivilDate?, in territory: KATOCode?, body: Int? = nil, host: UUID? = nil, limit: Int = 500,
                         on sql: any SQLDatabase) async throws -> [MeetingRecord] {
        var query = inSubtree(sql.select().column("*").from("meetings"), territory)
        if let body { query = query.where("body_id", .equal, SQLBind(body)) }
        if let host { query = query.where("host_id", .equal, SQLBind(host)) }
        if let from { query = query.where("starts_at", .greaterThanOrEqual, SQLBind(from.description)) }
        if let to { query = query.where("starts_at", .lessThan, SQLBind(to.adding(days: 1).description)) }
        return try await query.orderBy("starts_at").orderBy("id").limit(limit).all(decoding: MeetingRow.self).compactMap(\.record)
    }

    /// The bodies that hold meetings (the calendar's filter).
    static func meetingBodies(on sql: any SQLDatabase) async throws -> [Int] {
        struct Row: Decodable { var body_id: Int }
        return try await sql.select().distinct().column("body_id").from("meetings").where("body_id", .isNot, SQLLiteral.null)
            .orderBy("body_id").all(decoding: Row.self).map(\.body_id)
    }

    static func meeting(_ id: Int, on sql: any SQLDatabase) async throws -> MeetingRecord? {
        try await sql.select().column("*").from("meetings").where("id", .equal, SQLBind(id)).first(decoding: MeetingRow.self)?.record
    }

    static func objects(in territory: KATOCode?, on sql: any SQLDatabase) async throws -> [TerritoryObjectRecord] {
        try await inSubtree(sql.select().column("*").from("territory_objects"), territory).orderBy("territory_id").orderBy("id")
            .all(decoding: ObjectRow.self).compactMap(\.record)
    }

    static func object(_ id: Int, on sql: any SQLDatabase) async throws -> TerritoryObjectRecord? {
        try await sql.select().column("*").from("territory_objects").where("id", .equal, SQLBind(id)).first(decoding: ObjectRow.self)?.record
    }

    /// The objects with these ids, in one query.
    static func objects(_ ids: [Int], on sql: any SQLDatabase) async throws -> [TerritoryObjectRecord] {
        try await sql.select().column("*").from("territory_objects").where("id", .in, SQLBind.group(ids))
            .all(decoding: ObjectRow.self).compactMap(\.record)
    }

    /// Objects per region (the register's map).
    static func objectCounts(on sql: any SQLDatabase) async throws -> [Int: Int] {
        struct Row: Decodable { var territory_id: Int; var n: Int }
        // Grouped by territory and summed by region here: one row per territory, a few hundred.
        let rows = try await sql.select().column("territory_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("territory_objects").groupBy("territory_id").all(decoding: Row.self)
        return rows.reduce(into: [:]) { $0[$1.territory_id / 10_000_000, default: 0] += $1.n }
    }

    static func createVisit(_ visit: VisitRecord, actor: String, on writer: AuditLog.Writer) async throws -> Int {
        try await AuditLog.record(on: writer, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "visits")
                .columns("territory_id", "title_kk", "title_ru", "title_en", "starts", "ends", "delegation", "demo")
                .values(SQLBind(visit.territory.value), SQLBind(visit.title.kk), SQLBind(visit.title.ru), SQLBind(visit.title.en),
                        SQLBind(visit.starts.description), SQLBind(visit.ends.description),
                        SQLBind(visit.delegation.joined(separator: "\n")), SQLBind(visit.demo))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            return (id, AuditEvent(action: "visit.create", entity: "visit", entityID: String(id), before: nil,
                                   after: "{\"territory\":\(visit.territory.value),\"starts\":\"\(visit.starts)\",\"ends\":\"\(visit.ends)\"}"))
        }
    }

    static func addMeeting(_ meeting: MeetingRecord, actor: String, on writer: AuditLog.Writer) async throws -> Int {
        try await AuditLog.record(on: writer, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "meetings")
                .columns("visit_id", "kind", "territory_id", "starts_at", "title_kk", "title_ru", "title_en", "address", "participants",
                         "agenda", "minutes", "object_id", "demo", "slots", "host_id", "body_id")
                .values(SQLBind(meeting.visitID), SQLBind(meeting.kind.rawValue), SQLBind(meeting.territory.value), SQLBind(meeting.startsAt),
                        SQLBind(meeting.title.kk), SQLBind(meeting.title.ru), SQLBind(meeting.title.en), SQLBind(meeting.address),
                        SQLBind(meeting.participants), SQLBind(meeting.agenda), SQLBind(meeting.minutes), SQLBind(meeting.objectID),
                        SQLBind(meeting.demo), SQLBind(meeting.slots), SQLBind(meeting.hostID), SQLBind(meeting.bodyID))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            return (id, AuditEvent(action: "meeting.create", entity: "meeting", entityID: String(id), before: nil,
                                   after: "{\"visit\":\(meeting.visitID.map(String.init) ?? "null"),\"kind\":\"\(meeting.kind.rawValue)\",\"at\":\"\(meeting.startsAt)\"}"))
        }
    }

    /// The minutes' text (when given) and files: the minutes as signed, and photos.
    static func recordMinutes(_ meeting: Int, minutes: String?, files: [EvidenceStore.Stored] = [], photos: [EvidenceStore.Stored] = [],
                              actor: String, on writer: AuditLog.Writer) async throws {
        try await AuditLog.record(on: writer, actor: actor) { db -> (Void, AuditEvent) in
            if let minutes {
                try await db.sql.update("meetings").set("minutes", to: SQLBind(minutes)).where("id", .equal, SQLBind(meeting)).run()
            }
            try await AppealFiles.attach(files, meeting: meeting, purpose: .minutes, on: db.sql)
            try await AppealFiles.attach(photos, meeting: meeting, purpose: .photo, on: db.sql)
            return ((), AuditEvent(action: "meeting.minutes", entity: "meeting", entityID: String(meeting), before: nil,
                                   after: "{\"characters\":\(minutes?.count ?? 0),\"files\":\(files.count),\"photos\":\(photos.count)}"))
        }
    }

    /// A booked slot of a reception.
    struct Booking: Decodable, Sendable {
        var id: Int
        var slot: Int
        var account_id: UUID
        var name: String
        var topic: String
        var note: String
    }

    static func bookings(_ meeting: Int, on sql: any SQLDatabase) async throws -> [Booking] {
        try await sql.select().columns("id", "slot", "account_id", "name", "topic", "note").from("reception_bookings")
            .where("meeting_id", .equal, SQLBind(meeting)).orderBy("slot").all(decoding: Booking.self)
    }

    /// Books a slot; false when the slot is taken or the person has booked this reception (the
    /// database's unique keys decide across servers). The host, when known, is told.
    static func book(_ meeting: Int, slot: Int, account: UUID, name: String, topic: String, note: String, host: UUID?, actor: String,
                     on writer: AuditLog.Writer) async throws -> Bool {
        do {
            try await AuditLog.record(on: writer, actor: actor) { db -> (Void, AuditEvent) in
                try await db.sql.insert(into: "reception_bookings").columns("meeting_id", "slot", "account_id", "name", "topic", "note", "created_at")
                    .values(SQLBind(meeting), SQLBind(slot), SQLBind(account), SQLBind(name), SQLBind(topic), SQLBind(note),
                            SQLBind(KazakhstanTime.nowMilliseconds())).run()
                if let host { try await Notifications.notify([host], kind: .receptionBooked, meeting: meeting, on: db.sql) }
                return ((), AuditEvent(action: "reception.book", entity: "meeting", entityID: String(meeting), before: nil,
                                       after: "{\"slot\":\(slot),\"topic\":\"\(topic)\"}"))
            }
            return true
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return false
        }
    }

    /// Progress of an object: how far along, the planned end, the day it was finished.
    static func updateObject(_ id: Int, progress: Int, plannedEnd: CivilDate?, actualEnd: CivilDate?, actor: String,
                             on writer: AuditLog.Writer) async throws {
        try await AuditLog.record(on: writer, actor: actor) { db -> (Void, AuditEvent) in
            struct Row: Decodable { var progress: Int }
            let before = try await db.sql.select().column("progress").from("territory_objects").where("id", .equal, SQLBind(id))
                .first(decoding: Row.self)?.progress ?? 0
            try await db.sql.update("territory_objects").set("progress", to: SQLBind(progress))
                .set("planned_end", to: SQLBind(plannedEnd?.description)).set("actual_end", to: SQLBind(actualEnd?.description))
                .where("id", .equal, SQLBind(id)).run()
            return ((), AuditEvent(action: "object.progress", entity: "territory_object", entityID: String(id),
                                   before: "{\"progress\":\(before)}",
                                   after: "{\"progress\":\(progress),\"actual_end\":\(actualEnd.map { "\"\($0)\"" } ?? "null")}"))
        }
    }

    static func createObject(_ object: TerritoryObjectRecord, actor: String, on db: any Database) async throws -> Int {
        try await AuditLog.record(on: db, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "territory_objects")
                .columns("territory_id", "kind", "name_kk", "name_ru", "name_en", "body_id", "cost", "funding", "planned_start",
                         "planned_end", "actual_end", "progress", "budget_line", "instruction_id", "demo")
                .values(SQLBind(object.territory.value), SQLBind(object.kind), SQLBind(object.name.kk), SQLBind(object.name.ru),
                        SQLBind(object.name.en), SQLBind(object.bodyID), SQLBind(object.cost), SQLBind(object.funding),
                        SQLBind(object.plannedStart?.description), SQLBind(object.plannedEnd?.description),
                        SQLBind(object.actualEnd?.description), SQLBind(object.progress), SQLBind(object.budgetLine),
                        SQLBind(object.instructionID), SQLBind(object.demo))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            return (id, AuditEvent(action: "object.create", entity: "territory_object", entityID: String(id), before: nil,
                                   after: "{\"territory\":\(object.territory.value),\"kind\":\"\(object.kind)\"}"))
        }
    }
}
