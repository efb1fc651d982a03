import AimaqCore
import Foundation
import SQLKit
import Vapor

/// A file kept with an appeal (sent by its author, or with the body's answer) or with a
/// meeting (its minutes, photos). Kept by the evidence store and checked like evidence.
struct AppealFileRecord: Decodable, Sendable {
    var id: Int
    var appeal_id: Int?
    var meeting_id: Int?
    var purpose: String
    var file_name: String
    var content_type: String
    var size: Int
    var stored_name: String
    var sha256: String

    enum Purpose: String, CaseIterable, Sendable {
        /// Sent by the author with the appeal.
        case appeal
        /// Evidence sent with the body's answer.
        case answer
        /// A meeting's minutes as signed, and its photos.
        case minutes, photo
    }
}

/// Files of appeals and meetings (plain SQL). Appeals' files are read only by those who may
/// read the appeal in full; meetings' files are public, like the meetings.
enum AppealFiles {
    static let columns = ["id", "appeal_id", "meeting_id", "purpose", "file_name", "content_type", "size", "stored_name", "sha256"]

    /// Rows for stored files, written in the transaction of the change they belong to.
    static func attach(_ files: [EvidenceStore.Stored], appeal: Int? = nil, meeting: Int? = nil, purpose: AppealFileRecord.Purpose,
                       on sql: any SQLDatabase) async throws {
        guard !files.isEmpty else { return }
        let now = KazakhstanTime.nowMilliseconds()
        let insert = sql.insert(into: "appeal_files")
            .columns("appeal_id", "meeting_id", "purpose", "file_name", "content_type", "size", "stored_name", "sha256", "uploaded_at")
        for file in files {
            insert.values(SQLBind(appeal), SQLBind(meeting), SQLBind(purpose.rawValue), SQLBind(String(file.fileName.prefix(200))),
                          SQLBind(file.contentType), SQLBind(file.size), SQLBind(file.storedName), SQLBind(file.sha256), SQLBind(now))
        }
        try await insert.run()
    }

    static func of(appeal: Int, on sql: any SQLDatabase) async throws -> [AppealFileRecord] {
        try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("appeal_files")
            .where("appeal_id", .equal, SQLBind(appeal)).orderBy("id").all(decoding: AppealFileRecord.self)
    }

    static func of(meetings: [Int], on sql: any SQLDatabase) async throws -> [Int: [AppealFileRecord]] {
        guard !meetings.isEmpty else { return [:] }
        return try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("appeal_files")
            .where("meeting_id", .in, SQLBind.group(meetings)).orderBy("id").all(decoding: AppealFileRecord.self)
            .reduce(into: [:]) { $0[$1.meeting_id ?? 0, default: []].append($1) }
    }

    /// `GET /files/:id`: a file of an appeal, for those who read the appeal in full (each
    /// reading recorded in the audit log); a file of a meeting, for anyone.
    @Sendable static func download(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self),
              let file = try await request.sql.select().columns(columns.map { SQLIdentifier($0) }).from("appeal_files")
                .where("id", .equal, SQLBind(id)).first(decoding: AppealFileRecord.self) else {
            throw Abort(.notFound, reason: request.t("error.fileNotFound"))
        }
        if let appealID = file.appeal_id {
            guard let appeal = try await AppealStore.find(appealID, on: request.sql),
                  AccessPolicy.allows(AppealController.viewAction(appeal, request), for: request.actor) else {
                // Whether such a file exists is not told to those who may not read it.
                throw Abort(.notFound, reason: request.t("error.fileNotFound"))
            }
            try await AuditLog.record(on: request.writer, actor: request.auditActor) { _ in
                ((), AuditEvent(action: "appeal_file.download", entity: "appeal_file", entityID: String(id), before: nil,
                                after: "{\"appeal\":\(appealID),\"sha256\":\(jsonString(file.sha256))}"))
            }
        } else {
            try request.authorize(.viewPublic)
        }
        return try await request.aimaq.evidence.response(storedName: file.stored_name, fileName: file.file_name,
                                                         contentType: file.content_type, request)
    }
}
