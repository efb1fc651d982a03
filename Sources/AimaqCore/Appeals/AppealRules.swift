import Foundation

/// Where an issue that must be answered came from: every one is followed the same way.
public enum AppealChannel: String, Sendable, Codable, CaseIterable {
    /// A citizen's appeal submitted online.
    case online
    /// Raised at a meeting or a site visit of a visit's programme.
    case meeting
    /// Raised at a deputy's reception.
    case reception
    /// A voters' mandate registered by a maslikhat.
    case mandate
}

/// Where an appeal stands. `overdue` is not stored: it is read from the deadline.
public enum AppealStatus: String, Sendable, Codable, CaseIterable {
    /// Registered and routed to a body; the answer is awaited.
    case registered
    /// The term was extended once, with a reason.
    case extended
    /// Answered by the body.
    case answered
    /// A poor rating sent it to the body above, which must answer anew.
    case escalated
    /// Turned into an assignment of instruction control (followed there).
    case assigned

    /// Whether the body still owes an answer.
    public var awaitsAnswer: Bool { self == .registered || self == .extended || self == .escalated }
}

/// The legal terms of an answer, kept as data (DOMAIN.md marks them to verify): by default 15
/// working days from registration, extendable once by up to 15 more with a reason.
public struct AppealTerms: Sendable, Equatable, Codable {
    public var answerDays: Int
    public var extensionDays: Int
    public var extensionsAllowed: Int
    /// Ratings at or below this may be escalated to the body above.
    public var poorRating: Int

    public init(answerDays: Int = 15, extensionDays: Int = 15, extensionsAllowed: Int = 1, poorRating: Int = 2) {
        self.answerDays = answerDays
        self.extensionDays = extensionDays
        self.extensionsAllowed = extensionsAllowed
        self.poorRating = poorRating
    }

    /// The day the answer is due for an appeal registered on `day`.
    public func deadline(registeredOn day: CivilDate, calendar: WorkingCalendar) -> CivilDate {
        calendar.adding(workingDays: answerDays, to: day)
    }

    /// The new deadline after an extension asked on `day`: counted from the old deadline.
    public func extended(_ deadline: CivilDate, calendar: WorkingCalendar) -> CivilDate {
        calendar.adding(workingDays: extensionDays, to: deadline)
    }

    /// Why an extension is refused, or nil when it may be given.
    public func extensionProblem(status: AppealStatus, extensions: Int, reason: String) -> AppealProblem? {
        guard status.awaitsAnswer else { return .notAwaitingAnswer }
        guard extensions < extensionsAllowed else { return .extendedAlready }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .reasonRequired }
        return nil
    }

    /// Why a rating (1...5) is refused, or nil.
    public func ratingProblem(status: AppealStatus, rating: Int) -> AppealProblem? {
        guard status == .answered else { return .notAnswered }
        guard (1...5).contains(rating) else { return .ratingOutOfRange }
        return nil
    }

    /// Why an escalation is refused, or nil: only an answered appeal rated poorly, once per body.
    public func escalationProblem(status: AppealStatus, rating: Int?, hasBodyAbove: Bool) -> AppealProblem? {
        guard status == .answered else { return .notAnswered }
        guard let rating, rating <= poorRating else { return .ratingNotPoor }
        guard hasBodyAbove else { return .noBodyAbove }
        return nil
    }
}

/// Refusals of the appeal workflow, as keys the interface translates.
public enum AppealProblem: String, Error, Sendable, Equatable {
    case notAwaitingAnswer = "appeal.error.notAwaiting"
    case extendedAlready = "appeal.error.extendedAlready"
    case reasonRequired = "appeal.error.reason"
    case notAnswered = "appeal.error.notAnswered"
    case ratingOutOfRange = "appeal.error.rating"
    case ratingNotPoor = "appeal.error.notPoor"
    case noBodyAbove = "appeal.error.noBodyAbove"
}

/// How an appeal's answer stands against its deadline.
public enum AppealTimeliness: String, Sendable, Equatable {
    case pending, overdue, onTime, late

    public static func of(status: AppealStatus, deadline: CivilDate, answeredOn: CivilDate?, today: CivilDate) -> AppealTimeliness {
        if let answeredOn { return answeredOn <= deadline ? .onTime : .late }
        if status == .assigned { return .onTime }
        return today > deadline ? .overdue : .pending
    }
}

/// The registration number: region, year and the appeal's own sequence, e.g. `43-2026-000125`.
public enum AppealNumber {
    public static func make(region: Int, year: Int, sequence: Int) -> String {
        let digits = String(sequence)
        return "\(region)-\(year)-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
