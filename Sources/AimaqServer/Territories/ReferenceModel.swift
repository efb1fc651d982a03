import SQLKit

/// The territory tree and the bodies in memory, read again when an import changes them, and
/// the rendered pages dropped with them (every page names territories and bodies).
struct ReferenceModel: ReadModel {
    let territories: TerritoryDirectory
    let bodies: BodyDirectory
    let pages: PageCache

    func apply(_ changes: [Change], db: any SQLDatabase) async throws {
        let entities = Set(changes.map(\.entity))
        guard entities.contains("territories") || entities.contains("bodies") else { return }
        if entities.contains("territories") { try await territories.reload(from: db) }
        try await bodies.reload(from: db)
        pages.clear()
    }
}
