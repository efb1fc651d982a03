/// Reads a whole action plan from one CSV file: each line is one assignment; the columns of
/// its instruction and source repeat on every line of that instruction. Every problem is
/// reported with its line and column; nothing is returned unless the whole file is right.
///
/// Columns: `source_key, source_kind, source_date, source_number, source_title, point, text,
/// category, deadline, period, public, indicator_name, indicator_unit, indicator_target,
/// territory, assignment_deadline` (the last is optional: the instruction's deadline).
public enum PlanImport {
    public static let columns = [
        "source_key", "source_kind", "source_date", "source_number", "source_title", "point", "text",
        "category", "deadline", "period", "public", "indicator_name", "indicator_unit", "indicator_target",
        "territory", "assignment_deadline",
    ]
    static let required = columns.filter { $0 != "assignment_deadline" }

    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String
        public var description: String { "line \(line), column \(column): \(message)" }
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
        public init(_ error: CSVReader.ParseError) {
            self.init(line: error.line, column: error.column, message: error.message)
        }
    }

    /// Every problem of a refused file, in line order.
    public struct Problems: Error, Equatable, Sendable, CustomStringConvertible {
        public var items: [Problem]
        public var description: String { items.map(\.description).joined(separator: "\n") }
        public init(items: [Problem]) { self.items = items }
    }

    public struct Source: Equatable, Sendable {
        public var key: String
        public var kind: SourceKind
        public var date: CivilDate
        public var number: String?
        public var title: String
    }

    public struct Instruction: Equatable, Sendable {
        public var sourceKey: String
        public var point: String
        public var text: String
        public var category: InstructionCategory
        public var deadline: CivilDate
        public var period: ReportingPeriod
        public var isPublic: Bool
        public var indicator: (name: String, unit: String, target: Double)?

        public static func == (a: Instruction, b: Instruction) -> Bool {
            a.sourceKey == b.sourceKey && a.point == b.point && a.text == b.text && a.category == b.category
                && a.deadline == b.deadline && a.period == b.period && a.isPublic == b.isPublic
                && a.indicator?.name == b.indicator?.name && a.indicator?.unit == b.indicator?.unit
                && a.indicator?.target == b.indicator?.target
        }
    }

    public struct Assignment: Equatable, Sendable {
        public var sourceKey: String
        public var point: String
        public var territory: KATOCode
        public var deadline: CivilDate
        public var line: Int
    }

    public struct Plan: Equatable, Sendable {
        public var sources: [Source]
        public var instructions: [Instruction]
        public var assignments: [Assignment]
    }

    /// Parses and checks the file. `territoryExists` says whether a code is in the tree.
    public static func parse(_ text: String, territoryExists: (KATOCode) -> Bool, calendar: WorkingCalendar,
                             today: CivilDate) -> Result<Plan, Problems> {
        let records: [CSVReader.Record]
        do {
            records = try CSVReader().records(text, required: required)
        } catch {
            return .failure(Problems(items: [Problem(error)]))
        }
        var problems: [Problem] = []
        var sources: [String: Source] = [:]
        var sourceOrder: [String] = []
        var instructions: [String: Instruction] = [:]
        var instructionOrder: [String] = []
        var assignments: [Assignment] = []
        var seen = Set<String>()

        for record in records {
            var rowOK = true
            func fail(_ column: String, _ message: String) {
                problems.append(Problem(line: record.line, column: record.column(of: column), message: "\(column): \(message)"))
                rowOK = false
            }
            func text(_ column: String, max: Int = 2_000) -> String {
                let value = record[column].trimmingPrefixAndSuffixSpaces()
                if value.isEmpty { fail(column, "must not be empty") }
                if value.count > max { fail(column, "longer than \(max) characters") }
                return value
            }
            func date(_ column: String) -> CivilDate? {
                do { return try CivilDate(record[column].trimmingPrefixAndSuffixSpaces()) } catch {
                    fail(column, error.description)
                    return nil
                }
            }
            let key = text("source_key", max: 100)
            let kind = SourceKind(rawValue: record["source_kind"].trimmingPrefixAndSuffixSpaces())
            if kind == nil { fail("source_kind", "must be one of \(SourceKind.allCases.map(\.rawValue).joined(separator: ", "))") }
            let sourceDate = date("source_date")
            let number = record["source_number"].trimmingPrefixAndSuffixSpaces()
            let title = text("source_title", max: 500)
            let point = text("point", max: 40)
            let body = text("text", max: 4_000)
            let category = InstructionCategory(rawValue: record["category"].trimmingPrefixAndSuffixSpaces())
            if category == nil { fail("category", "must be one of \(InstructionCategory.allCases.map(\.rawValue).joined(separator: ", "))") }
            let deadline = date("deadline")
            let period = ReportingPeriod(rawValue: record["period"].trimmingPrefixAndSuffixSpaces())
            if period == nil { fail("period", "must be one of \(ReportingPeriod.allCases.map(\.rawValue).joined(separator: ", "))") }
            let publicText = record["public"].trimmingPrefixAndSuffixSpaces().lowercased()
            var isPublic = true
            switch publicText {
            case "yes", "true", "1", "": isPublic = true
            case "no", "false", "0": isPublic = false
            default: fail("public", "must be yes or no")
            }
            var indicator: (String, String, Double)?
            let indicatorName = record["indicator_name"].trimmingPrefixAndSuffixSpaces()
            if !indicatorName.isEmpty {
                let unit = record["indicator_unit"].trimmingPrefixAndSuffixSpaces()
                if unit.isEmpty { fail("indicator_unit", "must be given with an indicator") }
                if let target = Double(record["indicator_target"].trimmingPrefixAndSuffixSpaces()), target.isFinite, target >= 0 {
                    indicator = (indicatorName, unit, target)
                } else {
                    fail("indicator_target", "must be a number of zero or more")
                }
            }
            var territory: KATOCode?
            do {
                let code = try KATOCode(record["territory"].trimmingPrefixAndSuffixSpaces())
                if territoryExists(code) { territory = code } else { fail("territory", "\(code) is not a known territory") }
            } catch {
                fail("territory", error.description)
            }
            var assignmentDeadline = deadline
            if !record["assignment_deadline"].trimmingPrefixAndSuffixSpaces().isEmpty {
                assignmentDeadline = date("assignment_deadline")
            }
            if let due = assignmentDeadline, let problem = calendar.checkDeadline(due, setOn: today) {
                fail(record["assignment_deadline"].isEmpty ? "deadline" : "assignment_deadline", problem.description)
            }
            guard rowOK, let kind, let sourceDate, let category, let deadline, let period, let territory,
                  let assignmentDeadline else { continue }

            let source = Source(key: key, kind: kind, date: sourceDate, number: number.isEmpty ? nil : number, title: title)
            if let existing = sources[key] {
                if existing != source { fail("source_key", "source \(key) is described differently on an earlier line") }
            } else {
                sources[key] = source
                sourceOrder.append(key)
            }
            let instruction = Instruction(sourceKey: key, point: point, text: body, category: category, deadline: deadline,
                                          period: period, isPublic: isPublic, indicator: indicator)
            let instructionKey = "\(key)\u{1F}\(point)"
            if let existing = instructions[instructionKey] {
                if existing != instruction { fail("point", "point \(point) of \(key) is described differently on an earlier line") }
            } else {
                instructions[instructionKey] = instruction
                instructionOrder.append(instructionKey)
            }
            guard seen.insert("\(instructionKey)\u{1F}\(territory)").inserted else {
                fail("territory", "point \(point) of \(key) is assigned to \(territory) twice")
                continue
            }
            assignments.append(Assignment(sourceKey: key, point: point, territory: territory, deadline: assignmentDeadline,
                                          line: record.line))
        }
        if records.isEmpty { problems.append(Problem(line: 2, column: 1, message: "the file has no assignment lines")) }
        guard problems.isEmpty else { return .failure(Problems(items: problems)) }
        return .success(Plan(sources: sourceOrder.compactMap { sources[$0] },
                             instructions: instructionOrder.compactMap { instructions[$0] },
                             assignments: assignments))
    }
}
