import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A comment as shown: its author's name as published, its standing and, for moderators,
/// why it was hidden.
struct CommentRecord: Sendable, Decodable {
    var id: Int
    var anchor: String
    var version: Int
    var parent_id: Int?
    var author: String
    var text: String
    var created_at: Int64
    var support: Int
    var oppose: Int
    var hidden_reason: String?
    var reports: Int

    var isHidden: Bool { hidden_reason != nil }
}

/// Comments on a draft's articles (plain SQL; every change audited).
enum CommentStore {
    enum Order: String, Sendable { case support, date }

    static let maxLength = 2_000

    /// The comments on one article: top-level ones in `order`, each followed by its replies
    /// (oldest first).
    static func thread(discussion: Int, anchor: String, order: Order, on sql: any SQLDatabase) async throws
        -> [(comment: CommentRecord, replies: [CommentRecord])] {
        let all = try await sql.select().column("*").from("comments")
            .where("discussion_id", .equal, SQLBind(discussion)).where("anchor", .equal, SQLBind(anchor))
            .orderBy("id").all(decoding: CommentRecord.self)
        let replies = Dictionary(grouping: all.filter { $0.parent_id != nil }, by: { $0.parent_id ?? 0 })
        var top = all.filter { $0.parent_id == nil }
        if order == .support {
            top.sort { ($0.support - $0.oppose, $1.id) > ($1.support - $1.oppose, $0.id) }
        } else {
            top.reverse()
        }
        return top.map { ($0, replies[$0.id] ?? []) }
    }

    /// Comments per article anchor (hidden ones too: the count says how many were written).
    static func counts(discussion: Int, on sql: any SQLDatabase) async throws -> [String: Int] {
        struct Count: Decodable { var anchor: String; var n: Int }
        return Dictionary(uniqueKeysWithValues: try await sql.select().column("anchor")
            .column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
            .from("comments").where("discussion_id", .equal, SQLBind(discussion)).groupBy("anchor")
            .all(decoding: Count.self).map { ($0.anchor, $0.n) })
    }

    static func find(_ id: Int, discussion: Int, on sql: any SQLDatabase) async throws -> CommentRecord? {
        try await sql.select().column("*").from("comments").where("id", .equal, SQLBind(id))
            .where("discussion_id", .equal, SQLBind(discussion)).first(decoding: CommentRecord.self)
    }

    static func add(discussion: Int, anchor: String, version: Int, parent: Int?, author: UUID, name: String, text: String,
                    actor: String, on db: any Database) async throws -> Int {
        try await AuditLog.record(on: db, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "comments")
                .columns("discussion_id", "anchor", "version", "parent_id", "author_id", "author", "text", "created_at",
                         "support", "oppose", "reports")
                .values(SQLBind(discussion), SQLBind(anchor), SQLBind(version), SQLBind(parent), SQLBind(author), SQLBind(name),
                        SQLBind(text), SQLBind(KazakhstanTime.nowMilliseconds()), SQLBind(0), SQLBind(0), SQLBind(0))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            try await DiscussionStore.touch(discussion, on: db)
            return (id, AuditEvent(action: "comment.add", entity: "comment", entityID: String(id), before: nil,
                                   after: "{\"discussion\":\(discussion),\"anchor\":\(jsonString(anchor)),\"parent\":\(parent.map(String.init) ?? "null")}"))
        }
    }

    /// Support (+1) or opposition (-1) by one account; the same again takes it back.
    static func vote(_ id: Int, value: Int, account: UUID, actor: String, on db: any Database) async throws {
        try await AuditLog.record(on: db, actor: actor) { db -> ((), AuditEvent) in
            struct Vote: Decodable { var value: Int }
            let existing = try await db.sql.select().column("value").from("comment_votes")
                .where("comment_id", .equal, SQLBind(id)).where("account_id", .equal, SQLBind(account)).first(decoding: Vote.self)
            try await db.sql.delete(from: "comment_votes").where("comment_id", .equal, SQLBind(id))
                .where("account_id", .equal, SQLBind(account)).run()
            let now = existing?.value == value ? 0 : value
            if now != 0 {
                try await db.sql.insert(into: "comment_votes").columns("comment_id", "account_id", "value")
                    .values(SQLBind(id), SQLBind(account), SQLBind(now)).run()
            }
            // The counts follow from the votes, so they cannot drift.
            try await db.sql.raw("""
                UPDATE comments SET \
                support = (SELECT COUNT(*) FROM comment_votes WHERE comment_id = \(bind: id) AND value = 1), \
                oppose = (SELECT COUNT(*) FROM comment_votes WHERE comment_id = \(bind: id) AND value = -1) \
                WHERE id = \(bind: id)
                """).run()
            return ((), AuditEvent(action: "comment.vote", entity: "comment", entityID: String(id), before: nil,
                                   after: "{\"value\":\(now)}"))
        }
    }

    static func hide(_ id: Int, reason: String, actor: String, on db: any Database) async throws {
        try await AuditLog.record(on: db, actor: actor) { db -> ((), AuditEvent) in
            try await db.sql.update("comments").set("hidden_reason", to: SQLBind(reason)).set("hidden_by", to: SQLBind(actor))
                .where("id", .equal, SQLBind(id)).run()
            return ((), AuditEvent(action: "comment.hide", entity: "comment", entityID: String(id), before: nil,
                                   after: "{\"reason\":\(jsonString(reason))}"))
        }
    }

    static func report(_ id: Int, on sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE comments SET reports = reports + 1 WHERE id = \(bind: id)").run()
    }
}
