import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A proposal of amendment as shown, with its disposition once given.
struct ProposalRecord: Sendable, Decodable {
    var id: Int
    var anchor: String
    var version: Int
    var author: String
    var wording: String
    var justification: String
    var created_at: Int64
    var support: Int
    var disposition: String?
    var disposition_reason: String?

    var dispositionValue: Disposition? { disposition.flatMap(Disposition.init(rawValue:)) }
}

/// Proposals of amendment (plain SQL; every change audited).
enum ProposalStore {
    static let maxWording = 4_000
    static let maxJustification = 2_000

    /// The proposals of a discussion, or of one article, most supported first.
    static func list(discussion: Int, anchor: String? = nil, on sql: any SQLDatabase) async throws -> [ProposalRecord] {
        let query = sql.select().column("*").from("proposals").where("discussion_id", .equal, SQLBind(discussion))
        if let anchor { query.where("anchor", .equal, SQLBind(anchor)) }
        return try await query.orderBy("support", .descending).orderBy("id").all(decoding: ProposalRecord.self)
    }

    static func find(_ id: Int, discussion: Int, on sql: any SQLDatabase) async throws -> ProposalRecord? {
        try await sql.select().column("*").from("proposals").where("id", .equal, SQLBind(id))
            .where("discussion_id", .equal, SQLBind(discussion)).first(decoding: ProposalRecord.self)
    }

    static func add(discussion: Int, anchor: String, version: Int, author: UUID, name: String, wording: String,
                    justification: String, actor: String, on db: any Database) async throws -> Int {
        try await AuditLog.record(on: db, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "proposals")
                .columns("discussion_id", "anchor", "version", "author_id", "author", "wording", "justification", "created_at", "support")
                .values(SQLBind(discussion), SQLBind(anchor), SQLBind(version), SQLBind(author), SQLBind(name), SQLBind(wording),
                        SQLBind(justification), SQLBind(KazakhstanTime.nowMilliseconds()), SQLBind(0))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            return (id, AuditEvent(action: "proposal.add", entity: "proposal", entityID: String(id), before: nil,
                                   after: "{\"discussion\":\(discussion),\"anchor\":\(jsonString(anchor))}"))
        }
    }

    /// Supports a proposal, or takes the support back.
    static func toggleSupport(_ id: Int, account: UUID, actor: String, on db: any Database) async throws {
        try await AuditLog.record(on: db, actor: actor) { db -> ((), AuditEvent) in
            struct Row: Decodable { var proposal_id: Int }
            let had = try await db.sql.select().column("proposal_id").from("proposal_supports")
                .where("proposal_id", .equal, SQLBind(id)).where("account_id", .equal, SQLBind(account)).first(decoding: Row.self) != nil
            if had {
                try await db.sql.delete(from: "proposal_supports").where("proposal_id", .equal, SQLBind(id))
                    .where("account_id", .equal, SQLBind(account)).run()
            } else {
                try await db.sql.insert(into: "proposal_supports").columns("proposal_id", "account_id")
                    .values(SQLBind(id), SQLBind(account)).run()
            }
            try await db.sql.raw("""
                UPDATE proposals SET support = (SELECT COUNT(*) FROM proposal_supports WHERE proposal_id = \(bind: id)) \
                WHERE id = \(bind: id)
                """).run()
            return ((), AuditEvent(action: "proposal.support", entity: "proposal", entityID: String(id), before: nil,
                                   after: "{\"support\":\(!had)}"))
        }
    }

    static func dispose(_ id: Int, disposition: Disposition, reason: String, actor: String, on db: any Database) async throws {
        try await AuditLog.record(on: db, actor: actor) { db -> ((), AuditEvent) in
            try await db.sql.update("proposals").set("disposition", to: SQLBind(disposition.rawValue))
                .set("disposition_reason", to: SQLBind(reason)).set("disposed_by", to: SQLBind(actor))
                .where("id", .equal, SQLBind(id)).run()
            return ((), AuditEvent(action: "proposal.dispose", entity: "proposal", entityID: String(id), before: nil,
                                   after: "{\"disposition\":\"\(disposition.rawValue)\",\"reason\":\(jsonString(reason))}"))
        }
    }

    /// The disposition table as CSV: article, proposal, author as published, support,
    /// disposition, reason.
    static func csv(_ proposals: [ProposalRecord], headings: [String: String]) -> String {
        var csv = CSVWriter(header: ["article", "heading", "proposal", "wording", "justification", "author", "support",
                                     "disposition", "reason"])
        for proposal in proposals {
            csv.row([.text(proposal.anchor), .text(headings[proposal.anchor] ?? ""), .integer(proposal.id), .text(proposal.wording),
                     .text(proposal.justification), .text(proposal.author), .integer(proposal.support),
                     .text(proposal.disposition ?? ""), .text(proposal.disposition_reason ?? "")])
        }
        return csv.text
    }
}
