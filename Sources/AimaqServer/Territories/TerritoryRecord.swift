import AimaqCore
import Fluent
import SQLKit

/// Writes and reads of the `territories` table. Pages read the in-memory tree instead.
enum TerritoryStore {
    static let columns = ["id", "parent_id", "kind", "name_kk", "name_ru", "name_en",
                          "iso", "population", "population_note"]

    private struct Row: Decodable {
        var id: Int
        var parent_id: Int?
        var kind: String
        var name_kk: String
        var name_ru: String
        var name_en: String
        var iso: String?
        var population: Int?
        var population_note: String?
    }

    static func loadAll(on database: any SQLDatabase) async throws -> [Territory] {
        let rows = try await database.select().columns(columns.map { SQLIdentifier($0) })
            .from("territories").all(decoding: Row.self)
        return try rows.map { row in
            Territory(code: try KATOCode(number: row.id),
                      parent: try row.parent_id.map { try KATOCode(number: $0) },
                      kind: TerritoryKind(rawValue: row.kind) ?? .other,
                      name: LocalizedName(kk: row.name_kk, ru: row.name_ru, en: row.name_en),
                      iso: row.iso, population: row.population, populationNote: row.population_note)
        }
    }

    /// Replaces the whole table in the given (transactional) database, in batches.
    static func replaceAll(_ territories: [Territory], on database: any SQLDatabase) async throws {
        try await database.delete(from: "territories").run()
        for batch in territories.chunked(into: 500) {
            var insert = database.insert(into: "territories").columns(columns)
            for t in batch {
                insert = insert.values([
                    SQLBind(t.code.value), SQLBind(t.parent?.value), SQLBind(t.kind.rawValue),
                    SQLBind(t.name.kk), SQLBind(t.name.ru), SQLBind(t.name.en), SQLBind(t.iso),
                    SQLBind(t.population), SQLBind(t.populationNote),
                ] as [any SQLExpression])
            }
            try await insert.run()
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
