import AimaqCore
import Foundation
import Synchronization

/// Rate limits of signing in, per account and per client address.
final class LoginThrottle: Sendable {
    private let accounts: Mutex<AttemptLimiter>
    private let addresses: Mutex<AttemptLimiter>

    init(perAccount: Int = 5, perAddress: Int = 20, window: Double = 15 * 60) {
        accounts = Mutex(AttemptLimiter(limit: perAccount, window: window))
        addresses = Mutex(AttemptLimiter(limit: perAddress, window: window))
    }

    /// Seconds to wait before this account or address may try again; nil when it may.
    func retryAfter(account: String, address: String) -> Double? {
        let now = Date().timeIntervalSince1970
        let a = accounts.withLock { $0.retryAfter(account, now: now) }
        let b = addresses.withLock { $0.retryAfter(address, now: now) }
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil), (nil, let x?): return x
        case (let x?, let y?): return max(x, y)
        }
    }

    func recordFailure(account: String, address: String) {
        let now = Date().timeIntervalSince1970
        accounts.withLock { $0.recordFailure(account, now: now) }
        addresses.withLock { $0.recordFailure(address, now: now) }
    }

    func recordSuccess(account: String) {
        accounts.withLock { $0.reset(account) }
    }
}
