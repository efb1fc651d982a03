import Synchronization

/// Values read from the database on demand and kept in memory until `invalidate`. One load
/// per key serves every request that arrives while it runs; a load that began before an
/// invalidation is never kept after it, so a writer sees its own change. Each kept value
/// carries a version number that grows with every load, for caches of what was rendered
/// from it.
final class LoadedValues<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    struct Loaded: Sendable {
        var value: Value
        var version: Int
    }

    private struct State {
        var versions = 0
        var stamps = 0
        var kept: [Key: Loaded] = [:]
        /// The load under way per key; only the load that still holds its stamp here is kept.
        var loading: [Key: (stamp: Int, task: Task<Loaded, any Error>)] = [:]
    }

    private let state = Mutex(State())

    /// Forgets every value; loads under way are not kept.
    func invalidate() {
        state.withLock { state in
            state.kept.removeAll()
            state.loading.removeAll()
        }
    }

    /// Forgets one value; a load of it under way is not kept.
    func invalidate(_ key: Key) {
        state.withLock { state in
            state.kept[key] = nil
            state.loading[key] = nil
        }
    }

    private enum Step {
        case ready(Loaded)
        case wait(Task<Loaded, any Error>)
    }

    func value(_ key: Key, load: @escaping @Sendable () async throws -> Value) async throws -> Loaded {
        let step: Step = state.withLock { state in
            if let kept = state.kept[key] { return .ready(kept) }
            if let loading = state.loading[key] { return .wait(loading.task) }
            state.stamps += 1
            let stamp = state.stamps
            let task = Task { self.finish(key, stamp, try await load()) }
            state.loading[key] = (stamp, task)
            return .wait(task)
        }
        switch step {
        case .ready(let loaded):
            return loaded
        case .wait(let task):
            do {
                return try await task.value
            } catch {
                state.withLock { state in
                    if state.loading[key]?.task == task { state.loading[key] = nil }
                }
                throw error
            }
        }
    }

    private func finish(_ key: Key, _ stamp: Int, _ value: Value) -> Loaded {
        state.withLock { state in
            state.versions += 1
            let loaded = Loaded(value: value, version: state.versions)
            if state.loading[key]?.stamp == stamp {
                state.loading[key] = nil
                state.kept[key] = loaded
            }
            return loaded
        }
    }
}
