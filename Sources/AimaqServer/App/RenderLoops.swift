import NIOCore
import NIOPosix
import Vapor

/// Threads of their own for rendering pages, one beside each event loop (`AIMAQ_RENDER_THREADS`).
///
/// An event loop carries its connections' bytes: a write's request is read there and its
/// answer written there. While the same loops rendered pages, a write's bytes waited behind
/// the pages queued on its loop, and (with the loops at a lower priority, `ReadPriority`)
/// for a core as well: some 10 ms at each end under a full load of readers, whatever the
/// write's own time. With the rendering here, the loops only move bytes and keep their
/// priority; these threads take the lower one.
final class RenderLoops: Sendable {
    private let group: MultiThreadedEventLoopGroup
    let executors: [LoopExecutor]

    init(threads: Int) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(threads, 1))
        executors = group.makeIterator().map { LoopExecutor($0) }
    }

    var loops: [any EventLoop] { executors.map(\.loop) }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }

    struct Key: StorageKey { typealias Value = RenderLoops }

    /// Ends the threads with the application.
    struct Shutdown: LifecycleHandler {
        let loops: RenderLoops
        func shutdownAsync(_ application: Application) async { await loops.shutdown() }
    }
}
