/// A code of the classifier of administrative-territorial objects (KATO), nine digits
/// `AB CD EF HIJ`: AB region, CD district (or city of oblast significance, or city district
/// in the three big cities), EF rural district / settlement / town administration,
/// HIJ village (`000` = the unit itself).
///
/// The code alone tells its level, its region and the chain of codes above it. The
/// classifier skips some links of that chain (a town may hang straight under its district),
/// so ``TerritoryTree`` resolves a parent as the nearest ancestor that exists.
public struct KATOCode: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The nine digits as a number (leading zeros are impossible: regions start at 10).
    public let value: Int

    /// The kinds of level a code can stand for, read from its digits.
    public enum Level: Int, Sendable, Comparable, CaseIterable, Codable {
        case region = 1, district, ruralDistrict, village, subordinateVillage
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case notNineDigits(String)
        case unknownRegion(String)
        public var description: String {
            switch self {
            case .notNineDigits(let s): "KATO code must be exactly nine digits, got \"\(s)\""
            case .unknownRegion(let s): "KATO code \(s) does not start with a known region number"
            }
        }
    }

    /// The first two digits of the 20 first-level units (equal to their ISO 3166-2 numbers).
    public static let regionNumbers: Set<Int> = [
        10, 11, 15, 19, 23, 27, 31, 33, 35, 39, 43, 47, 55, 59, 61, 62, 63, 71, 75, 79,
    ]

    /// Parses and validates a code written as nine digits.
    public init(_ text: some StringProtocol) throws(ParseError) {
        let trimmed = text.trimmingPrefixAndSuffixSpaces()
        guard trimmed.utf8.count == 9, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let number = Int(trimmed) else {
            throw .notNineDigits(String(text))
        }
        guard Self.regionNumbers.contains(number / 10_000_000) else {
            throw .unknownRegion(trimmed)
        }
        self.value = number
    }

    /// Validates a code given as a number.
    public init(number: Int) throws(ParseError) {
        // Nine digits without a leading zero: no text to parse (pages read thousands of these).
        guard (100_000_000 ... 999_999_999).contains(number) else { throw .notNineDigits(String(number)) }
        guard Self.regionNumbers.contains(number / 10_000_000) else { throw .unknownRegion(String(number)) }
        self.value = number
    }

    private init(unchecked value: Int) { self.value = value }

    /// Parses without throwing; `nil` for anything that is not a valid code.
    public static func parse(_ text: some StringProtocol) -> KATOCode? {
        try? KATOCode(text)
    }

    public var description: String { String(value) }

    /// AB: the region number (the ISO 3166-2 number, KZ-43 for 43xxxxxxx).
    public var regionNumber: Int { value / 10_000_000 }
    /// The code of the region this code lies in.
    public var region: KATOCode { KATOCode(unchecked: regionNumber * 10_000_000) }
    public var isoCode: String { "KZ-\(regionNumber)" }

    private var cd: Int { (value / 100_000) % 100 }
    private var ef: Int { (value / 1_000) % 100 }
    private var hij: Int { value % 1_000 }

    public var level: Level {
        if value % 10_000_000 == 0 { return .region }
        if value % 100_000 == 0 { return .district }
        if hij == 0 { return .ruralDistrict }
        if hij % 100 == 0 { return .village }
        return .subordinateVillage
    }

    /// The code one level up by the digits alone (it may not exist in the classifier).
    public var nominalParent: KATOCode? {
        switch level {
        case .region: nil
        case .district: region
        case .ruralDistrict: KATOCode(unchecked: value - value % 100_000)
        case .village: KATOCode(unchecked: value - hij)
        case .subordinateVillage: KATOCode(unchecked: value - value % 100)
        }
    }

    /// Every code above this one by the digits, nearest first, ending with the region.
    public var nominalAncestors: [KATOCode] {
        var chain: [KATOCode] = []
        var current = nominalParent
        while let code = current {
            chain.append(code)
            current = code.nominalParent
        }
        return chain
    }

    /// True when `other` is this code or lies below it.
    public func contains(_ other: KATOCode) -> Bool {
        subtree.contains(other.value)
    }

    /// The codes of this territory and everything below it: one range of numbers, since the
    /// digits below a level are zero at that level.
    public var subtree: Range<Int> {
        let span = switch level {
        case .region: 10_000_000
        case .district: 100_000
        case .ruralDistrict: 1_000
        case .village: 100
        case .subordinateVillage: 1
        }
        return value..<(value + span)
    }

    public static func < (a: KATOCode, b: KATOCode) -> Bool { a.value < b.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self) {
            self = try KATOCode(number: number)
        } else {
            self = try KATOCode(container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension StringProtocol {
    func trimmingPrefixAndSuffixSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
