import AimaqCore
import Foundation
import Synchronization

/// Stores votes in groups: the votes that arrive while one transaction commits are stored
/// together in the next, so a busy conversation costs a transaction per batch, not per vote.
/// Each caller waits until its own vote is committed: a vote is acknowledged only once stored.
final class VoteIntake: Sendable {
    private struct Waiting {
        var ballot: Ballot
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var storing = false
    }

    /// The most votes one transaction takes.
    static let batchLimit = 2_000
    private let state = Mutex(State())

    /// Stores `ballot` with whatever else is waiting, and returns once it is committed.
    func store(_ ballot: Ballot, writer: AuditLog.Writer) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let start = state.withLock { state -> Bool in
                state.waiting.append(Waiting(ballot: ballot, continuation: continuation))
                guard !state.storing else { return false }
                state.storing = true
                return true
            }
            if start {
                Task(executorPreference: writer.executor) { await self.drain(writer) }
            }
        }
    }

    /// Commits batches until nobody waits.
    private func drain(_ writer: AuditLog.Writer) async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                guard !state.waiting.isEmpty else {
                    state.storing = false
                    return []
                }
                let count = min(Self.batchLimit, state.waiting.count)
                let batch = Array(state.waiting.prefix(count))
                state.waiting.removeFirst(count)
                return batch
            }
            guard !batch.isEmpty else { return }
            let ballots = batch.map(\.ballot)
            do {
                try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db in
                    try await ConversationStore.insert(ballots, at: KazakhstanTime.nowMilliseconds(), on: db)
                }
                for waiting in batch { waiting.continuation.resume() }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
