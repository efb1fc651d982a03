import Foundation

/// Kazakhstan's clock: one national time zone, UTC+5, since 1 March 2024 (before it the
/// eastern regions kept UTC+6). Moments are stored in UTC; people read them here.
public enum KazakhstanTime {
    public static let offsetSeconds = 5 * 3_600

    /// Now, as milliseconds since 1970 UTC (how moments are stored).
    public static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000).rounded()) }

    /// The date in Kazakhstan at `date`.
    public static func today(_ date: Date = Date()) -> CivilDate {
        CivilDate(dayNumber: Int(floor((date.timeIntervalSince1970 + Double(offsetSeconds)) / 86_400)))
    }

    /// The local date and wall-clock time of a stored moment.
    public static func local(milliseconds: Int64) -> (date: CivilDate, hour: Int, minute: Int) {
        let seconds = Int(milliseconds.dividedRoundingDown(by: 1_000)) + offsetSeconds
        let day = seconds.dividedRoundingDown(by: 86_400)
        let inDay = seconds - day * 86_400
        return (CivilDate(dayNumber: day), inDay / 3_600, inDay / 60 % 60)
    }
}
