import AimaqCore
import Fluent
import Foundation
import OpinionMap
import SQLKit
import Vapor

/// An opinion-map conversation: a question put to participants, on its own or as part of a
/// discussion of a draft, open between two dates.
struct ConversationRecord: Sendable {
    var id: Int
    var discussionID: Int?
    /// None: the whole country.
    var territory: KATOCode?
    var title: LocalizedName
    var opens: CivilDate
    var closes: CivilDate
    var demo: Bool
    /// Goes up with every change to the statements (submitted, approved, rejected).
    var revision: Int = 0

    func isOpen(on day: CivilDate) -> Bool { opens <= day && day <= closes }
    func hasOpened(on day: CivilDate) -> Bool { opens <= day }
}

/// A statement of a conversation (a "comment" in Polis's words).
struct StatementRecord: Sendable, Decodable {
    enum Status: String, Sendable, CaseIterable {
        case pending, approved, rejected
    }

    var id: Int
    var text: String
    var status: String
    var created_at: Int64
    var author_id: UUID?
    var external_id: Int?

    var statusValue: Status { Status(rawValue: status) ?? .pending }
}

/// One vote as it is stored: the latest vote of a participant on a statement counts.
struct Ballot: Sendable, Hashable {
    var conversation: Int
    var statement: Int
    var participant: Int
    var value: VoteValue
}

/// Reading and writing conversations (plain SQL). Statements and their moderation are audited;
/// votes are too many for the chain and are kept in their own table, in the order they were
/// stored, which is the history the Polis export gives.
enum ConversationStore {
    static let maxStatement = 280
    /// Orders vote batches across servers on PostgreSQL (see `AuditLog.unchained`).
    static let voteLock = 0x4F_504D_4150

    private struct Row: Decodable {
        var id: Int
        var discussion_id: Int?
        var territory_id: Int?
        var title_kk: String, title_ru: String, title_en: String
        var opens: String, closes: String
        var demo: Bool
        var revision: Int

        var record: ConversationRecord? {
            guard let opens = try? CivilDate(opens), let closes = try? CivilDate(closes) else { return nil }
            return ConversationRecord(id: id, discussionID: discussion_id, territory: territory_id.flatMap { try? KATOCode(number: $0) },
                                      title: LocalizedName(kk: title_kk, ru: title_ru, en: title_en), opens: opens, closes: closes,
                                      demo: demo, revision: revision)
        }
    }

    static func all(on sql: any SQLDatabase) async throws -> [ConversationRecord] {
        try await sql.select().column("*").from("conversations").orderBy("id", .descending)
            .all(decoding: Row.self).compactMap(\.record)
    }

    static func find(_ id: Int, on sql: any SQLDatabase) async throws -> ConversationRecord? {
        try await sql.select().column("*").from("conversations").where("id", .equal, SQLBind(id))
            .first(decoding: Row.self)?.record
    }

    static func of(discussion: Int, on sql: any SQLDatabase) async throws -> [ConversationRecord] {
        try await sql.select().column("*").from("conversations").where("discussion_id", .equal, SQLBind(discussion))
            .orderBy("id").all(decoding: Row.self).compactMap(\.record)
    }

    static func create(_ record: ConversationRecord, actor: String, on db: any Database) async throws -> Int {
        try await AuditLog.record(on: db, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "conversations")
                .columns("discussion_id", "territory_id", "title_kk", "title_ru", "title_en", "opens", "closes", "demo", "revision")
                .values(SQLBind(record.discussionID), SQLBind(record.territory?.value), SQLBind(record.title.kk),
                        SQLBind(record.title.ru), SQLBind(record.title.en), SQLBind(record.opens.description),
                        SQLBind(record.closes.description), SQLBind(record.demo), SQLBind(0))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            if let discussion = record.discussionID { try await DiscussionStore.touch(discussion, on: db) }
            return (id, AuditEvent(action: "conversation.create", entity: "conversation", entityID: String(id), before: nil,
                                   after: "{\"discussion\":\(record.discussionID.map(String.init) ?? "null"),\"title\":\(jsonString(record.title.en))}"))
        }
    }

    /// The revision of every conversation, to see which changed.
    static func revisions(on sql: any SQLDatabase) async throws -> [Int: Int] {
        struct Revision: Decodable { var id: Int; var revision: Int }
        let rows = try await sql.select().columns("id", "revision").from("conversations").all(decoding: Revision.self)
        return Dictionary(rows.map { ($0.id, $0.revision) }, uniquingKeysWith: { first, _ in first })
    }

    static func statements(_ conversation: Int, on sql: any SQLDatabase) async throws -> [StatementRecord] {
        try await sql.select().columns("id", "text", "status", "created_at", "author_id", "external_id")
            .from("conversation_statements").where("conversation_id", .equal, SQLBind(conversation))
            .orderBy("id").all(decoding: StatementRecord.self)
    }

    static func statement(_ id: Int, conversation: Int, on sql: any SQLDatabase) async throws -> StatementRecord? {
        try await sql.select().columns("id", "text", "status", "created_at", "author_id", "external_id")
            .from("conversation_statements").where("id", .equal, SQLBind(id))
            .where("conversation_id", .equal, SQLBind(conversation)).first(decoding: StatementRecord.self)
    }

    /// Adds a statement (pending until a moderator approves it, unless `status` says otherwise).
    static func addStatement(_ text: String, conversation: Int, author: UUID?, status: StatementRecord.Status = .pending,
                             externalID: Int? = nil, actor: String, on writer: AuditLog.Writer) async throws -> Int {
        try await AuditLog.record(on: writer, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "conversation_statements")
                .columns("conversation_id", "author_id", "text", "status", "created_at", "external_id")
                .values(SQLBind(conversation), SQLBind(author), SQLBind(text), SQLBind(status.rawValue),
                        SQLBind(KazakhstanTime.nowMilliseconds()), SQLBind(externalID))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            try await bumpRevision(conversation, on: db)
            return (id, AuditEvent(action: "statement.add", entity: "statement", entityID: String(id), before: nil,
                                   after: "{\"conversation\":\(conversation),\"status\":\"\(status.rawValue)\"}"))
        }
    }

    /// Approves or rejects a statement. A rejected statement leaves the map with its votes.
    static func moderate(_ id: Int, conversation: Int, to status: StatementRecord.Status, actor: String,
                         on writer: AuditLog.Writer) async throws {
        try await AuditLog.record(on: writer, actor: actor) { db -> ((), AuditEvent) in
            let before = try await statement(id, conversation: conversation, on: db.sql)?.status ?? ""
            try await db.sql.update("conversation_statements").set("status", to: SQLBind(status.rawValue))
                .set("moderated_by", to: SQLBind(actor)).where("id", .equal, SQLBind(id)).run()
            try await bumpRevision(conversation, on: db)
            return ((), AuditEvent(action: "statement.moderate", entity: "statement", entityID: String(id),
                                   before: "{\"status\":\"\(before)\"}", after: "{\"status\":\"\(status.rawValue)\"}"))
        }
    }

    private static func bumpRevision(_ conversation: Int, on db: any Database) async throws {
        try await db.sql.raw("UPDATE conversations SET revision = revision + 1 WHERE id = \(bind: conversation)").run()
    }

    // MARK: Participants

    static func participant(_ conversation: Int, account: UUID, on sql: any SQLDatabase) async throws -> Int? {
        try await sql.select().column("id").from("conversation_participants")
            .where("conversation_id", .equal, SQLBind(conversation)).where("account_id", .equal, SQLBind(account))
            .first(decoding: InsertedID.self)?.id
    }

    /// The participant of an account in a conversation, made on its first vote (the caller
    /// has looked for one already; this looks again inside the transaction).
    static func ensureParticipant(_ conversation: Int, account: UUID, region: KATOCode?, writer: AuditLog.Writer) async throws -> Int {
        try await AuditLog.unchained(on: writer, lock: voteLock) { db in
            if let id = try await participant(conversation, account: account, on: db.sql) { return id }
            return try await db.sql.insert(into: "conversation_participants")
                .columns("conversation_id", "account_id", "region_id", "created_at")
                .values(SQLBind(conversation), SQLBind(account), SQLBind(region?.value), SQLBind(KazakhstanTime.nowMilliseconds()))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
        }
    }

    struct ParticipantRow: Decodable, Sendable {
        var id: Int
        var account_id: UUID?
        var region_id: Int?
        var external_id: Int?
    }

    static func participants(_ conversation: Int, after id: Int, on sql: any SQLDatabase) async throws -> [ParticipantRow] {
        try await sql.select().columns("id", "account_id", "region_id", "external_id").from("conversation_participants")
            .where("conversation_id", .equal, SQLBind(conversation)).where("id", .greaterThan, SQLBind(id))
            .orderBy("id").all(decoding: ParticipantRow.self)
    }

    // MARK: Votes

    /// The statements a participant has voted on (passes included).
    static func voted(_ conversation: Int, participant: Int, on sql: any SQLDatabase) async throws -> Set<Int> {
        struct Row: Decodable { var statement_id: Int }
        let rows = try await sql.select().column("statement_id").from("conversation_votes")
            .where("conversation_id", .equal, SQLBind(conversation)).where("participant_id", .equal, SQLBind(participant))
            .all(decoding: Row.self)
        return Set(rows.map(\.statement_id))
    }

    /// Stores votes in one transaction's statements, a few hundred rows at a time.
    static func insert(_ ballots: [Ballot], at time: Int64, on db: any Database) async throws {
        let sql = try db.sql
        var start = 0
        while start < ballots.count {
            let chunk = ballots[start ..< min(start + 400, ballots.count)]
            let insert = sql.insert(into: "conversation_votes")
                .columns("conversation_id", "statement_id", "participant_id", "value", "created_at")
            for ballot in chunk {
                insert.values(SQLBind(ballot.conversation), SQLBind(ballot.statement), SQLBind(ballot.participant),
                              SQLBind(Int(ballot.value.rawValue)), SQLBind(time))
            }
            try await insert.run()
            start += chunk.count
        }
    }

    struct VoteRow: Decodable, Sendable {
        var id: Int
        var statement_id: Int
        var participant_id: Int
        var value: Int
        var created_at: Int64

        var vote: Vote? {
            guard let value = VoteValue(rawValue: Int8(clamping: value)) else { return nil }
            return Vote(participant: participant_id, statement: statement_id, value: value, timestamp: Int64(id))
        }
    }

    /// Votes stored after `id`, in the order they were stored.
    static func votes(_ conversation: Int, after id: Int, limit: Int, on sql: any SQLDatabase) async throws -> [VoteRow] {
        try await sql.select().columns("id", "statement_id", "participant_id", "value", "created_at").from("conversation_votes")
            .where("conversation_id", .equal, SQLBind(conversation)).where("id", .greaterThan, SQLBind(id))
            .orderBy("id").limit(limit).all(decoding: VoteRow.self)
    }
}
