/// Road maps of complex instructions (Government decree of 11 April 2022 No. 209, Regulation
/// p. 8-1): an instruction that runs more than six months and involves several bodies gets,
/// from each body it is given to, a road map (milestones with dates) within ten working days.
public struct RoadMapRule: Sendable, Equatable {
    /// An instruction longer than this needs a road map.
    public var months: Int
    /// Working days from the instruction's date to the road map.
    public var workingDays: Int

    public init(months: Int = 6, workingDays: Int = 10) {
        self.months = months
        self.workingDays = workingDays
    }

    /// Whether an instruction given on `given`, due on `deadline`, asks for road maps:
    /// longer than `months` and carried out by several bodies (a lead and co-executors).
    public func isRequired(given: CivilDate, deadline: CivilDate, severalBodies: Bool) -> Bool {
        severalBodies && deadline > given.adding(months: months)
    }

    /// The day a road map is due.
    public func due(given: CivilDate, calendar: WorkingCalendar) -> CivilDate {
        calendar.adding(workingDays: workingDays, to: given)
    }
}

/// One step of a road map.
public struct Milestone: Sendable, Equatable, Codable {
    public var date: CivilDate
    public var text: String

    public init(date: CivilDate, text: String) {
        self.date = date
        self.text = text
    }

    public static let maximumCount = 24
    public static let textLength = 3...500

    /// What is wrong with a submitted road map, each problem placed by milestone number.
    public enum Problem: Equatable, Sendable {
        case none
        case tooMany(Int)
        case badDate(number: Int, text: String)
        case outOfTerm(number: Int, from: CivilDate, to: CivilDate)
        case badText(number: Int)
    }

    /// A road map refused, with all its problems.
    public struct Refusal: Error, Equatable {
        public var problems: [Problem]
    }

    /// Reads the rows of a road map form (date and text; rows left empty are skipped) into
    /// milestones in date order, each between `from` and `to` (the instruction's date and
    /// the assignment's deadline); every problem is given, not just the first.
    public static func validated(_ rows: [(date: String, text: String)], from: CivilDate, to: CivilDate)
        -> Result<[Milestone], Refusal> {
        var milestones: [Milestone] = []
        var problems: [Problem] = []
        let filled = rows.map { ($0.date.trimmingPrefixAndSuffixSpaces(), $0.text.trimmingPrefixAndSuffixSpaces()) }
            .filter { !$0.0.isEmpty || !$0.1.isEmpty }
        if filled.isEmpty { return .failure(Refusal(problems: [.none])) }
        if filled.count > maximumCount { problems.append(.tooMany(filled.count)) }
        for (offset, row) in filled.enumerated() {
            let number = offset + 1
            if !textLength.contains(row.1.count) { problems.append(.badText(number: number)) }
            guard let date = try? CivilDate(row.0) else {
                problems.append(.badDate(number: number, text: row.0))
                continue
            }
            if date < from || date > to { problems.append(.outOfTerm(number: number, from: from, to: to)) }
            milestones.append(Milestone(date: date, text: row.1))
        }
        guard problems.isEmpty else { return .failure(Refusal(problems: problems)) }
        return .success(milestones.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element))
    }
}

extension CivilDate {
    /// The same day `months` later (the month's last day when it is shorter).
    public func adding(months: Int) -> CivilDate {
        let index = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (index / 12, index % 12 + 1)
        // The arithmetic only yields valid dates.
        return try! CivilDate(year: newYear, month: newMonth, day: min(day, Self.daysIn(month: newMonth, year: newYear)))
    }
}
