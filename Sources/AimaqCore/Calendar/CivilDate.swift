/// A calendar date with no time and no zone (a deadline, a term's start), written and stored
/// as `YYYY-MM-DD` so that text order is date order on every database.
public struct CivilDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed(String)
        case outOfRange(String)
        public var description: String {
            switch self {
            case .malformed(let s): "a date must be written YYYY-MM-DD, got \"\(s)\""
            case .outOfRange(let s): "\(s) is not a day of the calendar"
            }
        }
    }

    public init(year: Int, month: Int, day: Int) throws(ParseError) {
        guard (1...12).contains(month), year >= 1 && year <= 9999,
              (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw .outOfRange("\(year)-\(month)-\(day)")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    public init(_ text: some StringProtocol) throws(ParseError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
            throw .malformed(String(text))
        }
        try self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String {
        // Digit by digit into ten bytes: pages write hundreds of dates.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        func digits(_ n: Int, _ width: Int) {
            var divisor = 1
            for _ in 1 ..< width { divisor *= 10 }
            var rest = n
            while divisor > 0 {
                bytes.append(48 + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(45)
        digits(month, 2)
        bytes.append(45)
        digits(day, 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        self = try CivilDate(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A period of validity: from a first day to a last day, either end open.
public struct ValidityPeriod: Hashable, Sendable, Codable {
    public var from: CivilDate?
    public var to: CivilDate?

    public init(from: CivilDate?, to: CivilDate?) {
        self.from = from
        self.to = to
    }

    public func contains(_ date: CivilDate) -> Bool {
        (from.map { $0 <= date } ?? true) && (to.map { date <= $0 } ?? true)
    }
}
