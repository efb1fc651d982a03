import AimaqCore
import Synchronization
import SQLKit

/// The territory tree, loaded from the database once and served from memory; replaced
/// whole when the territories change.
final class TerritoryDirectory: Sendable {
    private let box = Mutex(TerritoryTree([]))

    var tree: TerritoryTree { box.withLock { $0 } }

    func replace(with tree: TerritoryTree) {
        box.withLock { $0 = tree }
    }

    func reload(from database: any SQLDatabase) async throws {
        replace(with: TerritoryTree(try await TerritoryStore.loadAll(on: database)))
    }
}
