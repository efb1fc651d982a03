/// Working days on a Kazakhstan calendar: Saturdays and Sundays are days off, public holidays
/// and declared days off are added from data, and a weekend day declared a working day
/// (a transfer) counts as one. Holidays change by decree, so they are data, never code.
public struct WorkingCalendar: Sendable {
    public enum DayKind: String, Sendable, Codable {
        /// A public holiday (non-working).
        case holiday
        /// A declared day off (a holiday moved from a weekend, or a transfer).
        case dayOff = "day_off"
        /// A weekend day declared a working day (the other half of a transfer).
        case workingDay = "working_day"
    }

    public struct SpecialDay: Sendable, Hashable {
        public var date: CivilDate
        public var kind: DayKind
        public var name: String
        public init(date: CivilDate, kind: DayKind, name: String) {
            self.date = date
            self.kind = kind
            self.name = name
        }
    }

    private var special: [CivilDate: SpecialDay] = [:]
    /// The fewest working days between the day a deadline is set and the deadline: the
    /// Government Regulation (p. 135) asks for realistic deadlines of not less than two
    /// working days. A setting (`AIMAQ_DEADLINE_MIN_WORKING_DAYS`), since the rule is not in
    /// decree No. 976.
    public var minimumDeadline = 2

    public init(_ days: [SpecialDay] = []) {
        for day in days { special[day.date] = day }
    }

    public var specialDays: [SpecialDay] { special.values.sorted { $0.date < $1.date } }

    /// This calendar with `other`'s days added; where both name a date, `other` wins (a
    /// decree's transfers laid over the holidays of the law).
    public func overlaid(with other: WorkingCalendar) -> WorkingCalendar {
        var result = self
        for (date, day) in other.special { result.special[date] = day }
        return result
    }

    public func specialDay(_ date: CivilDate) -> SpecialDay? { special[date] }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        if let day = special[date] { return day.kind == .workingDay }
        return date.weekday <= 5
    }

    /// The date `count` working days after `date` (before it when `count` is negative).
    public func adding(workingDays count: Int, to date: CivilDate) -> CivilDate {
        var current = date
        var remaining = abs(count)
        let step = count >= 0 ? 1 : -1
        while remaining > 0 {
            current = current.adding(days: step)
            if isWorkingDay(current) { remaining -= 1 }
        }
        return current
    }

    /// Working days after `start` up to and including `end` (negative when `end` is earlier).
    public func workingDays(from start: CivilDate, to end: CivilDate) -> Int {
        if end < start { return -workingDays(from: end, to: start) }
        var count = 0
        var current = start
        while current < end {
            current = current.adding(days: 1)
            if isWorkingDay(current) { count += 1 }
        }
        return count
    }

    /// The rule of the Government Regulation on instructions: a deadline is never less than
    /// `minimum` working days after the day it is set.
    public func checkDeadline(_ deadline: CivilDate, setOn today: CivilDate, minimum: Int? = nil) -> DeadlineProblem? {
        let days = minimum ?? minimumDeadline
        let earliest = adding(workingDays: days, to: today)
        return deadline < earliest ? .tooSoon(earliest: earliest, minimum: days) : nil
    }

    public enum DeadlineProblem: Equatable, Sendable, CustomStringConvertible {
        case tooSoon(earliest: CivilDate, minimum: Int)
        public var description: String {
            switch self {
            case .tooSoon(let earliest, let minimum):
                "a deadline must be at least \(minimum) working day\(minimum == 1 ? "" : "s") away: \(earliest) or later"
            }
        }
    }

    /// Reads `date,kind,name` lines (kind: holiday, day_off, working_day); errors name the line.
    public static func parse(_ text: String) throws(CSVReader.ParseError) -> WorkingCalendar {
        let records = try CSVReader().records(text, required: ["date", "kind", "name"])
        var days: [SpecialDay] = []
        for record in records {
            let date: CivilDate
            do {
                date = try CivilDate(record["date"])
            } catch {
                throw CSVReader.ParseError(line: record.line, column: record.column(of: "date"), message: error.description)
            }
            guard let kind = DayKind(rawValue: record["kind"]) else {
                throw CSVReader.ParseError(line: record.line, column: record.column(of: "kind"),
                                           message: "kind must be holiday, day_off or working_day, got \"\(record["kind"])\"")
            }
            days.append(SpecialDay(date: date, kind: kind, name: record["name"]))
        }
        return WorkingCalendar(days)
    }
}

extension CivilDate {
    /// Days since 1970-01-01 (proleptic Gregorian), for day arithmetic without Foundation.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = month + (month > 2 ? -3 : 9)
        let dayOfYear = (153 * m + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        // The arithmetic only yields valid dates.
        self = try! CivilDate(year: yearOfEra + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// ISO weekday: 1 Monday … 7 Sunday.
    public var weekday: Int {
        let n = (dayNumber + 3) % 7 // 1970-01-01 was a Thursday (3 from Monday = 0)
        return (n < 0 ? n + 7 : n) + 1
    }
}
