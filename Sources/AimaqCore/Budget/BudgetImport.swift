/// A budget file: either budget lines or transfers, told apart by the header. Every line is
/// checked before anything is written, and every problem is reported with its line and
/// column (the same `Problem` type as action plans).
public enum BudgetImport {
    public typealias Problem = PlanImport.Problem
    public typealias Problems = PlanImport.Problems

    public static let lineColumns = ["kind", "territory", "year", "month", "code", "approved", "adjusted", "executed"]
    public static let transferColumns = ["kind", "from", "to", "year", "amount"]
    /// A file with more problems than this stops being read; the count says so.
    public static let maxProblems = 1_000

    public enum LineKind: String, Sendable, CaseIterable {
        /// What the territory's budget received, by revenue code.
        case revenue
        /// What the territory's budget spent, by functional group.
        case expenditure
        /// Revenue collected in the territory before it is split between levels (the base
        /// the rule table and the what-if work on).
        case collected
    }

    public enum TransferKind: String, Sendable, CaseIterable {
        case subvention, withdrawal
        case targetedCurrent = "targeted_current"
        case targetedDevelopment = "targeted_development"

        /// Subventions and targeted transfers go down the tree; withdrawals go up.
        public var goesDown: Bool { self != .withdrawal }
    }

    public struct Line: Sendable, Equatable {
        public var kind: LineKind
        public var territory: KATOCode
        public var level: BudgetLevel
        public var year: Int
        /// 1…12, or 0 for the whole year.
        public var month: Int
        /// A six-digit revenue code, or a two-digit functional group for expenditure.
        public var code: String
        public var approved: Int64
        public var adjusted: Int64
        public var executed: Int64

        public init(kind: LineKind, territory: KATOCode, level: BudgetLevel, year: Int, month: Int, code: String,
                    approved: Int64, adjusted: Int64, executed: Int64) {
            self.kind = kind
            self.territory = territory
            self.level = level
            self.year = year
            self.month = month
            self.code = code
            self.approved = approved
            self.adjusted = adjusted
            self.executed = executed
        }
    }

    public struct Transfer: Sendable, Equatable {
        public var kind: TransferKind
        /// nil is the republican budget.
        public var from: KATOCode?
        public var to: KATOCode?
        public var year: Int
        public var amount: Int64

        public init(kind: TransferKind, from: KATOCode?, to: KATOCode?, year: Int, amount: Int64) {
            self.kind = kind
            self.from = from
            self.to = to
            self.year = year
            self.amount = amount
        }
    }

    public enum File: Sendable, Equatable {
        case lines([Line])
        case transfers([Transfer])

        /// The years the file gives figures for, each once, in order.
        public var years: [Int] {
            let all: Set<Int> = switch self {
            case .lines(let lines): Set(lines.map(\.year))
            case .transfers(let transfers): Set(transfers.map(\.year))
            }
            return all.sorted()
        }
    }

    /// Reads a file. `level` answers the classifier level of a known territory (nil when the
    /// code is not in the tree); `parent` its parent, for the direction of transfers.
    /// A file of budget lines is cut into `parts` runs of whole records that are read and
    /// checked at once (one per core).
    public static func parse(_ text: String, classification: BudgetClassification, parts: Int = 2,
                             level: @escaping @Sendable (KATOCode) -> KATOCode.Level?,
                             parent: @escaping @Sendable (KATOCode) -> KATOCode?) async -> Result<File, Problems> {
        let reader = CSVReader()
        let bytes = CSVReader.bytes(text)
        var header: CSVReader.Row?
        let body: Int
        do {
            body = try bytes.withUnsafeBufferPointer { (buffer) throws(CSVReader.ParseError) in
                try reader.read(buffer) { header = $0; return false }
            }
        } catch {
            return .failure(Problems(items: [Problem(error)]))
        }
        guard let header else {
            return .failure(Problems(items: [Problem(line: 1, column: 1, message: "the file is empty")]))
        }
        let firstLine = 1 + bytes[..<body].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let names = header.fields.map { $0.lowercased() }
        if names == lineColumns {
            return await parseLines(bytes, from: body, firstLine: firstLine, reader: reader, classification: classification,
                                    parts: parts, level: level).map(File.lines)
        }
        if names == transferColumns {
            var rows: [CSVReader.Row] = []
            do {
                _ = try bytes.withUnsafeBufferPointer { (buffer) throws(CSVReader.ParseError) in
                    try reader.read(buffer, range: body..<buffer.count, firstLine: firstLine) { rows.append($0); return true }
                }
            } catch {
                return .failure(Problems(items: [Problem(error)]))
            }
            return parseTransfers(rows[...], level: level, parent: parent).map(File.transfers)
        }
        return .failure(Problems(items: [Problem(line: header.line, column: 1, message:
            "the header must be \(lineColumns.joined(separator: ",")) (budget lines) or \(transferColumns.joined(separator: ",")) (transfers)")]))
    }

    /// Reads digits (an optional leading minus) without Foundation, which is the slow part of
    /// a two-million-line file.
    static func integer(_ text: String) -> Int64? { integer(text.utf8) }

    static func integer<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var digits = 0
        for byte in bytes {
            if byte == 45, digits == 0, !negative { negative = true; continue } // "-"
            guard byte >= 48, byte <= 57 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 48))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            digits += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    static func year(_ text: String) -> Int? { year(text.utf8) }

    static func year<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
        guard let value = integer(bytes), (2000...2100).contains(value) else { return nil }
        return Int(value)
    }

    /// What makes a line unique in a file, packed in one integer: kind (2 bits), territory (30),
    /// year from 2000 (7), month (4) and code (20). Codes are digits, checked before; "04" and
    /// "4" cannot both be known codes.
    static func key(_ line: Line) -> Int {
        let kind = LineKind.allCases.firstIndex(of: line.kind) ?? 0
        let code = Int(integer(line.code) ?? 0) & 0xFFFFF
        return kind << 61 | line.territory.value << 31 | (line.year - 2000) << 24 | line.month << 20 | code
    }

    private static func parseLines(_ bytes: [UInt8], from start: Int, firstLine: Int, reader: CSVReader,
                                   classification: BudgetClassification, parts: Int,
                                   level: @escaping @Sendable (KATOCode) -> KATOCode.Level?) async -> Result<[Line], Problems> {
        let pieces = bytes.withUnsafeBufferPointer {
            reader.pieces($0, range: start..<$0.count, firstLine: firstLine, parts: parts)
        }
        // Each piece is read, checked and freed of its own duplicates on one core.
        var results = await withTaskGroup(of: (Int, LineChecker).self) { group in
            for (index, piece) in pieces.enumerated() {
                group.addTask {
                    var checker = LineChecker(classification: classification, level: level)
                    do throws(CSVReader.ParseError) {
                        _ = try bytes.withUnsafeBufferPointer { (buffer) throws(CSVReader.ParseError) in
                            try reader.readFields(buffer, range: piece.range, firstLine: piece.firstLine) {
                                checker.check($0)
                                return checker.problems.count < maxProblems
                            }
                        }
                    } catch {
                        checker.problems.append(Problem(error))
                    }
                    return (index, checker)
                }
            }
            var collected: [(Int, LineChecker)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map { $0.1 }
        }
        // A line given in an earlier piece too is a duplicate of that one.
        for later in results.indices.dropFirst() {
            for (position, key) in results[later].keys.enumerated()
            where results[..<later].contains(where: { $0.seen.contains(key) }) {
                let line = results[later].lines[position]
                results[later].problems.append(duplicate(line, at: results[later].numbers[position]))
            }
        }
        let problems = results.flatMap(\.problems)
        guard problems.isEmpty else {
            return .failure(Problems(items: Array(problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.prefix(maxProblems))))
        }
        var lines: [Line] = []
        lines.reserveCapacity(results.reduce(0) { $0 + $1.lines.count })
        for part in results { lines.append(contentsOf: part.lines) }
        return .success(lines)
    }

    static func duplicate(_ line: Line, at number: Int) -> Problem {
        Problem(line: number, column: 5, message: "\(line.kind.rawValue) \(line.code) of \(line.territory) for \(line.year)-\(line.month) is given twice")
    }

    /// Checks budget lines one record at a time from their bytes, keeping the good ones with
    /// their line numbers and keys, and a problem for every bad cell. Territories and codes
    /// are looked up once each.
    private struct LineChecker {
        let classification: BudgetClassification
        let level: @Sendable (KATOCode) -> KATOCode.Level?
        var lines: [Line] = []
        var numbers: [Int] = []
        var keys: [Int] = []
        var seen: Set<Int> = []
        var problems: [Problem] = []
        /// Territory number → its code and level (nil: not in the classifier).
        private var territories: [Int64: (code: KATOCode, level: KATOCode.Level)?] = [:]
        /// Code digits with their count and the kind → the code's text when the
        /// classification has it (nil: unknown).
        private var codes: [Int: String?] = [:]
        private static let amountColumns = ["approved", "adjusted", "executed"]
        private static let kinds = LineKind.allCases.map { (kind: $0, bytes: Array($0.rawValue.utf8)) }

        init(classification: BudgetClassification, level: @escaping @Sendable (KATOCode) -> KATOCode.Level?) {
            self.classification = classification
            self.level = level
        }

        private mutating func code(_ bytes: ArraySlice<UInt8>, kind: LineKind) -> String? {
            // Up to nine digits pack into one number with their count and the kind.
            var packed = -1
            if (1...9).contains(bytes.count), let number = integer(bytes), number >= 0, bytes.first != 45 {
                packed = (Int(number) * 10 + bytes.count) * 4 + (kind == .expenditure ? 1 : 0)
            }
            if packed >= 0, let known = codes[packed] { return known }
            let text = String(decoding: bytes, as: UTF8.self)
            let known: Bool
            if kind == .expenditure {
                known = classification.functions[text] != nil
            } else {
                known = RevenueCode(text).map { $0.depth == .specific && classification.revenue[$0] != nil } ?? false
            }
            if packed >= 0 { codes[packed] = known ? text : nil }
            return known ? text : nil
        }

        mutating func check(_ f: CSVReader.Fields) {
            var failed = false
            func fail(_ column: Int, _ message: String) {
                problems.append(Problem(line: f.line, column: column, message: message))
                failed = true
            }
            guard f.count == lineColumns.count else {
                fail(1, "expected \(lineColumns.count) fields, found \(f.count)")
                return
            }
            let kind = Self.kinds.first { $0.bytes.elementsEqual(f[0]) }?.kind
            if kind == nil { fail(1, "kind must be revenue, expenditure or collected, got \"\(f.string(0))\"") }
            var territory: (code: KATOCode, level: KATOCode.Level)?
            if let number = integer(f[1]), f[1].count == 9, f[1].first != 45 {
                if let known = territories[number] {
                    territory = known
                } else {
                    let code = try? KATOCode(number: Int(number))
                    territory = code.flatMap { code in level(code).map { (code, $0) } }
                    territories[number] = .some(territory)
                }
                if territory == nil { fail(2, "territory \(f.string(1)) is not in the classifier") }
            } else {
                fail(2, "territory must be a nine-digit KATO code, got \"\(f.string(1))\"")
            }
            let year = BudgetImport.year(f[2])
            if year == nil { fail(3, "year must be four digits, got \"\(f.string(2))\"") }
            let month = integer(f[3]).flatMap { (0...12).contains($0) ? Int($0) : nil }
            if month == nil { fail(4, "month must be 0 (the whole year) to 12, got \"\(f.string(3))\"") }
            var codeText: String?
            if let kind {
                codeText = code(f[4], kind: kind)
                if codeText == nil {
                    fail(5, kind == .expenditure
                         ? "\"\(f.string(4))\" is not a functional group of expenditure in the classification"
                         : "\"\(f.string(4))\" is not a six-digit revenue code in the classification")
                }
            }
            var amounts: (Int64, Int64, Int64) = (0, 0, 0)
            for index in 0..<3 {
                let bytes = f[5 + index]
                if bytes.isEmpty { continue }
                guard let value = integer(bytes) else {
                    fail(6 + index, "\(Self.amountColumns[index]) must be whole tenge, got \"\(f.string(5 + index))\"")
                    continue
                }
                if index < 2 && value < 0 { fail(6 + index, "\(Self.amountColumns[index]) cannot be negative, got \(value)") }
                switch index {
                case 0: amounts.0 = value
                case 1: amounts.1 = value
                default: amounts.2 = value
                }
            }
            guard !failed, let kind, let territory, let year, let month, let codeText else { return }
            let line = Line(kind: kind, territory: territory.code, level: BudgetLevel(territory: territory.level), year: year,
                            month: month, code: codeText, approved: amounts.0, adjusted: amounts.1, executed: amounts.2)
            let key = BudgetImport.key(line)
            guard seen.insert(key).inserted else {
                problems.append(duplicate(line, at: f.line))
                return
            }
            lines.append(line)
            numbers.append(f.line)
            keys.append(key)
        }
    }

    /// The budget directly above a territory's: the district above a rural district or
    /// village, the region above a district, the republic (nil) above a region.
    static func budgetAbove(_ code: KATOCode, level: (KATOCode) -> KATOCode.Level?,
                            parent: (KATOCode) -> KATOCode?) -> KATOCode? {
        guard let own = level(code), own != .region else { return nil }
        var current = parent(code)
        while let candidate = current {
            if let found = level(candidate), found == .region || (found == .district && own > .district) { return candidate }
            current = parent(candidate)
        }
        return nil
    }

    private static func parseTransfers(_ rows: ArraySlice<CSVReader.Row>, level: (KATOCode) -> KATOCode.Level?,
                                       parent: (KATOCode) -> KATOCode?) -> Result<[Transfer], Problems> {
        var transfers: [Transfer] = []
        var problems: [Problem] = []
        for row in rows {
            if problems.count >= maxProblems { break }
            let f = row.fields
            func fail(_ column: Int, _ message: String) { problems.append(Problem(line: row.line, column: column, message: message)) }
            guard f.count == transferColumns.count else {
                fail(1, "expected \(transferColumns.count) fields, found \(f.count)")
                continue
            }
            let before = problems.count
            let kind = TransferKind(rawValue: f[0])
            if kind == nil { fail(1, "kind must be subvention, withdrawal, targeted_current or targeted_development, got \"\(f[0])\"") }
            func budget(_ text: String, column: Int) -> KATOCode?? {
                if text.isEmpty || text == "republic" { return .some(nil) }
                guard let number = integer(text), let code = try? KATOCode(number: Int(number)), level(code) != nil else {
                    fail(column, "\(column == 2 ? "from" : "to") must be a KATO code in the classifier or \"republic\", got \"\(text)\"")
                    return nil
                }
                return .some(code)
            }
            let from = budget(f[1], column: 2)
            let to = budget(f[2], column: 3)
            let year = year(f[3])
            if year == nil { fail(4, "year must be four digits, got \"\(f[3])\"") }
            let amount = integer(f[4])
            if amount == nil || amount! <= 0 { fail(5, "amount must be whole tenge above zero, got \"\(f[4])\"") }
            guard problems.count == before, let kind, let from, let to, let year, let amount else { continue }
            // The lower budget must sit directly below the higher one.
            let (upper, lower) = kind.goesDown ? (from, to) : (to, from)
            guard let lower, budgetAbove(lower, level: level, parent: parent) == upper,
                  upper != nil || level(lower) == .region else {
                fail(kind.goesDown ? 3 : 2, "a \(kind.rawValue) goes \(kind.goesDown ? "from a budget to one directly below it" : "from a budget to the one directly above it")")
                continue
            }
            transfers.append(Transfer(kind: kind, from: from, to: to, year: year, amount: amount))
        }
        return problems.isEmpty ? .success(transfers) : .failure(Problems(items: problems))
    }
}
