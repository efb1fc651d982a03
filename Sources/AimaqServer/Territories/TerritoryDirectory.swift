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
    private struct Index {
        var byTerritory: [String: [BodySummary]] = [:]
        var byID: [Int: BodySummary] = [:]
    }

    private let box = Mutex(Index())

    private static func key(_ code: KATOCode?) -> String { code?.description ?? "national" }

    func bodies(of territory: KATOCode?) -> [BodySummary] {
        box.withLock { $0.byTerritory[Self.key(territory)] ?? [] }
    }

    func body(_ id: Int) -> BodySummary? {
        box.withLock { $0.byID[id] }
    }

    /// Who answers for an assignment of `category` in a territory: the department of the
    /// territory's akimat whose remit holds the category, else the akimat itself.
    func responsible(for territory: KATOCode, category: InstructionCategory?) -> Int? {
        let here = bodies(of: territory)
        guard let akimat = here.first(where: { $0.kind == .akimat }) else { return nil }
        if let category, let department = here.first(where: {
            $0.kind == .akimatDepartment && $0.parent == akimat.id && $0.remit.contains(category)
        }) {
            return department.id
        }
        return akimat.id
    }

    /// The akimat a department belongs to (nil for any other body).
    func parent(of id: Int?) -> Int? {
        id.flatMap { body($0)?.parent }
    }

    func reload(from database: any SQLDatabase) async throws {
        let all = try await BodyQueries.allBodies(on: database)
        var index = Index()
        for body in all {
            index.byTerritory[Self.key(body.territory), default: []].append(body)
            index.byID[body.id] = body
        }
        box.withLock { $0 = index }
    }
}
