import FluentKit
import Logging
import NIOCore
import NIOPosix
import Vapor

/// Where audited writes run: one thread with its own event loop, thread pool and database
/// connection. Readers keep both event loops of the server busy; a write makes a dozen round
/// trips to the database, and each would wait behind the reading requests queued on its
/// loop, while writes wait for each other (one at a time). Here they wait for nobody.
final class WriteLane: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let databases: Databases
    let executor: LoopExecutor
    private let logger: Logger

    init(_ configuration: DatabaseConfigurationFactory, as id: DatabaseID, logger: Logger) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: group)
        databases.use(configuration, as: id)
        executor = LoopExecutor(group.next())
        self.logger = logger
    }

    /// The lane's database, bound to its event loop.
    var database: any Database {
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
        return try await withTaskExecutorPreference(lane.executor) { try await body(lane.database) }
    }

    /// The database and executor audited writes use: the write lane's when there is one
    /// (a server on a database file or on PostgreSQL), else the request's.
    var writer: (database: any Database, executor: LoopExecutor?) {
        guard let lane = aimaq.writes else { return (db, nil) }
        return (lane.database, lane.executor)
    }
}
