import FluentKit
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Vapor

/// Where audited writes run: two threads with their own event loops, thread pool and database
/// connections. Readers keep the server's event loops busy; a write makes a dozen round
/// trips to the database, and each would wait behind the reading requests queued on its
/// loop. Here they wait for nobody but other writes.
///
/// One loop holds the connection that runs the transactions, one at a time; the other holds
/// the connection for what a write reads around its transaction (its token, the assignment
/// it loads, the change feed afterwards), so those reads never queue behind another
/// write's transaction, nor a transaction behind them (a driver gives each loop one
/// connection).
final class WriteLane: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let databases: Databases
    /// Runs the transactions.
    let executor: LoopExecutor
    /// Runs the rest of a write: its reads before and after the transaction.
    let readExecutor: LoopExecutor
    /// The head of the audit chain as the lane last appended it.
    let auditHead = AuditLog.Head()
    private let logger: Logger
    /// The transactions' connection is a SQLite file's: one connection that nothing else
    /// uses, so a transaction is begun and ended on it directly (`AuditLog.Writer.exclusive`).
    let exclusive: Bool

    init(_ configuration: DatabaseConfigurationFactory, as id: DatabaseID, logger: Logger) {
        exclusive = id == .sqlite
        group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: group)
        databases.use(configuration, as: id)
        var loops = group.makeIterator()
        guard let first = loops.next(), let second = loops.next() else { fatalError("the write lane has two loops") }
        executor = LoopExecutor(first)
        readExecutor = LoopExecutor(second)
        self.logger = logger
    }

    /// The connection of the transactions, bound to their loop.
    var database: any Database { database(on: executor) }

    /// The connection of the reads around a transaction.
    var readDatabase: any Database { database(on: readExecutor) }

    private func database(on executor: LoopExecutor) -> any Database {
        guard let database = databases.database(logger: logger, on: executor.loop) else {
            fatalError("the write lane's database was used after shutdown")
        }
        return database
    }

    func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
    }

    /// Ends the lane with the application.
    struct Shutdown: LifecycleHandler {
        let lane: WriteLane
        func shutdownAsync(_ application: Application) async { await lane.shutdown() }
    }
}

/// Runs tasks that prefer it on one event loop.
final class LoopExecutor: TaskExecutor, Sendable {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

extension Request {
    /// Runs a write route's work on the write lane, reading through the lane's database: its
    /// reads and its write then wait for no reading request. Elsewhere (an in-memory
    /// database) it runs as it is, on the request's database.
    func onWriteLane<T: Sendable>(_ body: @Sendable (any Database) async throws -> T) async throws -> T {
        guard let lane = aimaq.writes else { return try await body(db) }
        return try await withTaskExecutorPreference(lane.readExecutor) { try await body(lane.readDatabase) }
    }

    /// What a write reads before its transaction: the write lane's connection for the reads
    /// around transactions when there is one, else the request's database.
    var writeReads: any SQLDatabase {
        guard let lane = aimaq.writes else { return sql }
        return lane.readDatabase as! any SQLDatabase
    }

    /// Where audited writes run: the write lane's transaction connection and loop when there
    /// is one (a server on a database file or on PostgreSQL), else the request's database.
    var writer: AuditLog.Writer {
        guard let lane = aimaq.writes else { return AuditLog.Writer(database: db) }
        return AuditLog.Writer(database: lane.database, executor: lane.executor, exclusive: lane.exclusive, head: lane.auditHead)
    }
}

extension Request {
    /// Runs `body` in a task that starts on the write lane (when there is one) and answers on
    /// the request's event loop. An async route or middleware starts its task on the shared
    /// pool, where it waits behind every reading request at each step; a write started here
    /// hops to the lane once and back once.
    func startOnWriteLane<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> EventLoopFuture<T> {
        let promise = eventLoop.makePromise(of: T.self)
        Task(executorPreference: aimaq.writes?.readExecutor) {
            do {
                promise.succeed(try await body())
            } catch {
                promise.fail(error)
            }
        }
        return promise.futureResult
    }
}

/// Threads with event loops of their own, for work that must neither hold the server's event
/// loops nor wait behind them:
/// - one for remaking visitors' pages that may be a moment behind (`FreshEnough`): the
///   reader who finds such a page old gets it at once, and the remaking shares the CPU under
///   the kernel's scheduler instead of holding an event loop;
/// - one beside each event loop for rendering the pages let through the gate
///   (`AIMAQ_RENDER_THREADS`, `ReadGate`). An event loop carries its connections' bytes, a
///   write's request and answer among them; while the same loops rendered pages, those bytes
///   waited behind the pages queued there, some 10 ms at each end under a full load of
///   readers. With the rendering here the loops only move bytes and keep their priority;
///   these threads take the lower one (`ReadPriority`).
final class LoopThreads: Sendable {
    private let group: MultiThreadedEventLoopGroup
    let executors: [LoopExecutor]

    init(threads: Int) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(threads, 1))
        executors = group.makeIterator().map { LoopExecutor($0) }
    }

    /// The first (with one thread, the only) executor.
    var executor: LoopExecutor { executors[0] }

    var loops: [any EventLoop] { executors.map(\.loop) }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }

    /// The render threads of a server.
    struct RenderKey: StorageKey { typealias Value = LoopThreads }

    /// Ends the threads with the application.
    struct Shutdown: LifecycleHandler {
        let threads: LoopThreads
        func shutdownAsync(_ application: Application) async { await threads.shutdown() }
    }
}
