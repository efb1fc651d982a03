import Fluent
import Foundation
import SQLKit
import Synchronization
import Vapor

/// One committed change as the audit log recorded it: the sequence number is the position in
/// the feed, in commit order (a writer takes the next number inside its transaction, while
/// it holds the write lock, so no number commits after a larger one).
struct Change: Sendable, Equatable {
    var sequence: Int
    var action: String
    var entity: String
    var entityID: String
    var after: String?

    /// The whole number under `key` in the entry's `after` JSON (`"assignment":12`).
    func number(_ key: String) -> Int? {
        guard let after, let data = after.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (object[key] as? NSNumber)?.intValue
    }

    /// Whole numbers listed under `key` in the entry's `after` JSON (`"children":[1,2]`).
    func numbers(_ key: String) -> [Int] {
        guard let after, let data = after.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = object[key] as? [Any] else { return [] }
        return list.compactMap { ($0 as? NSNumber)?.intValue }
    }
}

/// What a server keeps in memory, derived from the database: it loads itself once, then
/// follows the feed by applying each change alone. A capability adds its model by
/// conforming and registering it in `AppState.feed`.
protocol ReadModel: Sendable {
    /// Applies committed changes, in order. Applying a change twice must do no harm (a model
    /// loaded after a change was committed may see it again).
    func apply(_ changes: [Change], db: any SQLDatabase) async throws
}

/// The audit log read as a change feed. Every server applies the entries after the last one
/// it has seen: after each of its own writes (so a writer reads its change at once), and on
/// a short poll (`AIMAQ_FEED_POLL_MS`), so changes from other servers and from command-line
/// imports arrive within a second, with or without traffic.
final class ChangeFeed: Sendable {
    private let models: [any ReadModel]
    private let position = Mutex(0)
    private let serial = SerialRunner()
    /// Entries read per query.
    static let pageSize = 2_000

    init(models: [any ReadModel]) {
        self.models = models
    }

    /// The last sequence applied.
    var lastApplied: Int { position.withLock { $0 } }

    /// Starts following from the newest entry (what came before is in the models' loads).
    func start(db: any SQLDatabase) async throws {
        let newest = try await Self.newest(db)
        position.withLock { $0 = max($0, newest) }
    }

    static func newest(_ db: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { var newest: Int? }
        return try await db.select()
            .column(SQLAlias(SQLFunction("MAX", args: SQLIdentifier("id")), as: SQLIdentifier("newest")))
            .from("audit_entries")
            .first(decoding: Row.self)?.newest ?? 0
    }

    /// Applies every entry committed so far. Calls run one after another, and each reads
    /// afresh, so a caller's own committed change is applied when this returns. With `own`
    /// (a writer's catch-up), the entries this server's lane committed are applied from memory
    /// when they follow the last applied with none missing: the writer's change is then
    /// applied without reading the log, and other servers' later entries come with the poll.
    func catchUp(db: any SQLDatabase, executor: (any TaskExecutor)? = nil, own: AuditLog.Head? = nil) async throws {
        try await serial.run(on: executor) { [self] in
            if let own {
                let (changes, reachNewest) = own.committed(after: position.withLock { $0 })
                if let last = changes.last {
                    for model in models { try await model.apply(changes, db: db) }
                    position.withLock { $0 = max($0, last.sequence) }
                }
                if reachNewest { return }
            }
            while true {
                let after = position.withLock { $0 }
                let changes = try await read(after: after, db: db)
                guard let last = changes.last else { return }
                for model in models { try await model.apply(changes, db: db) }
                position.withLock { $0 = max($0, last.sequence) }
                if changes.count < Self.pageSize { return }
            }
        }
    }

    private struct Row: Decodable {
        var id: Int
        var action: String
        var entity: String
        var entity_id: String
        var after: String?
    }

    private func read(after: Int, db: any SQLDatabase) async throws -> [Change] {
        try await db.select()
            .columns("id", "action", "entity", "entity_id", "after")
            .from("audit_entries")
            .where("id", .greaterThan, SQLBind(after))
            .orderBy("id")
            .limit(Self.pageSize)
            .all(decoding: Row.self)
            .map { Change(sequence: $0.id, action: $0.action, entity: $0.entity, entityID: $0.entity_id, after: $0.after) }
    }
}

/// Runs async operations one after another, in the order they were asked for.
final class SerialRunner: Sendable {
    private let tail = Mutex<Task<Void, Never>?>(nil)

    /// Runs `operation` after every operation asked for before it, on `executor` when given.
    func run<T: Sendable>(on executor: (any TaskExecutor)? = nil,
                          _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let task: Task<T, any Error> = tail.withLock { tail in
            let previous = tail
            let task = Task<T, any Error>(executorPreference: executor) {
                await previous?.value
                return try await operation()
            }
            // The tail waits where the work ran: on a busy server, a tail on the shared pool
            // would keep the next operation waiting behind every reading request.
            tail = Task(executorPreference: executor) { _ = try? await task.value }
            return task
        }
        return try await task.value
    }
}

/// Follows the feed while the server runs: every `interval`, apply what other servers and
/// command-line imports committed.
enum ChangeFeedPoller {
    static func task(interval: Duration) -> RepeatingTask {
        RepeatingTask("change feed", every: interval) { app in try await app.catchUpChanges() }
    }
}

extension Application {
    /// Applies what was committed (call after a write): this server's models then show it.
    /// A failure is logged, not thrown, since the write itself has landed; the poll retries.
    /// `laneWrite`: the write went through the write lane (`Request.writer`), whose entries
    /// are then applied from memory when none is missing before them (`ChangeFeed.catchUp`).
    /// A write on any other database must not say so: its entry is not among the lane's.
    func followChanges(laneWrite: Bool = false) async {
        do {
            try await catchUpChanges(own: laneWrite)
        } catch {
            logger.error("change feed: \(String(reflecting: error))")
        }
    }

    /// Applies what was committed, on the write lane's reading loop when there is one, for
    /// a writer and for the poll alike: catch-ups run one after another, so a poll run on an
    /// event loop (whose priority is lowered, behind the pages queued there) would keep the
    /// next writer's own catch-up waiting as long.
    ///
    /// `own`: after this server's own write, whose entry the lane keeps (see `ChangeFeed.catchUp`).
    func catchUpChanges(own: Bool = false) async throws {
        let lane = aimaq.writes
        guard let sql = (lane?.readDatabase ?? db) as? any SQLDatabase else { return }
        try await aimaq.feed.catchUp(db: sql, executor: lane?.readExecutor, own: own ? lane?.auditHead : nil)
    }
}
