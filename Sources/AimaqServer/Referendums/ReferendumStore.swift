import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// A referendum or poll as stored: its question, its rules and whether it is demo data.
struct ReferendumRecord: Sendable {
    var id: Int
    var heldOn: String
    var kind: String
    var title: LocalizedName
    var question: LocalizedName
    var rules: ReferendumRules
    var demo: Bool
}

/// Reading and writing referendums and their results (plain SQL; every write audited).
enum ReferendumStore {
    private struct Row: Decodable {
        var id: Int
        var held_on: String
        var kind: String
        var title_kk: String, title_ru: String, title_en: String
        var question_kk: String, question_ru: String, question_en: String
        var rules: String
        var demo: Bool

        var record: ReferendumRecord {
            let rules = (try? JSONDecoder().decode(ReferendumRules.self, from: Data(self.rules.utf8))) ?? .republican
            return ReferendumRecord(id: id, heldOn: held_on, kind: kind,
                                    title: LocalizedName(kk: title_kk, ru: title_ru, en: title_en),
                                    question: LocalizedName(kk: question_kk, ru: question_ru, en: question_en),
                                    rules: rules, demo: demo)
        }
    }

    static func all(on sql: any SQLDatabase) async throws -> [ReferendumRecord] {
        try await sql.select().column("*").from("referendums").orderBy("held_on", .descending)
            .all(decoding: Row.self).map(\.record)
    }

    static func find(_ id: Int, on sql: any SQLDatabase) async throws -> ReferendumRecord? {
        try await sql.select().column("*").from("referendums").where("id", .equal, SQLBind(id))
            .first(decoding: Row.self)?.record
    }

    /// The protocols entered, by territory.
    static func results(_ id: Int, on sql: any SQLDatabase) async throws -> [KATOCode: Tally] {
        struct Result: Decodable { var territory_id: Int; var eligible: Int; var participants: Int; var answers: String; var invalid: Int }
        var tallies: [KATOCode: Tally] = [:]
        for row in try await sql.select().columns("territory_id", "eligible", "participants", "answers", "invalid")
            .from("referendum_results").where("referendum_id", .equal, SQLBind(id)).all(decoding: Result.self) {
            guard let code = try? KATOCode(number: row.territory_id) else { continue }
            tallies[code] = Tally(eligible: row.eligible, participants: row.participants,
                                  answers: row.answers.split(separator: ",").compactMap { Int($0) }, invalid: row.invalid)
        }
        return tallies
    }

    static func create(_ record: ReferendumRecord, actor: String, on db: any Database) async throws -> Int {
        let rules = String(decoding: try JSONEncoder().encode(record.rules), as: UTF8.self)
        return try await AuditLog.record(on: db, actor: actor) { db -> (Int, AuditEvent) in
            let id = try await db.sql.insert(into: "referendums")
                .columns("held_on", "kind", "title_kk", "title_ru", "title_en", "question_kk", "question_ru", "question_en",
                         "rules", "demo")
                .values(SQLBind(record.heldOn), SQLBind(record.kind), SQLBind(record.title.kk), SQLBind(record.title.ru),
                        SQLBind(record.title.en), SQLBind(record.question.kk), SQLBind(record.question.ru),
                        SQLBind(record.question.en), SQLBind(rules), SQLBind(record.demo))
                .returning("id").first(decoding: InsertedID.self)?.id ?? 0
            return (id, AuditEvent(action: "referendum.create", entity: "referendum", entityID: String(id),
                                   before: nil, after: "{\"held_on\":\"\(record.heldOn)\",\"kind\":\"\(record.kind)\"}"))
        }
    }

    enum StoreProblem: Error, CustomStringConvertible {
        case unknownTerritory(KATOCode)
        case results(ReferendumResults.Problem)

        var description: String {
            switch self {
            case .unknownTerritory(let code): "\(code) is not a territory of the tree"
            case .results(.overlap(let above, let below)):
                "results for \(below) and for \(above) above it would count the same votes twice"
            case .results(.answers(let code, let expected, let found)): "\(code): \(found) answers where the question has \(expected)"
            }
        }
    }

    /// Records protocols (a territory given again is replaced), checked together with those
    /// already stored, all or nothing, in one audited transaction.
    static func record(_ tallies: [KATOCode: Tally], referendum id: Int, actor: String, tree: TerritoryTree,
                       on db: any Database) async throws {
        if let unknown = tallies.keys.sorted(by: { $0.value < $1.value }).first(where: { tree[$0] == nil }) {
            throw StoreProblem.unknownTerritory(unknown)
        }
        try await AuditLog.record(on: db, actor: actor) { db -> ((), AuditEvent) in
            var all = try await results(id, on: db.sql)
            all.merge(tallies) { _, new in new }
            do throws(ReferendumResults.Problem) {
                _ = try ReferendumResults(entered: all, answers: 2, tree: tree)
            } catch {
                throw StoreProblem.results(error)
            }
            let now = KazakhstanTime.nowMilliseconds()
            for (code, tally) in tallies.sorted(by: { $0.key.value < $1.key.value }) {
                try await db.sql.delete(from: "referendum_results").where("referendum_id", .equal, SQLBind(id))
                    .where("territory_id", .equal, SQLBind(code.value)).run()
                try await db.sql.insert(into: "referendum_results")
                    .columns("referendum_id", "territory_id", "eligible", "participants", "answers", "invalid",
                             "recorded_at", "recorded_by")
                    .values(SQLBind(id), SQLBind(code.value), SQLBind(tally.eligible), SQLBind(tally.participants),
                            SQLBind(tally.answers.map(String.init).joined(separator: ",")), SQLBind(tally.invalid),
                            SQLBind(now), SQLBind(actor))
                    .run()
            }
            return ((), AuditEvent(action: "referendum.results", entity: "referendum", entityID: String(id),
                                   before: nil, after: "{\"territories\":\(tallies.count)}"))
        }
    }

    static func electorate(_ id: Int, on sql: any SQLDatabase) async throws -> [KATOCode: Int] {
        struct Row: Decodable { var territory_id: Int; var eligible: Int }
        let rows = try await sql.select().columns("territory_id", "eligible").from("referendum_electorate")
            .where("referendum_id", .equal, SQLBind(id)).all(decoding: Row.self)
        return Dictionary(rows.compactMap { row in (try? KATOCode(number: row.territory_id)).map { ($0, row.eligible) } },
                          uniquingKeysWith: { first, _ in first })
    }

    /// Replaces the electorate of a referendum (audited).
    static func setElectorate(_ electorate: [KATOCode: Int], referendum id: Int, actor: String, on db: any Database) async throws {
        try await AuditLog.record(on: db, actor: actor) { db -> ((), AuditEvent) in
            try await db.sql.delete(from: "referendum_electorate").where("referendum_id", .equal, SQLBind(id)).run()
            let rows = electorate.sorted { $0.key.value < $1.key.value }
            var start = 0
            while start < rows.count {
                let insert = try db.sql.insert(into: "referendum_electorate").columns("referendum_id", "territory_id", "eligible")
                for (code, eligible) in rows[start ..< min(start + 400, rows.count)] {
                    insert.values(SQLBind(id), SQLBind(code.value), SQLBind(eligible))
                }
                try await insert.run()
                start += 400
            }
            return ((), AuditEvent(action: "referendum.electorate", entity: "referendum", entityID: String(id), before: nil,
                                   after: "{\"territories\":\(electorate.count),\"eligible\":\(electorate.values.reduce(0, +))}"))
        }
    }
}
