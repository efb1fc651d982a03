import Foundation
import Synchronization

/// Values read from the database on demand and kept in memory until `invalidate()`. One load
/// per key serves every request that arrives while it runs; a load that began before an
/// invalidation is never kept after it, so a writer sees its own change. With `maxAge`, an
/// older value is still served while one background load replaces it (which bounds
/// staleness when several servers share one database). Each kept value carries a version
/// number that grows with every load, for caches of what was rendered from it.
final class LoadedValues<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    struct Loaded: Sendable {
        var value: Value
        var version: Int
        var loadedAt: Double
    }

    private struct Loading {
        var generation: Int
        var task: Task<Loaded, any Error>
    }

    private struct State {
        var generation = 0
        var versions = 0
        var kept: [Key: (loaded: Loaded, generation: Int)] = [:]
        var loading: [Key: Loading] = [:]
    }

    private let state = Mutex(State())
    let maxAge: Double?

    init(maxAge: Double? = nil) {
        self.maxAge = maxAge
    }

    /// Called after every committed write to what the values are read from.
    func invalidate() {
        state.withLock { state in
            state.generation += 1
            state.kept.removeAll()
        }
    }

    private enum Step {
        case ready(Loaded)
        case wait(Task<Loaded, any Error>)
    }

    func value(_ key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Loaded {
        let now = Date().timeIntervalSince1970
        let step: Step = state.withLock { state in
            if let kept = state.kept[key], kept.generation == state.generation {
                if let maxAge, now - kept.loaded.loadedAt >= maxAge, state.loading[key] == nil {
                    state.loading[key] = Loading(generation: state.generation, task: start(key, state.generation, load))
                }
                return .ready(kept.loaded)
            }
            if let loading = state.loading[key], loading.generation == state.generation { return .wait(loading.task) }
            let task = start(key, state.generation, load)
            state.loading[key] = Loading(generation: state.generation, task: task)
            return .wait(task)
        }
        switch step {
        case .ready(let loaded): return loaded
        case .wait(let task): return try await task.value
        }
    }

    private func start(_ key: Key, _ generation: Int, _ load: @escaping @Sendable () async throws -> Value) -> Task<Loaded, any Error> {
        Task {
            let loadedAt = Date().timeIntervalSince1970
            do {
                let value = try await load()
                return state.withLock { state in
                    if state.loading[key]?.generation == generation { state.loading[key] = nil }
                    state.versions += 1
                    let loaded = Loaded(value: value, version: state.versions, loadedAt: loadedAt)
                    if state.generation == generation { state.kept[key] = (loaded, generation) }
                    return loaded
                }
            } catch {
                state.withLock { state in
                    if state.loading[key]?.generation == generation { state.loading[key] = nil }
                }
                throw error
            }
        }
    }
}
