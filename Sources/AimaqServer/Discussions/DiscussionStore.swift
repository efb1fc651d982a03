import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A discussion as stored: where and by whom, its title and its schedule.
struct DiscussionRecord: Sendable {
    var id: Int
    /// None: the whole country.
    var territory: KATOCode?
    var bodyID: Int?
    var title: LocalizedName
    var schedule: DiscussionSchedule
    var demo: Bool
    /// Raised with every change the draft page shows (see `DiscussionStore.touch`).
    var revision: Int = 0
}

/// One stored version of a discussion's draft.
struct DraftVersionRecord: Sendable {
    var number: Int
    var document: DraftDocument
    var createdAt: Int64
}

/// Reading and writing discussions and their drafts (plain SQL; every write audited).
enum DiscussionStore {
    private struct Row: Decodable {
        var id: Int
        var territory_id: Int?
        var body_id: Int?
        var title_kk: String, title_ru: String, title_en: String
        var opens: String, expert_review: String, dispositions: String, closes: String
        var demo: Bool
        var revision: Int

        var record: DiscussionRecord? {
            let territory = territory_id.flatMap { try? KATOCode(number: $0) }
            guard let opens = try? CivilDate(opens), let expert = try? CivilDate(expert_review),
                  let dispositions = try? CivilDate(dispositions), let closes = try? CivilDate(closes),
                  let schedule = try? DiscussionSchedule(opens: opens, expertReview: expert, dispositions: dispositions,
                                                         closes: closes) else { return nil }
            return DiscussionRecord(id: id, territory: territory, bodyID: body_id,
                                    title: LocalizedName(kk: title_kk, ru: title_ru, en: title_en), schedule: schedule, demo: demo,
                                    revision: revision)
        }
    }

    static func all(on sql: any SQLDatabase) async throws -> [DiscussionRecord] {
        try await sql.select().column("*").from("discussions").orderBy("opens", .descending)
            .all(decoding: Row.self).compactMap(\.record)
    }

    static func find(_ id: Int, on sql: any SQLDatabase) async throws -> DiscussionRecord? {
        try await sql.select().column("*").from("discussions").where("id", .equal, SQLBind(id))
            .first(decoding: Row.self)?.record
    }

    /// The numbers of the versions, oldest first.
    static func versionNumbers(_ id: Int, on sql: any SQLDatabase) async throws -> [Int] {
        struct Number: Decodable { var number: Int }
        return try await sql.select().column("number").from("draft_versions").where("discussion_id", .equal, SQLBind(id))
            .orderBy("number").all(decoding: Number.self).map(\.number)
    }

    static func version(_ id: Int, number: Int, on sql: any SQLDatabase) async throws -> DraftVersionRecord? {
        struct Version: Decodable { var number: Int; var document: String; var created_at: Int64 }
        guard let row = try await sql.select().columns("number", "document", "created_at").from("draft_versions")
            .where("discussion_id", .equal, SQLBind(id)).where("number", .equal, SQLBind(number))
            .first(decoding: Version.self) else { return nil }
        let document = try JSONDecoder().decode(DraftDocument.self, from: Data(row.document.utf8))
        return DraftVersionRecord(number: row.number, document: document, createdAt: row.created_at)
    }

    static func create(_ record: DiscussionRecord, actor: String, on db: any Database) async throws -> Int {
        try await AuditLog.record(on: db, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "discussions")
                .columns("territory_id", "body_id", "title_kk", "title_ru", "title_en", "opens", "expert_review",
                         "dispositions", "closes", "demo")
                .values(SQLBind(record.territory?.value), SQLBind(record.bodyID), SQLBind(record.title.kk),
                        SQLBind(record.title.ru), SQLBind(record.title.en), SQLBind(record.schedule.opens.description),
                        SQLBind(record.schedule.expertReview.description), SQLBind(record.schedule.dispositions.description),
                        SQLBind(record.schedule.closes.description), SQLBind(record.demo))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            return (id, AuditEvent(action: "discussion.create", entity: "discussion", entityID: String(id), before: nil,
                                   after: "{\"territory\":\(record.territory.map { String($0.value) } ?? "null"),\"opens\":\"\(record.schedule.opens)\"}"))
        }
    }

    /// Adds the next version of the draft; returns its number and what it changed against
    /// the version before (nil for the first).
    static func addVersion(_ document: DraftDocument, discussion id: Int, actor: String,
                           on db: any Database) async throws -> (number: Int, comparison: DraftComparison?) {
        let json = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        return try await AuditLog.record(on: db, actor: actor) { db -> ((number: Int, comparison: DraftComparison?), AuditEvent) in
            let numbers = try await versionNumbers(id, on: db.sql)
            let previous = try await numbers.last.asyncMap { try await version(id, number: $0, on: db.sql) }
            let number = (numbers.last ?? 0) + 1
            try await db.sql.insert(into: "draft_versions")
                .columns("discussion_id", "number", "document", "created_at", "created_by")
                .values(SQLBind(id), SQLBind(number), SQLBind(json), SQLBind(KazakhstanTime.nowMilliseconds()), SQLBind(actor))
                .run()
            try await touch(id, on: db)
            let comparison = previous.map { DraftComparison(from: $0.document, to: document) }
            let changed = comparison?.changedAnchors.count ?? document.articles.count
            return ((number, comparison), AuditEvent(action: "draft.version", entity: "discussion", entityID: String(id),
                                                     before: nil, after: "{\"version\":\(number),\"changed\":\(changed)}"))
        }
    }
}

extension DiscussionStore {
    /// Raises a discussion's revision (inside the transaction of the change).
    static func touch(_ id: Int, on db: any Database) async throws {
        try await db.sql.raw("UPDATE discussions SET revision = revision + 1 WHERE id = \(bind: id)").run()
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
