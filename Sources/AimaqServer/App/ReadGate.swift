import Synchronization
import Vapor

/// At most so many reading requests at work at once on an event loop (`AIMAQ_READ_CONCURRENCY`
/// over the loops); the others wait their turn here, first come first served, up to
/// `AIMAQ_READ_QUEUE` on each loop. A reader who would wait behind more is answered at once
/// with 503 and `Retry-After`: an overloaded server sheds what it cannot serve soon instead of
/// growing its queue, its memory and every reader's wait without end.
///
/// Without render threads (`AIMAQ_RENDER_THREADS=0`) pages are rendered on the event loops,
/// which also carry every connection's bytes and the answers of writes coming back from the
/// write lane (`WriteLane`). An event loop runs its
/// jobs in the order they came: with 64 readers, each loop holds some thirty rendering jobs,
/// and a write's answer waited behind all of them (some 15 ms at each step of its way).
/// Readers past the limit wait as suspended tasks instead, outside the loops' queues, so a
/// write, a connection's bytes or a database answer waits behind a few pages at most. The
/// order is the same; one server on its own cores served more pages a second with the gate,
/// two sharing the same two cores a little fewer (docs/BENCHMARKS.md).
///
/// Each loop has its own gate, and a waiting reader is let in on its own loop (or its render
/// thread): Swift's tasks run on the event loops (`installEventLoopExecutor`), a resumed task
/// stays on the loop that resumed it, and one shared gate let one loop render everything
/// while the other idled. With render threads, a reader waits and renders on the thread
/// beside its event loop (`LoopThreads`), and only the answer goes back to the loop.
final class ReadGate: Sendable {
    private struct State {
        var free: Int
        /// The waiting readers, oldest from `head`.
        var waiting: [CheckedContinuation<Bool, Never>] = []
        var head = 0

        mutating func takeOldest() -> CheckedContinuation<Bool, Never>? {
            guard head < waiting.count else { return nil }
            let next = waiting[head]
            head += 1
            if head >= 64, head * 2 >= waiting.count {
                waiting.removeFirst(head)
                head = 0
            }
            return next
        }
    }

    private let state: Mutex<State>
    let permits: Int
    /// Readers that may wait at once; the next is turned away.
    let queue: Int
    /// The loop whose readers wait here: where they go on when let in.
    let loop: any EventLoop
    /// Where the readers render their pages, when not on their event loop (`LoopThreads`).
    let render: LoopExecutor?

    init(permits: Int, queue: Int = .max, loop: any EventLoop, render: LoopExecutor? = nil) {
        self.permits = permits
        self.queue = max(queue, 0)
        self.loop = render?.loop ?? loop
        self.render = render
        state = Mutex(State(free: permits))
    }

    /// Waits until a reader may start; false, at once, when the queue is full (the reader
    /// then holds no place to give back).
    func enter() async -> Bool {
        let admitted = state.withLock { state -> Bool in
            guard state.free > 0 else { return false }
            state.free -= 1
            return true
        }
        if admitted { return true }
        return await withCheckedContinuation { (waiter: CheckedContinuation<Bool, Never>) in
            let answer = state.withLock { state -> Bool? in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                guard state.waiting.count - state.head < queue else { return false }
                state.waiting.append(waiter)
                return nil
            }
            if let answer { waiter.resume(returning: answer) }
        }
    }

    /// A reader is done: its place goes to the oldest waiting one, who goes on on this loop.
    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let next = state.takeOldest() { return next }
            state.free += 1
            return nil
        }
        guard let next else { return }
        if loop.inEventLoop { next.resume(returning: true) } else { loop.execute { next.resume(returning: true) } }
    }

    /// Readers at work and waiting, for tests and the health page.
    var load: (working: Int, waiting: Int) {
        state.withLock { (permits - $0.free, $0.waiting.count - $0.head) }
    }

    /// The health checks pass by the gate: a balancer that found a busy server "unhealthy"
    /// would send its readers to the others, and overload them in turn.
    static let ungated: Set<String> = [SiteURL.health.path, SiteURL.api(.health).path]

    /// Puts every `GET` route whose work is asynchronous behind the gate of its request's
    /// loop, `permits` readers at work on each loop of `loops`. Routes that answer on their
    /// event loop at once (`/ping`), the health checks and writes are left as they are.
    /// With `render` executors, the readers of each event loop wait for and render their page
    /// on one of them (`LoopThreads`), the loop only moving the bytes.
    static func guardReads(_ routes: Routes, loops: [any EventLoop], permits: Int, queue: Int,
                           render: [LoopExecutor] = []) {
        var gates: [ObjectIdentifier: ReadGate] = [:]
        for (number, loop) in loops.enumerated() {
            let executor = render.isEmpty ? nil : render[number % render.count]
            gates[ObjectIdentifier(loop)] = ReadGate(permits: permits, queue: queue, loop: loop, render: executor)
        }
        let all = gates
        for route in routes.all where route.method == .GET || route.method == .HEAD {
            guard !ungated.contains("/" + route.path.string) else { continue }
            if let base = route.responder as? any AsyncResponder {
                route.responder = Gated(base: base, gates: all)
            }
        }
    }

    /// The answer to a reader turned away: 503 with `Retry-After`, in the visitor's language,
    /// and cheaper than any page (a reader turned away must not cost what a page served does;
    /// the full error page, with the site's header, measured so).
    static func busy(_ request: Request) -> Response {
        var headers: HTTPHeaders = ["Retry-After": "1", "Cache-Control": "no-store"]
        let message = request.t("error.busy")
        let body: String
        if request.url.path.hasPrefix("/api/") {
            headers.contentType = .json
            body = "{\"error\":{\"status\":503,\"message\":\(jsonString(message))}}"
        } else {
            headers.contentType = .html
            let title = request.t("error.busy.title")
            let page = fragment {
                el("title") { title }
                el("h1") { title }
                el("p", .class("error-message")) { message }
            }
            body = "<!doctype html><html lang=\"\(request.language.rawValue)\"><meta charset=\"utf-8\">\(page.render())</html>"
        }
        return Response(status: .serviceUnavailable, headers: headers, body: .init(string: body))
    }

    struct Gated: AsyncResponder {
        let base: any AsyncResponder
        let gates: [ObjectIdentifier: ReadGate]

        func respond(to request: Request) async throws -> Response {
            // A request on a loop of another group (none in a server) goes in at once.
            guard let gate = gates[ObjectIdentifier(request.eventLoop)] else { return try await base.respond(to: request) }
            guard let render = gate.render else { return try await pass(gate, request) }
            // Waiting, rendering and every step after a database's answer run on the render
            // thread; only the answer goes back to the request's loop.
            return try await withTaskExecutorPreference(render) { try await pass(gate, request) }
        }

        private func pass(_ gate: ReadGate, _ request: Request) async throws -> Response {
            guard await gate.enter() else { return ReadGate.busy(request) }
            defer { gate.leave() }
            return try await base.respond(to: request)
        }
    }
}
