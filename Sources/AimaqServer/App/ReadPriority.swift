#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The threads that read give way to those that write when the cores are busy.
///
/// Pages are rendered on the event loops; a write runs its statements on the write lane's
/// loop and thread pool (`WriteLane`) and hands each one from thread to thread. Under a full
/// load of readers each such hand-over waited for a core as long as any page, and a write
/// makes some twenty. The serving process therefore lowers the scheduling priority of the
/// threads that render pages (`LoopThreads`, or the event loops when rendering there) and of
/// the loop that remakes pages (`nice`, raised by `AIMAQ_READ_NICE`):
/// when nothing else wants the cores the loops have them all, and a write's threads (and the
/// database server on the same machine) go first when they need one. Raising one's own
/// `nice` needs no privilege. Linux keeps a `nice` per thread; elsewhere this does nothing.
enum ReadPriority {
    /// Raises the `nice` of each loop's thread by `amount` (at most to 19), waiting until done.
    static func lower(_ loops: [any EventLoop], by amount: Int) async throws {
        guard amount > 0 else { return }
        for loop in loops {
            try await loop.submit { lowerCurrentThread(by: amount) }.get()
        }
    }

    /// Raises the calling thread's `nice` by `amount`, at most to 19.
    static func lowerCurrentThread(by amount: Int) {
        #if os(Linux)
        let current = currentThreadNice()
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Int32(min(19, Int(current) + amount)))
        #endif
    }

    /// The calling thread's `nice`.
    static func currentThreadNice() -> Int32 {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 0
        #endif
    }
}
