/// Where instructions come from.
public enum SourceKind: String, Sendable, CaseIterable, Codable {
    case address, kurultai, decree, law, visit
    case meetingProtocol = "protocol"
}

/// How often an assignment reports.
public enum ReportingPeriod: String, Sendable, CaseIterable, Codable {
    case once
    case monthly
    case quarterly
    case halfYearly = "half_yearly"

    /// The label of the reporting period a date falls in: `2026-03`, `2026-Q1`, `2026-H1`,
    /// or `final` for a one-off report.
    public func label(for date: CivilDate) -> String {
        switch self {
        case .once: "final"
        case .monthly: String(date.description.prefix(7))
        case .quarterly: "\(date.year)-Q\((date.month - 1) / 3 + 1)"
        case .halfYearly: "\(date.year)-H\(date.month <= 6 ? 1 : 2)"
        }
    }

    /// The last day of the period a date falls in (a periodic report is due then).
    public func periodEnd(for date: CivilDate) -> CivilDate? {
        let endMonth: Int
        switch self {
        case .once: return nil
        case .monthly: endMonth = date.month
        case .quarterly: endMonth = ((date.month - 1) / 3 + 1) * 3
        case .halfYearly: endMonth = date.month <= 6 ? 6 : 12
        }
        return try? CivilDate(year: date.year, month: endMonth,
                              day: CivilDate.daysIn(month: endMonth, year: date.year))
    }
}

/// Subjects of instructions, for filters and routing. Drawn from the 2025 Address and the
/// January 2026 meetings in Kyzylorda oblast.
public enum InstructionCategory: String, Sendable, CaseIterable, Codable {
    case digital
    case artificialIntelligence = "ai"
    case roads
    case water
    case utilities
    case investment
    case youth
    case smallBusiness = "small_business"
    case sport
    case budget
    case governance
    case social
}
