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

/// The bodies of every territory (reference data: a few hundred rows), served from memory
/// and reloaded whenever bodies are written.
final class BodyDirectory: Sendable {
    private let box = Mutex([String: [BodySummary]]())

    private static func key(_ code: KATOCode?) -> String { code?.description ?? "national" }

    func bodies(of territory: KATOCode?) -> [BodySummary] {
        box.withLock { $0[Self.key(territory)] ?? [] }
    }

    func reload(from database: any SQLDatabase) async throws {
        let all = try await BodyQueries.allBodies(on: database)
        var grouped: [String: [BodySummary]] = [:]
        for body in all { grouped[Self.key(body.territory), default: []].append(body) }
        box.withLock { $0 = grouped }
    }
}
