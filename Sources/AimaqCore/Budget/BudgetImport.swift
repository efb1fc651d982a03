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
    static func integer(_ text: String) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var digits = 0
        for byte in text.utf8 {
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

    static func year(_ text: String) -> Int? {
        guard let value = integer(text), (2000...2100).contains(value) else { return nil }
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
        let results = await withTaskGroup(of: (Int, LineChecker).self) { group in
            for (index, piece) in pieces.enumerated() {
                group.addTask {
                    var checker = LineChecker(classification: classification, level: level)
                    do throws(CSVReader.ParseError) {
                        _ = try bytes.withUnsafeBufferPointer { (buffer) throws(CSVReader.ParseError) in
                            try reader.read(buffer, range: piece.range, firstLine: piece.firstLine) {
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
        var problems = results.flatMap(\.problems)
        var lines: [Line] = []
        lines.reserveCapacity(results.reduce(0) { $0 + $1.lines.count })
        var seen = Set<Int>(minimumCapacity: lines.capacity)
        for part in results {
            for (line, number) in zip(part.lines, part.numbers) {
                if seen.insert(key(line)).inserted {
                    lines.append(line)
                } else {
                    problems.append(Problem(line: number, column: 5,
                                            message: "\(line.kind.rawValue) \(line.code) of \(line.territory) for \(line.year)-\(line.month) is given twice"))
                }
            }
        }
        guard problems.isEmpty else {
            return .failure(Problems(items: Array(problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.prefix(maxProblems))))
        }
        return .success(lines)
    }

    /// Checks budget lines one record at a time, keeping the good ones with their line
    /// numbers and a problem for every bad cell.
    private struct LineChecker {
        let classification: BudgetClassification
        let level: @Sendable (KATOCode) -> KATOCode.Level?
        var lines: [Line] = []
        var numbers: [Int] = []
        var problems: [Problem] = []
        private var knownRevenue: [String: Bool] = [:], knownFunctions: [String: Bool] = [:]
        private var levels: [Int: KATOCode.Level?] = [:]
        private static let amountColumns = ["approved", "adjusted", "executed"]

        init(classification: BudgetClassification, level: @escaping @Sendable (KATOCode) -> KATOCode.Level?) {
            self.classification = classification
            self.level = level
        }

        mutating func check(_ row: CSVReader.Row) {
            let f = row.fields
            var failed = false
            func fail(_ column: Int, _ message: String) {
                problems.append(Problem(line: row.line, column: column, message: message))
                failed = true
            }
            guard f.count == lineColumns.count else {
                fail(1, "expected \(lineColumns.count) fields, found \(f.count)")
                return
            }
            let kind = LineKind(rawValue: f[0])
            if kind == nil { fail(1, "kind must be revenue, expenditure or collected, got \"\(f[0])\"") }
            var territory: KATOCode?
            var territoryLevel: KATOCode.Level?
            if let number = integer(f[1]), let code = try? KATOCode(number: Int(number)) {
                let known = levels[code.value] ?? level(code)
                levels[code.value] = known
                if let known { territory = code; territoryLevel = known } else { fail(2, "territory \(f[1]) is not in the classifier") }
            } else {
                fail(2, "territory must be a nine-digit KATO code, got \"\(f[1])\"")
            }
            let year = BudgetImport.year(f[2])
            if year == nil { fail(3, "year must be four digits, got \"\(f[2])\"") }
            let month = integer(f[3]).flatMap { (0...12).contains($0) ? Int($0) : nil }
            if month == nil { fail(4, "month must be 0 (the whole year) to 12, got \"\(f[3])\"") }
            if let kind {
                let known: Bool
                if kind == .expenditure {
                    known = knownFunctions[f[4]] ?? (classification.functions[f[4]] != nil)
                    knownFunctions[f[4]] = known
                } else {
                    known = knownRevenue[f[4]]
                        ?? RevenueCode(f[4]).map { $0.depth == .specific && classification.revenue[$0] != nil } ?? false
                    knownRevenue[f[4]] = known
                }
                if !known {
                    fail(5, kind == .expenditure
                         ? "\"\(f[4])\" is not a functional group of expenditure in the classification"
                         : "\"\(f[4])\" is not a six-digit revenue code in the classification")
                }
            }
            var amounts: (Int64, Int64, Int64) = (0, 0, 0)
            for (index, name) in Self.amountColumns.enumerated() {
                let text = f[5 + index]
                if text.isEmpty { continue }
                guard let value = integer(text) else {
                    fail(6 + index, "\(name) must be whole tenge, got \"\(text)\"")
                    continue
                }
                if index < 2 && value < 0 { fail(6 + index, "\(name) cannot be negative, got \(text)") }
                switch index {
                case 0: amounts.0 = value
                case 1: amounts.1 = value
                default: amounts.2 = value
                }
            }
            guard !failed, let kind, let territory, let territoryLevel, let year, let month else { return }
            lines.append(Line(kind: kind, territory: territory, level: BudgetLevel(territory: territoryLevel), year: year,
                              month: month, code: f[4], approved: amounts.0, adjusted: amounts.1, executed: amounts.2))
            numbers.append(row.line)
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
