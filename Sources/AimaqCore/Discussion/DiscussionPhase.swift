/// The phases of a discussion and what each allows. A discussion is announced, then open to
/// the public (comments, proposals, votes on statements, experts' opinions), then to experts
/// alone while the body reads what came in, then the responsible body gives its dispositions,
/// then it is closed and only read.
public enum DiscussionPhase: String, Sendable, Codable, CaseIterable, Comparable {
    case announced
    case publicDiscussion = "public"
    case expertReview = "expert"
    case dispositions
    case closed

    public static func < (left: Self, right: Self) -> Bool {
        allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
    }

    /// Whether `action` can be done in this phase (roles are checked apart: this is time).
    public func allows(_ action: DiscussionAction) -> Bool {
        switch action {
        case .read: self != .announced
        case .comment, .propose, .support, .submitStatement, .vote: self == .publicDiscussion
        case .expertOpinion: self == .publicDiscussion || self == .expertReview
        case .moderate: self != .announced
        case .dispose: self == .dispositions
        }
    }
}

/// What people do in a discussion.
public enum DiscussionAction: String, Sendable, CaseIterable {
    case read, comment, propose, support, submitStatement, vote, expertOpinion, moderate, dispose
}

/// The dates that start each phase after the announcement. Each phase starts on its date
/// (Astana time) and lasts until the next one starts.
public struct DiscussionSchedule: Sendable, Equatable, Codable {
    public var opens: CivilDate
    public var expertReview: CivilDate
    public var dispositions: CivilDate
    public var closes: CivilDate

    public enum Problem: Error, Sendable, Equatable {
        /// The dates must follow one another (a phase may be skipped by giving it the next
        /// phase's date).
        case outOfOrder(DiscussionPhase, DiscussionPhase)
    }

    public init(opens: CivilDate, expertReview: CivilDate, dispositions: CivilDate, closes: CivilDate) throws(Problem) {
        if expertReview < opens { throw .outOfOrder(.publicDiscussion, .expertReview) }
        if dispositions < expertReview { throw .outOfOrder(.expertReview, .dispositions) }
        if closes < dispositions { throw .outOfOrder(.dispositions, .closed) }
        self.opens = opens
        self.expertReview = expertReview
        self.dispositions = dispositions
        self.closes = closes
    }

    public func phase(on day: CivilDate) -> DiscussionPhase {
        if day < opens { return .announced }
        if day < expertReview { return .publicDiscussion }
        if day < dispositions { return .expertReview }
        if day < closes { return .dispositions }
        return .closed
    }

    /// The day the phase starts (nil for the announcement, which has no start of its own).
    public func start(of phase: DiscussionPhase) -> CivilDate? {
        switch phase {
        case .announced: nil
        case .publicDiscussion: opens
        case .expertReview: expertReview
        case .dispositions: dispositions
        case .closed: closes
        }
    }
}

/// The answer the responsible body gives to each proposal of amendment.
public enum Disposition: String, Sendable, Codable, CaseIterable {
    case accepted
    case acceptedInPart = "accepted_in_part"
    case rejected
    case outsideDraft = "outside_draft"
}

/// What an expert says of a draft or an article.
public enum ExpertPosition: String, Sendable, Codable, CaseIterable {
    case supports, opposes
    case proposesChanges = "proposes_changes"
}
