/// Counts failed attempts per key (an account, an address) in a sliding window; a key with
/// `limit` failures inside the window is blocked until the oldest of them leaves it.
public struct AttemptLimiter: Sendable {
    public let limit: Int
    /// Window length in seconds.
    public let window: Double
    private var failures: [String: [Double]] = [:]

    public init(limit: Int, window: Double) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `key` may try again, or nil when it may try now.
    public func retryAfter(_ key: String, now: Double) -> Double? {
        Self.retryAfter(failures: failures[key] ?? [], limit: limit, window: window, now: now)
    }

    /// The rule itself, for failures counted elsewhere (the server keeps them in its
    /// database): seconds to wait after `failures` (times, oldest first), or nil.
    public static func retryAfter(failures: [Double], limit: Int, window: Double, now: Double) -> Double? {
        let recent = failures.filter { now - $0 < window }
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return window - (now - oldest)
    }

    public mutating func recordFailure(_ key: String, now: Double) {
        var times = failures[key, default: []].filter { now - $0 < window }
        times.append(now)
        failures[key] = times
        if failures.count > 100_000 { prune(now: now) }
    }

    public mutating func reset(_ key: String) {
        failures[key] = nil
    }

    /// Drops keys with no failure inside the window, so memory stays bounded.
    public mutating func prune(now: Double) {
        failures = failures.compactMapValues { times in
            let recent = times.filter { now - $0 < window }
            return recent.isEmpty ? nil : recent
        }
    }
}
