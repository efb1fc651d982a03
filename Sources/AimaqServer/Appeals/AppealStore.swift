import AimaqCore
import Fluent
import Foundation
import SQLKit
import Synchronization
import Vapor

/// A topic of the appeals' classification, and the instruction category that routes it.
struct AppealTopic: Sendable {
    var key: String
    var category: InstructionCategory?
    var name: LocalizedName

    /// The bundled classification (`appeal-topics.csv`), read once.
    static let all: [AppealTopic] = {
        guard let text = try? BundledFile.text("appeal-topics.csv"),
              let records = try? CSVReader().records(text, required: ["key", "category", "name_kk", "name_ru", "name_en"]) else { return [] }
        return records.map { record in
            AppealTopic(key: record["key"], category: InstructionCategory(rawValue: record["category"]),
                        name: LocalizedName(kk: record["name_kk"], ru: record["name_ru"], en: record["name_en"]))
        }
    }()

    static func named(_ key: String) -> AppealTopic? { all.first { $0.key == key } }
}

/// One step of an appeal's life, kept with it so that an escalation loses no earlier answer.
struct AppealStep: Codable, Sendable, Equatable {
    var on: String
    var kind: String  // registered, extended, answered, rated, escalated, assigned
    var body: Int?
    var text: String?
}

/// An appeal (or an issue raised, or a mandate) as stored.
struct AppealRecord: Sendable {
    var id: Int
    var number: String
    var channel: AppealChannel
    var territory: KATOCode
    var district: KATOCode
    var topic: String
    var bodyID: Int?
    var authorID: UUID?
    var authorName: String?
    var text: String
    var publishable: Bool
    /// The text as the public may read it: only when the author allowed it, with personal data
    /// hidden (masked once, when stored).
    var publicText: String?
    var status: AppealStatus
    var registeredOn: CivilDate
    var deadline: CivilDate
    var extensions: Int
    var extensionReason: String?
    var answeredOn: CivilDate?
    var answer: String?
    var rating: Int?
    var ratingNote: String?
    var escalations: Int
    var groupID: Int?
    var meetingID: Int?
    var assignmentID: Int?
    var electoralDistrict: String?
    var history: [AppealStep]
    var demo: Bool
    /// The deputy the appeal was addressed to, if any.
    var deputyID: UUID? = nil
    /// How to tell whoever raised an issue at a meeting (staff only).
    var contact: String? = nil

    func timeliness(today: CivilDate) -> AppealTimeliness {
        AppealTimeliness.of(status: status, deadline: deadline, answeredOn: status == .answered ? answeredOn : nil, today: today)
    }

    /// What the public may read of a text: nothing unless its author allowed it, and never
    /// their name, contacts or numbers.
    static func published(_ text: String, publishable: Bool, author: String?) -> String? {
        publishable ? PersonalData.masked(text, names: author.map { [$0] } ?? []) : nil
    }
}

/// Appeals (plain SQL). Every change is an audited write; the audit entries hold numbers,
/// topics and bodies, never the text or the person.
enum AppealStore {
    static let columns = ["id", "number", "channel", "territory_id", "district_id", "topic", "body_id", "author_id", "author_name",
                          "text", "publishable", "public_text", "status", "registered_on", "deadline", "extensions", "extension_reason",
                          "answered_on", "answer", "rating", "rating_note", "escalations", "group_id", "meeting_id",
                          "assignment_id", "electoral_district", "history", "demo", "deputy_id", "contact"]

    struct Row: Decodable {
        var id: Int
        var number: String?
        var channel: String
        var territory_id: Int
        var district_id: Int
        var topic: String
        var body_id: Int?
        var author_id: UUID?
        var author_name: String?
        var text: String?
        var publishable: Bool
        var public_text: String?
        var status: String
        var registered_on: String
        var deadline: String
        var extensions: Int
        var extension_reason: String?
        var answered_on: String?
        var answer: String?
        var rating: Int?
        var rating_note: String?
        var escalations: Int
        var group_id: Int?
        var meeting_id: Int?
        var assignment_id: Int?
        var electoral_district: String?
        var history: String?
        var demo: Bool
        var deputy_id: UUID?
        var contact: String?

        var record: AppealRecord? {
            guard let channel = AppealChannel(rawValue: channel), let status = AppealStatus(rawValue: status),
                  let territory = try? KATOCode(number: territory_id), let district = try? KATOCode(number: district_id),
                  let registered = try? CivilDate(registered_on), let deadline = try? CivilDate(deadline) else { return nil }
            return AppealRecord(
                id: id, number: number ?? "", channel: channel, territory: territory, district: district, topic: topic,
                bodyID: body_id, authorID: author_id, authorName: author_name, text: text ?? "", publishable: publishable, publicText: public_text, status: status,
                registeredOn: registered, deadline: deadline, extensions: extensions, extensionReason: extension_reason,
                answeredOn: answered_on.flatMap { try? CivilDate($0) }, answer: answer, rating: rating, ratingNote: rating_note,
                escalations: escalations, groupID: group_id, meetingID: meeting_id, assignmentID: assignment_id,
                electoralDistrict: electoral_district,
                history: history.flatMap { try? JSONDecoder().decode([AppealStep].self, from: Data($0.utf8)) } ?? [], demo: demo,
                deputyID: deputy_id, contact: contact)
        }
    }

    static func select(_ sql: any SQLDatabase) -> SQLSelectBuilder {
        sql.select().columns(columns.map { SQLIdentifier($0) }).from("appeals")
    }

    /// Lists show neither the full text nor the history: they are not read.
    static let listColumns = columns.filter { $0 != "text" && $0 != "history" && $0 != "contact" }

    /// Moves the appeals' version on, in the transaction of the change.
    static func bump(_ sql: any SQLDatabase) async throws {
        try await sql.update("appeal_revision")
            .set(SQLIdentifier("revision"), to: SQLBinaryExpression(SQLIdentifier("revision"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, SQLBind(1)).run()
    }

    /// The appeals' version: pages of appeals are kept rendered until it moves.
    static func revision(on sql: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var revision: Int }
        return try await sql.select().column("revision").from("appeal_revision").where("id", .equal, SQLBind(1))
            .first(decoding: Row.self)?.revision ?? 0
    }

    static func find(_ id: Int, on sql: any SQLDatabase) async throws -> AppealRecord? {
        try await select(sql).where("id", .equal, SQLBind(id)).first(decoding: Row.self)?.record
    }

    static func encode(_ history: [AppealStep]) -> String {
        String(decoding: (try? JSONEncoder().encode(history)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// What a new appeal carries; the store adds the number, the deadline and the group.
    struct NewAppeal: Sendable {
        var channel: AppealChannel
        var territory: KATOCode
        var district: KATOCode
        var topic: String
        var bodyID: Int?
        var authorID: UUID?
        var authorName: String?
        var text: String
        var publishable: Bool
        var registeredOn: CivilDate
        var deadline: CivilDate
        var meetingID: Int? = nil
        var electoralDistrict: String? = nil
        var demo = false
        var deputyID: UUID? = nil
        var contact: String? = nil
        /// Files the author sent, already stored (rows are written with the appeal).
        var files: [EvidenceStore.Stored] = []
    }

    /// The stored appeals a new one may join (the same district and topic, registered within a
    /// year; with `after`, only those stored since that id), each with its group and the stems
    /// of its text: texts never change, so their stems are kept by `stems` and only texts not
    /// seen before are read and cut.
    static func bucket(district: KATOCode, topic: String, since: CivilDate, after: Int = 0, excluding id: Int? = nil, stems: StemCache,
                       on sql: any SQLDatabase) async throws -> [(id: Int, group: Int, terms: [Int32])] {
        struct Member: Decodable { var id: Int; var group_id: Int? }
        struct Text: Decodable { var id: Int; var text: String }
        var query = sql.select().columns("id", "group_id").from("appeals")
            .where("district_id", .equal, SQLBind(district.value)).where("topic", .equal, SQLBind(topic))
            .where("registered_on", .greaterThanOrEqual, SQLBind(since.description))
        if after > 0 { query = query.where("id", .greaterThan, SQLBind(after)) }
        if let id { query = query.where("id", .notEqual, SQLBind(id)) }
        let members = try await query.orderBy("id").all(decoding: Member.self)
        var known = stems.lookup(members.map(\.id))
        let missing = members.map(\.id).filter { known[$0] == nil }
        for start in stride(from: 0, to: missing.count, by: 500) {
            let chunk = Array(missing[start..<min(missing.count, start + 500)])
            let texts = try await sql.select().columns("id", "text").from("appeals").where("id", .in, SQLBind.group(chunk))
                .all(decoding: Text.self)
            let cut = stems.store(Dictionary(uniqueKeysWithValues: texts.map { ($0.id, SimilarAppeals.stems($0.text)) }))
            known.merge(cut) { _, new in new }
        }
        return members.map { (id: $0.id, group: $0.group_id ?? $0.id, terms: known[$0.id] ?? []) }
    }

    /// Registers an appeal: its number, its place among similar ones, one audit entry. Its
    /// bucket of similar appeals is read before the transaction, through `reading` (the
    /// writer's own connection when not given), so that writes wait for one another only
    /// while the appeals stored since are read.
    static func register(_ appeal: NewAppeal, actor: String, stems: StemCache = StemCache(), reading: (any SQLDatabase)? = nil,
                         on writer: AuditLog.Writer) async throws -> AppealRecord {
        let cut = SimilarAppeals.stems(appeal.text)
        let since = appeal.registeredOn.adding(days: -365)
        let earlier = try await bucket(district: appeal.district, topic: appeal.topic, since: since, stems: stems,
                                       on: reading ?? writer.database.sql)
        let seen = earlier.last?.id ?? 0
        let id = try await AuditLog.record(on: writer, actor: actor) { db -> (Int, AuditEvent) in
            let sql = try db.sql
            let history = [AppealStep(on: appeal.registeredOn.description, kind: "registered", body: appeal.bodyID, text: nil)]
            let id = try await sql.insert(into: "appeals")
                .columns("channel", "territory_id", "district_id", "region_id", "topic", "body_id", "author_id", "author_name",
                         "text", "publishable", "public_text", "status", "registered_on", "deadline", "extensions", "escalations", "meeting_id",
                         "electoral_district", "history", "created_at", "demo", "deputy_id", "contact")
                .values(SQLBind(appeal.channel.rawValue), SQLBind(appeal.territory.value), SQLBind(appeal.district.value),
                        SQLBind(appeal.territory.regionNumber), SQLBind(appeal.topic), SQLBind(appeal.bodyID), SQLBind(appeal.authorID),
                        SQLBind(appeal.authorName), SQLBind(appeal.text), SQLBind(appeal.publishable),
                        SQLBind(AppealRecord.published(appeal.text, publishable: appeal.publishable, author: appeal.authorName)),
                        SQLBind(AppealStatus.registered.rawValue), SQLBind(appeal.registeredOn.description),
                        SQLBind(appeal.deadline.description), SQLBind(0), SQLBind(0), SQLBind(appeal.meetingID),
                        SQLBind(appeal.electoralDistrict), SQLBind(encode(history)), SQLBind(KazakhstanTime.nowMilliseconds()),
                        SQLBind(appeal.demo), SQLBind(appeal.deputyID), SQLBind(appeal.contact))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            let number = AppealNumber.make(region: appeal.territory.regionNumber, year: appeal.registeredOn.year, sequence: id)
            let newer = try await bucket(district: appeal.district, topic: appeal.topic, since: since, after: seen, excluding: id,
                                         stems: stems, on: sql)
            let terms = stems.terms(cut)
            let group = SimilarAppeals.place(terms: terms, among: (earlier + newer).map { (group: $0.group, terms: $0.terms) },
                                             termCount: stems.termCount) ?? id
            try await sql.update("appeals").set("number", to: SQLBind(number)).set("group_id", to: SQLBind(group))
                .where("id", .equal, SQLBind(id)).run()
            try await AppealFiles.attach(appeal.files, appeal: id, purpose: .appeal, on: sql)
            if let deputy = appeal.deputyID { try await Notifications.notify([deputy], kind: .appealAddressed, appeal: id, on: sql) }
            try await bump(sql)
            return (id, AuditEvent(action: "appeal.register", entity: "appeal", entityID: String(id), before: nil,
                                   after: "{\"number\":\"\(number)\",\"channel\":\"\(appeal.channel.rawValue)\",\"topic\":\"\(appeal.topic)\",\"body\":\(appeal.bodyID.map(String.init) ?? "null"),\"group\":\(group)}"))
        }
        // Kept only once the appeal is stored (a retried or failed transaction leaves no stems).
        stems.store([id: cut])
        // Read back where the bucket was read: the transactions' connection is free for the next.
        guard let record = try await find(id, on: reading ?? writer.database.sql) else { throw Abort(.internalServerError) }
        return record
    }

    /// Answers appeals (one, or every one of a group still awaiting its answer from the same body).
    /// Returns how many were answered.
    static func answer(_ ids: [Int], text: String, files: [EvidenceStore.Stored] = [], by actor: String, on day: CivilDate,
                       writer: AuditLog.Writer) async throws -> Int {
        try await AuditLog.record(on: writer, actor: actor) { db -> (Int, AuditEvent) in
            let sql = try db.sql
            let rows = try await select(sql).where("id", .in, SQLBind.group(ids)).all(decoding: Row.self).compactMap(\.record)
            var answered: [String] = []
            for appeal in rows where appeal.status.awaitsAnswer {
                let history = appeal.history + [AppealStep(on: day.description, kind: "answered", body: appeal.bodyID, text: text)]
                try await sql.update("appeals").set("status", to: SQLBind(AppealStatus.answered.rawValue))
                    .set("answer", to: SQLBind(text)).set("answered_on", to: SQLBind(day.description))
                    .set("answered_by", to: SQLBind(actor)).set("history", to: SQLBind(encode(history)))
                    .where("id", .equal, SQLBind(appeal.id)).run()
                answered.append(appeal.number)
                // The evidence goes with each answer; whoever raised it is told.
                try await AppealFiles.attach(files, appeal: appeal.id, purpose: .answer, on: sql)
                if let author = appeal.authorID { try await Notifications.notify([author], kind: .appealAnswered, appeal: appeal.id, on: sql) }
            }
            try await bump(sql)
            return (answered.count, AuditEvent(action: "appeal.answer", entity: "appeal", entityID: ids.map(String.init).joined(separator: ","),
                                               before: nil, after: "{\"answered\":\(answered.count),\"on\":\"\(day)\"}"))
        }
    }

    /// A change of one appeal's state, with the step it adds to its history.
    static func change(_ appeal: AppealRecord, action: String, step: AppealStep, set values: [String: any Encodable & Sendable],
                       tell: Notifications.Kind? = nil, actor: String, writer: AuditLog.Writer) async throws {
        try await AuditLog.record(on: writer, actor: actor) { db -> (Void, AuditEvent) in
            let sql = try db.sql
            var update = sql.update("appeals").set("history", to: SQLBind(encode(appeal.history + [step])))
            for (column, value) in values.sorted(by: { $0.key < $1.key }) { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
            try await update.where("id", .equal, SQLBind(appeal.id)).run()
            if let tell, let author = appeal.authorID { try await Notifications.notify([author], kind: tell, appeal: appeal.id, on: sql) }
            try await bump(sql)
            let after = values.keys.sorted().filter { !["answer", "rating_note", "extension_reason"].contains($0) }
                .map { "\"\($0)\":\"\(values[$0].map { "\($0)" } ?? "")\"" }.joined(separator: ",")
            return ((), AuditEvent(action: action, entity: "appeal", entityID: String(appeal.id), before: "{\"status\":\"\(appeal.status.rawValue)\"}",
                                   after: "{\(after)}"))
        }
    }

    /// Appeals by filter, newest first, one page at a time.
    struct Filter: Sendable {
        var bodies: [Int]? = nil
        var author: UUID? = nil
        var territory: KATOCode? = nil
        var topic: String? = nil
        var status: AppealStatus? = nil
        var awaiting = false
        var overdueOn: CivilDate? = nil
        var publishedOnly = false
        var group: Int? = nil
        var meeting: Int? = nil
        var channel: AppealChannel? = nil
        var deputy: UUID? = nil
    }

    static func filtered(_ query: SQLSelectBuilder, _ filter: Filter) -> SQLSelectBuilder {
        var query = query
        if let bodies = filter.bodies { query = query.where("body_id", .in, SQLBind.group(bodies.isEmpty ? [-1] : bodies)) }
        if let author = filter.author { query = query.where("author_id", .equal, SQLBind(author)) }
        if let territory = filter.territory {
            let range = territory.subtree
            query = query.where("territory_id", .greaterThanOrEqual, SQLBind(range.lowerBound))
                .where("territory_id", .lessThan, SQLBind(range.upperBound))
        }
        if let topic = filter.topic { query = query.where("topic", .equal, SQLBind(topic)) }
        if let status = filter.status { query = query.where("status", .equal, SQLBind(status.rawValue)) }
        if filter.awaiting || filter.overdueOn != nil {
            query = query.where("status", .in, SQLBind.group(AppealStatus.allCases.filter(\.awaitsAnswer).map(\.rawValue)))
        }
        if let day = filter.overdueOn { query = query.where("deadline", .lessThan, SQLBind(day.description)) }
        if filter.publishedOnly { query = query.where("publishable", .equal, SQLBind(true)) }
        if let group = filter.group { query = query.where("group_id", .equal, SQLBind(group)) }
        if let meeting = filter.meeting { query = query.where("meeting_id", .equal, SQLBind(meeting)) }
        if let channel = filter.channel { query = query.where("channel", .equal, SQLBind(channel.rawValue)) }
        if let deputy = filter.deputy { query = query.where("deputy_id", .equal, SQLBind(deputy)) }
        return query
    }

    static func list(_ filter: Filter, page: Int = 1, per: Int = 50, oldestDeadlineFirst: Bool = false,
                     on sql: any SQLDatabase) async throws -> (items: [AppealRecord], total: Int) {
        struct Count: Decodable { var n: Int }
        var query = filtered(sql.select().columns(listColumns.map { SQLIdentifier($0) }).from("appeals"), filter)
        query = oldestDeadlineFirst ? query.orderBy("deadline").orderBy("id") : query.orderBy("id", .descending)
        let items = try await query.limit(per).offset(max(0, page - 1) * per).all(decoding: Row.self).compactMap(\.record)
        let total = try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("appeals"), filter)
            .first(decoding: Count.self)?.n ?? 0
        return (items, total)
    }

    /// How many appeals of each group (among the given groups) still await an answer.
    static func groupSizes(_ groups: [Int], on sql: any SQLDatabase) async throws -> [Int: Int] {
        guard !groups.isEmpty else { return [:] }
        struct Size: Decodable { var group_id: Int; var n: Int }
        return try await sql.select().column("group_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("appeals")
            .where("group_id", .in, SQLBind.group(Array(Set(groups))))
            .groupBy("group_id").all(decoding: Size.self).reduce(into: [:]) { $0[$1.group_id] = $1.n }
    }

    /// Regroups every appeal from scratch, bucket by bucket (district and topic). Returns the
    /// number of appeals and of groups.
    static func regroup(on db: any Database, progress: (Int, Int) -> Void = { _, _ in }) async throws -> (appeals: Int, groups: Int) {
        struct Item: Decodable { var id: Int; var district_id: Int; var topic: String; var text: String; var group_id: Int? }
        let sql = try db.sql
        let items = try await sql.select().columns("id", "district_id", "topic", "text", "group_id").from("appeals").orderBy("id")
            .all(decoding: Item.self)
        var buckets: [String: [SimilarAppeals.Text]] = [:]
        var old: [Int: Int?] = [:]
        for item in items {
            buckets["\(item.district_id)/\(item.topic)", default: []].append(SimilarAppeals.Text(id: item.id, text: item.text))
            old[item.id] = item.group_id
        }
        var changed: [Int: [Int]] = [:]
        var groups = 0
        var done = 0
        for texts in buckets.values {
            let grouping = SimilarAppeals.group(texts)
            groups += Set(grouping.values).count
            for (id, group) in grouping where old[id] != group { changed[group, default: []].append(id) }
            done += texts.count
            progress(done, items.count)
        }
        let moves = changed
        try await db.transaction { db in
            let sql = try db.sql
            for (group, ids) in moves {
                for chunk in stride(from: 0, to: ids.count, by: 500) {
                    try await sql.update("appeals").set("group_id", to: SQLBind(group))
                        .where("id", .in, SQLBind.group(Array(ids[chunk..<min(ids.count, chunk + 500)]))).run()
                }
            }
            try await bump(sql)
        }
        return (items.count, groups)
    }
}

/// The stems of stored appeals' texts, by appeal id (a text never changes once stored). Bounded:
/// past its capacity it starts again empty, and stems are cut anew from the texts.
final class StemCache: Sendable {
    private struct State {
        var entries: [Int: [Int32]] = [:]
        /// Stems numbered once for all (stems are at most four letters: their number stays small).
        var terms = SimilarAppeals.Terms()
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 250_000) {
        self.capacity = capacity
    }

    func lookup(_ ids: [Int]) -> [Int: [Int32]] {
        state.withLock { state in
            var found: [Int: [Int32]] = [:]
            for id in ids { if let terms = state.entries[id] { found[id] = terms } }
            return found
        }
    }

    /// Keeps the stems of stored texts, numbered; returns them so.
    @discardableResult
    func store(_ stems: [Int: [String]]) -> [Int: [Int32]] {
        state.withLock { state in
            if state.entries.count + stems.count > capacity { state.entries.removeAll() }
            var numbered: [Int: [Int32]] = [:]
            for (id, text) in stems {
                let terms = state.terms.ids(text)
                numbered[id] = terms
                state.entries[id] = terms
            }
            return numbered
        }
    }

    /// Stems numbered as the kept ones are, without keeping them.
    func terms(_ stems: [String]) -> [Int32] {
        state.withLock { $0.terms.ids(stems) }
    }

    /// Every number given so far is below this.
    var termCount: Int { state.withLock { $0.terms.count } }

    var count: Int { state.withLock { $0.entries.count } }
}
