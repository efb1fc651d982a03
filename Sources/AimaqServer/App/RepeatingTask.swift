import Synchronization
import Vapor

/// Work that repeats while the server runs: once at start, then every `interval`. A failed
/// turn is logged and tried again at the next; shutting down cancels the loop and waits for it.
final class RepeatingTask: LifecycleHandler, Sendable {
    let name: String
    let interval: Duration
    private let turn: @Sendable (Application) async throws -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ name: String, every interval: Duration, _ turn: @escaping @Sendable (Application) async throws -> Void) {
        self.name = name
        self.interval = interval
        self.turn = turn
    }

    func didBootAsync(_ app: Application) async throws {
        let (name, interval, turn) = (name, interval, turn)
        let loop = Task {
            while !Task.isCancelled {
                do {
                    try await turn(app)
                } catch {
                    app.logger.error("\(name) failed: \(String(reflecting: error))")
                }
                try? await Task.sleep(for: interval)
            }
        }
        task.withLock { $0 = loop }
    }

    func shutdownAsync(_ app: Application) async {
        let loop = task.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        loop?.cancel()
        await loop?.value
    }
}
