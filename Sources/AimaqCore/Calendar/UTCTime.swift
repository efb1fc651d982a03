/// Moments (milliseconds since 1970 UTC) as text, without Foundation's date formatters,
/// which cost more to build than a whole table row does to render.
public enum UTCTime {
    /// `2026-03-02T09:15:07Z`
    public static func iso8601(milliseconds: Int64) -> String {
        let (date, hour, minute, second) = parts(milliseconds)
        return "\(date)T\(two(hour)):\(two(minute)):\(two(second))Z"
    }

    /// `20260302T091507Z`, the UTC form of iCalendar (RFC 5545).
    public static func compact(milliseconds: Int64) -> String {
        let (date, hour, minute, second) = parts(milliseconds)
        let day = "\(date.year)" + two(date.month) + two(date.day)
        return "\(day)T\(two(hour))\(two(minute))\(two(second))Z"
    }

    private static func parts(_ milliseconds: Int64) -> (CivilDate, Int, Int, Int) {
        let seconds = Int(milliseconds.dividedRoundingDown(by: 1_000))
        let day = seconds.dividedRoundingDown(by: 86_400)
        let inDay = seconds - day * 86_400
        return (CivilDate(dayNumber: day), inDay / 3_600, inDay / 60 % 60, inDay % 60)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension BinaryInteger {
    /// Division that rounds towards minus infinity, so times before 1970 land on the right day.
    func dividedRoundingDown(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
