/// The four levels of the budget system (Budget Code of 15 Mar 2025 No. 171-VIII).
public enum BudgetLevel: Int, Sendable, CaseIterable, Codable, Comparable {
    /// The republican budget.
    case republican = 1
    /// An oblast, or a city of republican significance (Astana, Almaty, Shymkent).
    case regional = 2
    /// A district, or a city of oblast significance.
    case district = 3
    /// A town of district significance, a village, a settlement, a rural district.
    case local = 4

    public static func < (a: BudgetLevel, b: BudgetLevel) -> Bool { a.rawValue < b.rawValue }

    /// The budget a territory of the classifier keeps: regions at 2, their districts and
    /// cities at 3, rural districts and villages at 4. (Cities of republican significance
    /// keep one budget at level 2 for all their districts.)
    public init(territory level: KATOCode.Level) {
        switch level {
        case .region: self = .regional
        case .district: self = .district
        case .ruralDistrict, .village, .subordinateVillage: self = .local
        }
    }
}

/// A revenue code of the unified budget classification: category (1 digit), class (2),
/// subclass (1), specifics (2). `104302` is category 1, class 04, subclass 3, specifics 02.
public struct RevenueCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Category: Int, Sendable, CaseIterable {
        case tax = 1, nonTax, saleOfCapital, transfers

        /// Tax, non-tax and capital revenue are a territory's own; transfers are not.
        public var isOwn: Bool { self != .transfers }
    }

    public enum Depth: String, Sendable, CaseIterable {
        case category, `class`, subclass, specific

        public var digits: Int {
            switch self {
            case .category: 1
            case .class: 3
            case .subclass: 4
            case .specific: 6
            }
        }
    }

    /// The digits as written (1, 3, 4 or 6 of them).
    public let text: String

    public init?(_ text: String) {
        guard [1, 3, 4, 6].contains(text.count), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let first = text.first?.wholeNumberValue, Category(rawValue: first) != nil else { return nil }
        self.text = text
    }

    public var description: String { text }
    public static func < (a: RevenueCode, b: RevenueCode) -> Bool { a.text < b.text }

    public var category: Category { Category(rawValue: text.first!.wholeNumberValue!)! }

    public var depth: Depth { Depth.allCases.first { $0.digits == text.count }! }

    /// The code one step up (`104302` → `1043` → `104` → `1`); nil for a category.
    public var parent: RevenueCode? {
        switch depth {
        case .category: nil
        case .class: RevenueCode(String(text.prefix(1)))
        case .subclass: RevenueCode(String(text.prefix(3)))
        case .specific: RevenueCode(String(text.prefix(4)))
        }
    }
}

/// The revenue codes and expenditure functions with their names, read from data files.
public struct BudgetClassification: Sendable {
    public struct Entry: Sendable, Equatable {
        public var code: RevenueCode
        public var name: LocalizedName
    }

    public private(set) var revenue: [RevenueCode: Entry] = [:]
    /// Functional groups of expenditure: two-digit code to name.
    public private(set) var functions: [String: LocalizedName] = [:]

    public init(revenue: [Entry] = [], functions: [String: LocalizedName] = [:]) {
        for entry in revenue { self.revenue[entry.code] = entry }
        self.functions = functions
    }

    /// Reads `code,level,name_kk,name_ru,name_en` (revenue) and `code,name_kk,name_ru,name_en`
    /// (functions). Every code must be well formed, say its depth truly, appear once, and have
    /// its parent listed.
    public static func parse(revenue revenueText: String, functions functionText: String)
        throws(CSVReader.ParseError) -> BudgetClassification {
        let reader = CSVReader()
        var classification = BudgetClassification()
        var lines: [RevenueCode: Int] = [:]
        for record in try reader.records(revenueText, required: ["code", "level", "name_kk", "name_ru", "name_en"]) {
            func fail(_ column: String, _ message: String) -> CSVReader.ParseError {
                CSVReader.ParseError(line: record.line, column: record.column(of: column), message: message)
            }
            guard let code = RevenueCode(record["code"]) else {
                throw fail("code", "a revenue code has 1, 3, 4 or 6 digits and starts with 1 to 4, got \"\(record["code"])\"")
            }
            guard let depth = RevenueCode.Depth(rawValue: record["level"]), depth == code.depth else {
                throw fail("level", "\(code) is a \(code.depth.rawValue) code, the line says \"\(record["level"])\"")
            }
            guard lines[code] == nil else { throw fail("code", "\(code) is listed twice") }
            lines[code] = record.line
            classification.revenue[code] = Entry(
                code: code, name: LocalizedName(kk: record["name_kk"], ru: record["name_ru"], en: record["name_en"]))
        }
        for (code, line) in lines.sorted(by: { $0.value < $1.value }) {
            if let parent = code.parent, lines[parent] == nil {
                throw CSVReader.ParseError(line: line, column: 1, message: "\(code) has no parent \(parent) in the file")
            }
        }
        for record in try reader.records(functionText, required: ["code", "name_kk", "name_ru", "name_en"]) {
            let code = record["code"]
            guard code.count == 2, code.allSatisfy(\.isNumber) else {
                throw CSVReader.ParseError(line: record.line, column: record.column(of: "code"),
                                           message: "a functional group has two digits, got \"\(code)\"")
            }
            classification.functions[code] = LocalizedName(kk: record["name_kk"], ru: record["name_ru"], en: record["name_en"])
        }
        return classification
    }
}
