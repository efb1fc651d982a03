import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A consultative poll: a question (the title) with two or more options.
struct PollRecord: Sendable {
    var id: Int
    var territory: KATOCode?
    var discussionID: Int?
    var title: LocalizedName
    var options: [LocalizedName]
    var opens: CivilDate
    var closes: CivilDate
    var demo: Bool

    func isOpen(on day: CivilDate) -> Bool { opens <= day && day <= closes }
}

/// Results of a poll: votes per option, in the whole and by region.
struct PollResults: Sendable {
    var total: [Int]
    /// Votes per option by region number (voters whose region is known).
    var byRegion: [Int: [Int]]

    var voters: Int { total.reduce(0, +) }
}

/// Polls (plain SQL). Creating a poll is audited; a vote is stored once per account (the
/// database's unique key holds it across servers) and counted, not chained: a poll's votes
/// are as many as its voters.
enum PollStore {
    private struct Row: Decodable {
        var id: Int
        var territory_id: Int?
        var discussion_id: Int?
        var title_kk: String, title_ru: String, title_en: String
        var options: String
        var opens: String, closes: String
        var demo: Bool

        var record: PollRecord? {
            guard let opens = try? CivilDate(opens), let closes = try? CivilDate(closes),
                  let options = try? JSONDecoder().decode([LocalizedName].self, from: Data(options.utf8)) else { return nil }
            return PollRecord(id: id, territory: territory_id.flatMap { try? KATOCode(number: $0) }, discussionID: discussion_id,
                              title: LocalizedName(kk: title_kk, ru: title_ru, en: title_en), options: options, opens: opens,
                              closes: closes, demo: demo)
        }
    }

    static func all(on sql: any SQLDatabase) async throws -> [PollRecord] {
        try await sql.select().column("*").from("polls").orderBy("id", .descending).all(decoding: Row.self).compactMap(\.record)
    }

    static func find(_ id: Int, on sql: any SQLDatabase) async throws -> PollRecord? {
        try await sql.select().column("*").from("polls").where("id", .equal, SQLBind(id)).first(decoding: Row.self)?.record
    }

    static func create(_ poll: PollRecord, actor: String, on db: any Database) async throws -> Int {
        let options = String(decoding: try JSONEncoder().encode(poll.options), as: UTF8.self)
        return try await AuditLog.record(on: db, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "polls")
                .columns("territory_id", "discussion_id", "title_kk", "title_ru", "title_en", "options", "opens", "closes", "demo")
                .values(SQLBind(poll.territory?.value), SQLBind(poll.discussionID), SQLBind(poll.title.kk), SQLBind(poll.title.ru),
                        SQLBind(poll.title.en), SQLBind(options), SQLBind(poll.opens.description), SQLBind(poll.closes.description),
                        SQLBind(poll.demo))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            return (id, AuditEvent(action: "poll.create", entity: "poll", entityID: String(id), before: nil,
                                   after: "{\"options\":\(poll.options.count),\"closes\":\"\(poll.closes)\"}"))
        }
    }

    /// The option the account chose, if it has voted.
    static func choice(_ poll: Int, account: UUID, on sql: any SQLDatabase) async throws -> Int? {
        struct Choice: Decodable { var choice: Int }
        return try await sql.select().column("choice").from("poll_votes").where("poll_id", .equal, SQLBind(poll))
            .where("account_id", .equal, SQLBind(account)).first(decoding: Choice.self)?.choice
    }

    /// Stores the account's vote; false when it had voted already (the first vote stands).
    static func vote(_ poll: Int, account: UUID, option: Int, region: KATOCode?, on writer: AuditLog.Writer) async throws -> Bool {
        try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db in
            if try await choice(poll, account: account, on: db.sql) != nil { return false }
            try await db.sql.insert(into: "poll_votes").columns("poll_id", "account_id", "choice", "region_id", "created_at")
                .values(SQLBind(poll), SQLBind(account), SQLBind(option), SQLBind(region?.value), SQLBind(KazakhstanTime.nowMilliseconds()))
                .run()
            return true
        }
    }

    static func results(_ poll: PollRecord, on sql: any SQLDatabase) async throws -> PollResults {
        struct Count: Decodable { var choice: Int; var region_id: Int?; var n: Int }
        let rows = try await sql.raw("""
            SELECT choice, region_id, COUNT(*) AS n FROM poll_votes WHERE poll_id = \(bind: poll.id) GROUP BY choice, region_id
            """).all(decoding: Count.self)
        var results = PollResults(total: Array(repeating: 0, count: poll.options.count), byRegion: [:])
        for row in rows where row.choice >= 0 && row.choice < poll.options.count {
            results.total[row.choice] += row.n
            if let region = row.region_id {
                results.byRegion[region / 10_000_000, default: Array(repeating: 0, count: poll.options.count)][row.choice] += row.n
            }
        }
        return results
    }
}
