import AimaqCore
import Fluent
import SQLKit
import Synchronization
import Vapor

final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "timestamp") var timestamp: Int64
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "entity") var entity: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(_ record: AuditRecord) {
        id = record.sequence
        timestamp = record.timestamp
        actor = record.actor
        action = record.action
        entity = record.entity
        entityID = record.entityID
        before = record.before
        after = record.after
        previousHash = record.previousHash
        hash = record.hash
    }

    var record: AuditRecord {
        AuditRecord(sequence: id ?? 0, timestamp: timestamp, actor: actor, action: action,
                    entity: entity, entityID: entityID, before: before, after: after,
                    previousHash: previousHash, hash: hash)
    }
}

/// What a change records: the action, what it touched and the states around it.
struct AuditEvent: Sendable {
    var action: String
    var entity: String
    var entityID: String
    var before: String?
    var after: String?
}

enum AuditLog {
    /// One audited write at a time in this process: SQLite has one writer anyway, and a
    /// writer waiting here holds no database connection that readers need.
    static let writers = SerialRunner()
    /// The PostgreSQL advisory lock that orders audited writes across servers.
    static let lockKey = 0x41_494D_4151
    /// The installation's key (`AuditKey`), set when the application is configured: one
    /// installation per process.
    static let key = Mutex<[UInt8]?>(nil)

    /// Runs `change` in a transaction and appends its event to the chain in the same
    /// transaction, so a change and its entry land together or not at all. Audited writes
    /// run one at a time (in this process, and on PostgreSQL across servers through an
    /// advisory lock taken first in the transaction), so what `change` reads inside the
    /// transaction is current, and the entries' sequence numbers commit in order: the change
    /// feed never skips one. `change` must read what it changes inside, from `db`: it may
    /// run again after a clash with a writer in another process.
    ///
    /// `writer` is where it runs: the write lane's transaction connection and loop on a
    /// server, else just a database.
    @discardableResult
    static func record<T: Sendable>(
        on writer: Writer, actor: String,
        _ change: @escaping @Sendable (any Database) async throws -> (T, AuditEvent)
    ) async throws -> T {
        try await writers.run(on: writer.executor) {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    let known = writer.head?.current
                    let (result, entry) = try await transaction(writer) { db in
                        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: lockKey))").run()
                        }
                        let (result, event) = try await change(db)
                        return (result, try await append(event, actor: actor, after: known, on: db))
                    }
                    writer.head?.committed(entry)
                    return result
                } catch {
                    // Whatever failed, the head is read afresh next time: a broken key is also
                    // what a kept head meets when another process appended since.
                    writer.head?.forget()
                    if let error = error as? any DatabaseError, error.isConstraintFailure, attempt < 5 { continue }
                    if isBusy(error) && attempt < 50 {
                        // Another process writes to the same SQLite file: wait and try again.
                        try await Task.sleep(for: .milliseconds(20))
                        continue
                    }
                    throw error
                }
            }
        }
    }

    /// The newest entry a server's write lane appended, so that its next write need not read
    /// the head of the chain again. Another process appending meanwhile (a second server, a
    /// command) takes the next sequence number first: the insert then breaks the key, the
    /// kept head is dropped and the write runs again reading it, so nothing chains to an
    /// older entry. The lane's last committed entries are kept too, as changes: the server's
    /// own catch-up after a write applies them without reading them back (`ChangeFeed`).
    final class Head: Sendable {
        private struct State {
            var head: (sequence: Int, hash: String)?
            var committed: [Change] = []
        }

        private let state = Mutex(State())
        /// Committed entries kept.
        static let kept = 64

        init() {}

        var current: (sequence: Int, hash: String)? { state.withLock { $0.head } }

        /// Drops the kept head: the next write reads it from the database.
        func forget() {
            state.withLock { $0.head = nil }
        }

        /// Call once `record`'s transaction has committed.
        func committed(_ record: AuditRecord) {
            state.withLock { state in
                state.head = (record.sequence, record.hash)
                state.committed.append(Change(sequence: record.sequence, action: record.action, entity: record.entity,
                                              entityID: record.entityID, after: record.after))
                if state.committed.count > Self.kept { state.committed.removeFirst(state.committed.count - Self.kept) }
            }
        }

        /// The committed entries kept that follow `sequence` with no number missing, oldest
        /// first, and whether the newest this lane committed is then applied (none kept: no).
        func committed(after sequence: Int) -> (changes: [Change], reachNewest: Bool) {
            state.withLock { state in
                guard let start = state.committed.firstIndex(where: { $0.sequence == sequence + 1 }) else {
                    return ([], state.committed.last.map { $0.sequence <= sequence } ?? false)
                }
                var run = [state.committed[start]]
                for change in state.committed[(start + 1)...] {
                    guard change.sequence == run[run.count - 1].sequence + 1 else { break }
                    run.append(change)
                }
                return (run, run.last?.sequence == state.committed.last?.sequence)
            }
        }
    }

    /// `record` on a plain database (commands, imports, pages without a write lane).
    @discardableResult
    static func record<T: Sendable>(
        on database: any Database, actor: String,
        _ change: @escaping @Sendable (any Database) async throws -> (T, AuditEvent)
    ) async throws -> T {
        try await record(on: Writer(database: database), actor: actor, change)
    }

    /// Runs `body` in a transaction in turn with the audited writes (on the writer's connection
    /// and executor) without appending an entry: for records too many for the chain, whose
    /// table keeps its own order (opinion votes). On PostgreSQL `lock` orders such
    /// transactions across servers, so identifiers commit in the order they were given.
    @discardableResult
    static func unchained<T: Sendable>(
        on writer: Writer, lock: Int, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        try await writers.run(on: writer.executor) {
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try await transaction(writer) { db in
                        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
                            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: lock))").run()
                        }
                        return try await body(db)
                    }
                } catch where isBusy(error) && attempt < 50 {
                    try await Task.sleep(for: .milliseconds(20))
                    continue
                }
            }
        }
    }

    /// Where a write's transaction runs.
    struct Writer: Sendable {
        var database: any Database
        /// The loop its statements come back to (none: wherever the caller runs).
        var executor: (any TaskExecutor)? = nil
        /// `database` is one connection that only audited writes use, one at a time (the
        /// write lane's on SQLite): the transaction is begun and ended on it directly.
        var exclusive = false
        /// The head of the chain as this writer last appended it (the write lane's).
        var head: Head? = nil
    }

    /// Runs `body` in a transaction on the writer's executor. The driver's own transaction
    /// runs in a task of its own on the shared pool, and on a busy server each step would
    /// wait there behind the reading requests; on an exclusive connection the statements
    /// go straight to it instead.
    private static func transaction<T: Sendable>(
        _ writer: Writer, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        guard writer.exclusive, let sql = writer.database as? any SQLDatabase else {
            // The driver's transaction on futures (PostgreSQL's begins and ends it on the
            // connection's loop), with the body in a task of ours on the writer's executor.
            return try await writer.database.transaction { db -> EventLoopFuture<T> in
                let promise = db.eventLoop.makePromise(of: T.self)
                Task(executorPreference: writer.executor) {
                    do {
                        promise.succeed(try await body(db))
                    } catch {
                        promise.fail(error)
                    }
                }
                return promise.futureResult
            }.get()
        }
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await body(writer.database)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            // Whatever failed, the body or the commit, the connection leaves the transaction.
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// SQLite's answer when another connection holds the write lock or changed the snapshot.
    static func isBusy(_ error: any Error) -> Bool {
        String(reflecting: error).contains("database is locked")
    }

    /// Appends one entry on `database` (call inside the transaction of the change), after
    /// `known` when the head of the chain is known, else after the head read here.
    static func append(_ event: AuditEvent, actor: String, after known: (sequence: Int, hash: String)? = nil,
                       on database: any Database) async throws -> AuditRecord {
        struct Row: Decodable { var id: Int; var hash: String }
        let sql = try database.sql
        var head = known
        if head == nil {
            head = try await sql.select().columns("id", "hash").from(AuditEntry.schema)
                .orderBy("id", .descending).limit(1).first(decoding: Row.self).map { (sequence: $0.id, hash: $0.hash) }
        }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        let record = AuditChain.entry(
            following: head, timestamp: now, actor: actor, action: event.action,
            entity: event.entity, entityID: event.entityID, before: event.before, after: event.after,
            key: key.withLock { $0 })
        try await sql.insert(into: AuditEntry.schema)
            .columns("id", "timestamp", "actor", "action", "entity", "entity_id", "before", "after", "previous_hash", "hash")
            .values(SQLBind(record.sequence), SQLBind(record.timestamp), SQLBind(record.actor), SQLBind(record.action),
                    SQLBind(record.entity), SQLBind(record.entityID), SQLBind(record.before), SQLBind(record.after),
                    SQLBind(record.previousHash), SQLBind(record.hash))
            .run()
        return record
    }

    /// Checks the whole chain in pages of `pageSize`, with the installation's key; with an
    /// `anchor` (a sequence and hash an operator kept, `aimaq audit anchor`) also that the log
    /// still reaches it unchanged. The first break, or nil, and the number of intact entries.
    static func verify(on database: any Database, pageSize: Int = 5_000, anchor: Anchor? = nil,
                       progress: (@Sendable (Int) -> Void)? = nil) async throws -> (AuditChain.Break?, Int) {
        let key = key.withLock { $0 }
        var state = AuditChain.Progress()
        var checked = 0
        while true {
            let after = state.last?.sequence ?? 0
            let page = try await AuditEntry.query(on: database)
                .filter(\.$id > after).sort(\.$id, .ascending).limit(pageSize).all()
                .map(\.record)
            if page.isEmpty { break }
            if let broken = AuditChain.verify(page, progress: &state, key: key) { return (broken, broken.intactBefore) }
            if let anchor, let kept = page.first(where: { $0.sequence == anchor.sequence }), kept.hash != anchor.hash {
                return (.anchorMismatch(sequence: anchor.sequence), anchor.sequence - 1)
            }
            checked += page.count
            progress?(checked)
        }
        if let anchor, checked < anchor.sequence {
            return (.truncated(anchor: anchor.sequence, last: checked), checked)
        }
        return (nil, checked)
    }

    /// The newest entry as an operator keeps it elsewhere: `sequence:hash`.
    struct Anchor: Equatable, Sendable, CustomStringConvertible {
        var sequence: Int
        var hash: String

        init(sequence: Int, hash: String) {
            self.sequence = sequence
            self.hash = hash
        }

        init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let sequence = Int(parts[0]), sequence > 0, !parts[1].isEmpty else { return nil }
            self.init(sequence: sequence, hash: String(parts[1]))
        }

        var description: String { "\(sequence):\(hash)" }
    }

    /// The head of the log, to keep elsewhere (nil when the log is empty).
    static func anchor(on database: any Database) async throws -> Anchor? {
        guard let last = try await AuditEntry.query(on: database).sort(\.$id, .descending).first() else { return nil }
        return Anchor(sequence: last.id ?? 0, hash: last.hash)
    }

    /// Checks that the key is the one the log is signed with (its fingerprint is kept in the
    /// settings); records it when the log has none yet.
    static func checkKey(_ key: [UInt8], on database: any Database) async throws {
        let fingerprint = AuditKey.fingerprint(key)
        if let kept = try await Setting.value("audit_key", on: database) {
            guard kept == fingerprint else {
                throw AuditKey.Problem(description:
                    "this server's audit key (fingerprint \(fingerprint)) is not the one the audit log is signed with (\(kept)); "
                    + "give every server the same key (AIMAQ_AUDIT_KEY, or the same audit.key in each data folder)")
            }
        } else {
            try await Setting.set("audit_key", fingerprint, on: database)
        }
    }
}

/// Writes a JSON string literal, escaping what JSON requires.
func jsonString(_ text: String) -> String {
    var output = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": output += "\\\""
        case "\\": output += "\\\\"
        case "\n": output += "\\n"
        case "\r": output += "\\r"
        case "\t": output += "\\t"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
    }
    return output + "\""
}
