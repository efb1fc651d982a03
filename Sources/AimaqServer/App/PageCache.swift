import Foundation
import Synchronization

/// Rendered pages and fragments, kept under the version of exactly what they show and
/// bounded in bytes (`AIMAQ_PAGE_CACHE_MB`), the least recently used leaving first. Pages
/// that any visitor can vary without end (a what-if with any share, a register with any
/// filter) are kept in a partition of their own, a quarter of the bytes, so that a script
/// asking for new variants evicts only variants, never the pages everybody reads.
final class PageCache: Sendable {
    enum Partition: Sendable {
        /// Pages with a fixed set of addresses: territories, instructions, the overview.
        case stable
        /// Pages whose address carries free input.
        case variant
    }

    private let stable: Mutex<ByteLRU<String, Entry>>
    private let variants: Mutex<ByteLRU<String, Entry>>
    /// When false nothing is kept and every page is rendered afresh.
    let enabled: Bool

    struct Entry: Sendable {
        var version: Int
        var value: Value
        var madeAt: ContinuousClock.Instant
    }

    /// The present, read when a page is kept and when its age is judged (tests move it).
    private let clock: @Sendable () -> ContinuousClock.Instant

    /// Whole pages being remade off the request path (`anonymousPage`).
    private let remaking = Mutex<Set<String>>([])

    enum Value: Sendable {
        case html(String)
        case fragment(Prerendered)
        case document(Data)

        var bytes: Int {
            switch self {
            case .html(let text): text.utf8.count
            case .fragment(let fragment): fragment.byteCount
            case .document(let data): data.count
            }
        }
    }

    init(enabled: Bool = true, megabytes: Int = 64,
         clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.enabled = enabled
        self.clock = clock
        let total = max(1, megabytes) * 1_048_576
        stable = Mutex(ByteLRU(capacity: total - total / 4))
        variants = Mutex(ByteLRU(capacity: total / 4))
    }

    private func lookup(_ key: String, version: Int, in partition: Partition) -> Value? {
        guard enabled else { return nil }
        let entry = withStore(partition) { $0.value(for: key) }
        guard let entry, entry.version == version else { return nil }
        return entry.value
    }

    private func keep(_ key: String, _ value: Value, version: Int, in partition: Partition) {
        guard enabled else { return }
        // Every key carries a fixed overhead for its bookkeeping.
        let bytes = value.bytes + key.utf8.count + 64
        let entry = Entry(version: version, value: value, madeAt: clock())
        withStore(partition) { $0.set(key, entry, bytes: bytes) }
    }

    private func withStore<T: Sendable>(_ partition: Partition, _ body: (inout ByteLRU<String, Entry>) -> T) -> T {
        switch partition {
        case .stable: stable.withLock { body(&$0) }
        case .variant: variants.withLock { body(&$0) }
        }
    }

    /// A whole page for visitors who are not signed in (the same for all of them).
    func cachedAnonymousPage(_ key: String, version: Int, partition: Partition = .stable) -> String? {
        guard case .html(let html)? = lookup("page:" + key, version: version, in: partition) else { return nil }
        return html
    }

    func storeAnonymousPage(_ key: String, _ html: String, version: Int, partition: Partition = .stable) {
        keep("page:" + key, .html(html), version: version, in: partition)
    }

    /// A whole page for visitors who are not signed in, made by `render` when none is kept.
    /// One kept of an older version is served as it is while it is younger than three quarters
    /// of `lag`;
    /// from then on it is still served, to every reader, while the first who found it so has
    /// it remade on `background`; once older than `lag` (after a quiet spell) the reader makes
    /// it and waits. So under steady reading no reader waits for a page to be remade, a page
    /// is remade about once per `lag` while its version keeps moving, and it shows a
    /// change at most `lag` (and one rendering) after it. Without `background` or with a zero
    /// `lag`, a reader who finds the page old remakes it and waits (tests read their own
    /// changes at once).
    func anonymousPage(_ key: String, version: Int, partition: Partition = .stable, lag: Duration,
                       background: (any TaskExecutor)?,
                       render: @escaping @Sendable () async throws -> String) async throws -> String {
        let full = "page:" + key
        if enabled, lag > .zero, let background, let entry = withStore(partition, { $0.value(for: full) }),
           case .html(let html) = entry.value, entry.version != version {
            let age = clock() - entry.madeAt
            if age < lag * 3 / 4 { return html }
            if age < lag {
                guard remaking.withLock({ $0.insert(full).inserted }) else { return html }
                Task(executorPreference: background) {
                    let made = try? await render()
                    // Done before the outcome shows, so a reader who sees it may start the next remake.
                    _ = self.remaking.withLock { $0.remove(full) }
                    if let made {
                        self.keep(full, .html(made), version: version, in: partition)
                    } else {
                        // Not served again: the next reader makes it, and meets the error itself.
                        self.withStore(partition) { $0.remove(full) }
                    }
                }
                return html
            }
            if remaking.withLock({ $0.contains(full) }) { return html }  // being remade: within one rendering
        }
        if let html = cachedAnonymousPage(key, version: version, partition: partition) { return html }
        let html = try await render()
        storeAnonymousPage(key, html, version: version, partition: partition)
        return html
    }

    /// A JSON answer, encoded once per version.
    func document(_ key: String, version: Int = 0, partition: Partition = .stable, make: () throws -> Data) rethrows -> Data {
        if case .document(let data)? = lookup("doc:" + key, version: version, in: partition) { return data }
        let data = try make()
        keep("doc:" + key, .document(data), version: version, in: partition)
        return data
    }

    func fragment(_ key: String, version: Int, partition: Partition = .stable, make: () -> Node) -> Node {
        guard enabled else { return make() }
        if case .fragment(let hit)? = lookup("frag:" + key, version: version, in: partition) { return .prerendered(hit) }
        let fragment = Prerendered(make())
        keep("frag:" + key, .fragment(fragment), version: version, in: partition)
        return .prerendered(fragment)
    }

    /// The same for a fragment whose data must first be read from the database.
    func fragment(_ key: String, version: Int, partition: Partition = .stable,
                  make: () async throws -> Node) async rethrows -> Node {
        guard enabled else { return try await make() }
        if case .fragment(let hit)? = lookup("frag:" + key, version: version, in: partition) { return .prerendered(hit) }
        let fragment = Prerendered(try await make())
        keep("frag:" + key, .fragment(fragment), version: version, in: partition)
        return .prerendered(fragment)
    }

    func clear() {
        stable.withLock { $0.removeAll() }
        variants.withLock { $0.removeAll() }
    }

    /// Bytes and entries held, for tests and the health page.
    var usage: (stable: Int, variants: Int, entries: Int) {
        let a = stable.withLock { ($0.bytes, $0.count) }
        let b = variants.withLock { ($0.bytes, $0.count) }
        return (a.0, b.0, a.1 + b.1)
    }
}

/// A least-recently-used map bounded by the bytes its values are said to take. Reading or
/// writing a key makes it the most recent; adding past the capacity drops the least recent.
/// All operations take constant time (a dictionary into a doubly linked list kept in arrays).
struct ByteLRU<Key: Hashable, Value> {
    private struct Slot {
        var key: Key
        var value: Value?
        var bytes: Int
        var newer: Int
        var older: Int
    }

    let capacity: Int
    private(set) var bytes = 0
    private var slots: [Slot] = []
    private var free: [Int] = []
    private var index: [Key: Int] = [:]
    /// The most and least recently used slots, -1 when empty.
    private var newest = -1
    private var oldest = -1

    init(capacity: Int) {
        self.capacity = capacity
    }

    var count: Int { index.count }

    mutating func value(for key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        touch(slot)
        return slots[slot].value
    }

    /// Keeps `value`; one larger than the whole capacity is not kept.
    mutating func set(_ key: Key, _ value: Value, bytes size: Int) {
        if let slot = index[key] { remove(slot) }
        guard size <= capacity else { return }
        while bytes + size > capacity, oldest >= 0 { remove(oldest) }
        let slot: Int
        let fresh = Slot(key: key, value: value, bytes: size, newer: -1, older: newest)
        if let reused = free.popLast() {
            slot = reused
            slots[slot] = fresh
        } else {
            slot = slots.count
            slots.append(fresh)
        }
        if newest >= 0 { slots[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
        index[key] = slot
        bytes += size
    }

    mutating func removeAll() {
        self = ByteLRU(capacity: capacity)
    }

    mutating func remove(_ key: Key) {
        if let slot = index[key] { remove(slot) }
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (slots[slot].newer, slots[slot].older)
        if newer >= 0 { slots[newer].older = older } else { newest = older }
        if older >= 0 { slots[older].newer = newer } else { oldest = newer }
    }

    private mutating func touch(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        slots[slot].older = newest
        slots[slot].newer = -1
        if newest >= 0 { slots[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func remove(_ slot: Int) {
        unlink(slot)
        index[slots[slot].key] = nil
        bytes -= slots[slot].bytes
        slots[slot].value = nil
        free.append(slot)
    }
}
