/// The life of an assignment under control, as one state machine. Overdue is not a state:
/// it is derived from the deadline and today (``AssignmentStatus/isOverdue(deadline:today:)``).
public enum AssignmentStatus: String, Sendable, CaseIterable, Codable {
    case registered
    case assigned
    case inProgress = "in_progress"
    case reportSubmitted = "report_submitted"
    case returned
    case accepted
    case extended
    case removedFromControl = "removed_from_control"

    /// Final states take no further events.
    public var isFinal: Bool { self == .accepted || self == .removedFromControl }
}

/// What can happen to an assignment.
public enum AssignmentEvent: Sendable, Equatable {
    case assign
    case start
    case submitReport
    /// A reviewer returns the report with remarks.
    case returnReport
    /// A reviewer accepts the report; `final` closes the assignment, otherwise the next
    /// reporting period begins.
    case accept(final: Bool)
    case extend(newDeadline: CivilDate)
    case removeFromControl

    public var name: String {
        switch self {
        case .assign: "assign"
        case .start: "start"
        case .submitReport: "submit_report"
        case .returnReport: "return_report"
        case .accept: "accept"
        case .extend: "extend"
        case .removeFromControl: "remove_from_control"
        }
    }
}

public struct TransitionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let from: AssignmentStatus
    public let event: String
    public var description: String {
        "an assignment that is \(from.rawValue.replacingOccurrences(of: "_", with: " ")) cannot take \"\(event.replacingOccurrences(of: "_", with: " "))\""
    }
}

extension AssignmentStatus {
    /// The state after `event`, or an error that says why the event is refused.
    public func applying(_ event: AssignmentEvent) throws(TransitionError) -> AssignmentStatus {
        let refused = TransitionError(from: self, event: event.name)
        switch (self, event) {
        case (.registered, .assign):
            return .assigned
        case (.assigned, .start), (.returned, .start), (.extended, .start):
            return .inProgress
        case (.assigned, .submitReport), (.inProgress, .submitReport), (.returned, .submitReport),
             (.extended, .submitReport):
            return .reportSubmitted
        case (.reportSubmitted, .returnReport):
            return .returned
        case (.reportSubmitted, .accept(let final)):
            return final ? .accepted : .inProgress
        case (.registered, .extend), (.assigned, .extend), (.inProgress, .extend), (.returned, .extend),
             (.extended, .extend), (.reportSubmitted, .extend):
            return .extended
        case (let state, .removeFromControl) where !state.isFinal:
            return .removedFromControl
        default:
            throw refused
        }
    }

    /// Overdue: not closed, no report waiting for review, and the deadline has passed.
    public func isOverdue(deadline: CivilDate, today: CivilDate) -> Bool {
        !isFinal && self != .reportSubmitted && today > deadline
    }
}

/// Where a report stands: waiting for review, accepted, or returned with remarks.
public enum ReportState: String, Sendable, CaseIterable, Codable {
    case submitted, accepted, returned
}
