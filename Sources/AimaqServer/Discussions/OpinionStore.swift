import AimaqCore
import Crypto
import Fluent
import Foundation
import SQLKit
import Vapor

/// An expert's opinion as shown.
struct ExpertOpinionRecord: Sendable, Decodable {
    var id: Int
    var anchor: String?
    var version: Int
    var author_id: UUID
    var author: String
    var affiliation: String
    var position: String
    var text: String
    var file_name: String?
    var content_type: String?
    var size: Int?
    var stored_name: String?
    var file_sha256: String?
    var digest: String
    var created_at: Int64

    var positionValue: ExpertPosition? { ExpertPosition(rawValue: position) }
}

/// Experts' opinions (plain SQL; each one audited). An opinion is signed: its digest is the
/// SHA-256 of what it says and who says it (discussion, article, version, author, affiliation,
/// position, text and the file's own SHA-256), recorded in the audit chain, whose entries the
/// installation's key signs; anyone can recompute the digest from the published opinion.
enum OpinionStore {
    static let maxText = 20_000
    static let maxAffiliation = 300

    static func digest(discussion: Int, anchor: String?, version: Int, author: UUID, name: String, affiliation: String,
                       position: ExpertPosition, text: String, fileSHA256: String?) -> String {
        let fields = [String(discussion), anchor ?? "", String(version), author.uuidString, name, affiliation, position.rawValue,
                      text, fileSHA256 ?? ""]
        // Each field with its length, so that no two different opinions read the same.
        let canonical = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "\n")
        return Hex.sha256(canonical)
    }

    static func list(discussion: Int, anchor: String? = nil, on sql: any SQLDatabase) async throws -> [ExpertOpinionRecord] {
        let query = sql.select().column("*").from("expert_opinions").where("discussion_id", .equal, SQLBind(discussion))
        if let anchor { query.where("anchor", .equal, SQLBind(anchor)) }
        return try await query.orderBy("id").all(decoding: ExpertOpinionRecord.self)
    }

    static func find(_ id: Int, discussion: Int, on sql: any SQLDatabase) async throws -> ExpertOpinionRecord? {
        try await sql.select().column("*").from("expert_opinions").where("id", .equal, SQLBind(id))
            .where("discussion_id", .equal, SQLBind(discussion)).first(decoding: ExpertOpinionRecord.self)
    }

    struct NewOpinion: Sendable {
        var discussion: Int
        var anchor: String?
        var version: Int
        var author: UUID
        var name: String
        var affiliation: String
        var position: ExpertPosition
        var text: String
        var file: EvidenceStore.Stored?
    }

    static func add(_ opinion: NewOpinion, actor: String, on writer: AuditLog.Writer) async throws -> (id: Int, digest: String) {
        let digest = digest(discussion: opinion.discussion, anchor: opinion.anchor, version: opinion.version, author: opinion.author,
                            name: opinion.name, affiliation: opinion.affiliation, position: opinion.position, text: opinion.text,
                            fileSHA256: opinion.file?.sha256)
        let id = try await AuditLog.record(on: writer, actor: actor) { db -> (Int, AuditEvent) in
            let file = opinion.file
            let id = try await db.sql.insert(into: "expert_opinions")
                .columns("discussion_id", "anchor", "version", "author_id", "author", "affiliation", "position", "text", "file_name",
                         "content_type", "size", "stored_name", "file_sha256", "digest", "created_at")
                .values(SQLBind(opinion.discussion), SQLBind(opinion.anchor), SQLBind(opinion.version), SQLBind(opinion.author),
                        SQLBind(opinion.name), SQLBind(opinion.affiliation), SQLBind(opinion.position.rawValue), SQLBind(opinion.text),
                        SQLBind(file?.fileName), SQLBind(file?.contentType), SQLBind(file?.size), SQLBind(file?.storedName),
                        SQLBind(file?.sha256), SQLBind(digest), SQLBind(KazakhstanTime.nowMilliseconds()))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            try await DiscussionStore.touch(opinion.discussion, on: db)
            return (id, AuditEvent(action: "opinion.add", entity: "expert_opinion", entityID: String(id), before: nil,
                                   after: "{\"discussion\":\(opinion.discussion),\"digest\":\"\(digest)\"}"))
        }
        return (id, digest)
    }
}
