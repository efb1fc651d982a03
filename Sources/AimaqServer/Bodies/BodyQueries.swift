import AimaqCore
import SQLKit
import Fluent
import Vapor

/// Reads of bodies and members as plain values (SQLKit straight into structs).
enum BodyQueries {
    private struct BodyRow: Decodable {
        var id: Int
        var kind: String
        var territory_id: Int?
        var name_kk: String
        var name_ru: String
        var name_en: String
        var valid_from: String?
        var valid_to: String?
        var seats: Int?
        var parent_id: Int?
        var remit: String?

        var summary: BodySummary? {
            guard let kind = BodyKind(rawValue: kind) else { return nil }
            return BodySummary(
                id: id, kind: kind, territory: territory_id.flatMap { try? KATOCode(number: $0) },
                name: LocalizedName(kk: name_kk, ru: name_ru, en: name_en),
                validity: ValidityPeriod(from: valid_from.flatMap { try? CivilDate($0) },
                                         to: valid_to.flatMap { try? CivilDate($0) }),
                seats: seats, parent: parent_id,
                remit: (remit ?? "").split(separator: " ").compactMap { InstructionCategory(rawValue: String($0)) })
        }
    }

    private struct MemberRow: Decodable {
        var id: Int
        var person_name: String
        var role: String
        var commission: String?
        var term_from: String?
        var term_to: String?
    }

    private static let bodyColumns = ["id", "kind", "territory_id", "name_kk", "name_ru", "name_en",
                                      "valid_from", "valid_to", "seats", "parent_id", "remit"]

    private static func select(_ db: any SQLDatabase) -> SQLSelectBuilder {
        db.select().columns(bodyColumns.map { SQLIdentifier($0) }).from("bodies")
    }

    /// Every body, ordered by kind and id (for the in-memory directory).
    static func allBodies(on db: any SQLDatabase) async throws -> [BodySummary] {
        try await select(db).orderBy("kind").orderBy("id").all(decoding: BodyRow.self).compactMap(\.summary)
    }

    static func bodies(of territory: KATOCode?, page: Int, per: Int,
                       on db: any SQLDatabase) async throws -> (items: [BodySummary], total: Int) {
        var query = select(db)
        var count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("bodies")
        if let territory {
            query = query.where("territory_id", .equal, SQLBind(territory.value))
            count = count.where("territory_id", .equal, SQLBind(territory.value))
        }
        let items = try await query.orderBy("id").limit(per).offset((page - 1) * per)
            .all(decoding: BodyRow.self).compactMap(\.summary)
        let total = try await count.first(decodingColumn: "n", as: Int.self) ?? 0
        return (items, total)
    }

    static func body(_ id: Int, on db: any SQLDatabase) async throws -> BodySummary? {
        try await select(db).where("id", .equal, SQLBind(id)).first(decoding: BodyRow.self)?.summary
    }

    static func members(of body: Int, on db: any SQLDatabase) async throws -> [BodyMemberSummary] {
        let rows = try await db.select()
            .columns(["id", "person_name", "role", "commission", "term_from", "term_to"].map { SQLIdentifier($0) })
            .from("body_members").where("body_id", .equal, SQLBind(body))
            .orderBy("id").all(decoding: MemberRow.self)
        return rows.compactMap { row in
            guard let role = MemberRole(rawValue: row.role) else { return nil }
            return BodyMemberSummary(
                id: row.id, personName: row.person_name, role: role, commission: row.commission,
                term: ValidityPeriod(from: row.term_from.flatMap { try? CivilDate($0) },
                                     to: row.term_to.flatMap { try? CivilDate($0) }))
        }.sorted { ($0.role.rank, $0.id) < ($1.role.rank, $1.id) }
    }
}

extension Request {
    /// Both supported databases speak SQL; the drivers always hand out SQL databases.
    var sql: any SQLDatabase { db as! any SQLDatabase }
}

extension Database {
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else {
                throw DataFolderError(description: "Aimaq runs on SQL databases only (SQLite, PostgreSQL)")
            }
            return sql
        }
    }
}
