/// The roles an account can hold. Each role is held within a territory scope.
public enum Role: String, Sendable, CaseIterable, Codable {
    case administrator
    case nationalDeputy = "national_deputy"
    case maslikhatDeputy = "maslikhat_deputy"
    case akimatOfficer = "akimat_officer"
    case expert
    case citizen

    /// Staff must sign in with a second factor; experts and citizens may choose to.
    public var requiresSecondFactor: Bool {
        switch self {
        case .administrator, .nationalDeputy, .maslikhatDeputy, .akimatOfficer: true
        case .expert, .citizen: false
        }
    }
}

/// Where a role holds: the whole country or one territory with everything below it.
public enum TerritoryScope: Hashable, Sendable {
    case country
    case subtree(KATOCode)

    public func contains(_ code: KATOCode) -> Bool {
        switch self {
        case .country: true
        case .subtree(let root): root.contains(code)
        }
    }

    /// True when every territory of `other` lies inside this scope.
    public func covers(_ other: TerritoryScope) -> Bool {
        switch (self, other) {
        case (.country, _): true
        case (.subtree, .country): false
        case (.subtree(let root), .subtree(let code)): root.contains(code)
        }
    }

    public var code: KATOCode? {
        if case .subtree(let code) = self { return code }
        return nil
    }
}

/// Who is asking: a signed-in account's role and scope, or nobody.
public struct Actor: Hashable, Sendable {
    public var role: Role
    public var scope: TerritoryScope
    /// The body the person works for (an akimat officer's akimat), if bound to one.
    public var body: Int?
    public init(role: Role, scope: TerritoryScope, body: Int? = nil) {
        self.role = role
        self.scope = scope
        self.body = body
    }
}

/// What can be asked for. Each later capability adds its actions here, so the one policy
/// below stays the single place that decides.
public enum Action: Hashable, Sendable {
    /// Public pages and open data.
    case viewPublic
    /// One's own account page.
    case viewOwnAccount
    /// List and manage accounts whose scope lies in the given scope.
    case manageAccounts(TerritoryScope)
    /// Read the audit log.
    case viewAudit
    /// Read an instruction and its assignments; non-public ones are for officials only.
    case viewInstruction(isPublic: Bool)
    /// Download the evidence of a report on an assignment in a territory.
    case viewEvidence(territory: KATOCode, isPublic: Bool)
    /// Report on an assignment of a body in a territory.
    /// `bodyParent` is the akimat when the body is one of its departments: the akimat's
    /// officers answer for their departments too.
    case submitReport(territory: KATOCode, body: Int?, bodyParent: Int? = nil)
    /// Accept or return a report on an assignment in a territory.
    case reviewReport(territory: KATOCode)
    /// Extend, remove from control or split an assignment in a territory.
    case manageAssignment(territory: KATOCode)
    /// Import an action plan (sources, instructions, assignments).
    case importPlan
    /// Import budget figures for a territory (nil: transfers of the republican budget).
    case importBudget(territory: KATOCode?)
    /// See one's own work list, notifications and deadline feed.
    case viewOwnWork
    /// Load a rule table of one's own into the budget what-if (kept, so that it can be shared).
    case loadRuleTable
    /// Comment on a draft, reply, support or oppose a comment, in a discussion of a territory
    /// (nil: the whole country): any signed-in person who lives or works within it.
    case takePartInDiscussion(territory: KATOCode?)
    /// Hide a comment with a reason: administrators and the deputies of the territory.
    case moderateDiscussion(territory: KATOCode?)
    /// Give proposals of amendment their dispositions: the responsible representative body's
    /// deputies (national deputies for the country's discussions, the maslikhat's for a
    /// territory's).
    case disposeProposals(territory: KATOCode?)
    /// Give a signed expert opinion on a draft: experts, on the country's discussions and on
    /// those of territories their scope covers or lies in.
    case giveExpertOpinion(territory: KATOCode?)
    /// Enter a territory's protocol of a referendum's results on behalf of its commission:
    /// administrators whose scope holds the territory.
    case enterReferendumResults(territory: KATOCode)
    /// Submit an appeal about a territory: any signed-in person who lives or works in it (or in
    /// a territory below it).
    case submitAppeal(territory: KATOCode)
    /// Read an appeal in full (its author and any unpublished text): its author; officers of the
    /// body it is routed to (or of that body's akimat); deputies and administrators whose scope
    /// holds its territory.
    case viewAppeal(territory: KATOCode, body: Int?, bodyParent: Int?, isAuthor: Bool)
    /// Answer, extend or group-answer an appeal: officers of the body it is routed to (or of that
    /// body's akimat); for an appeal to a maslikhat (`representative`), its deputies.
    case answerAppeal(territory: KATOCode, body: Int?, bodyParent: Int?, representative: Bool)
    /// Record visits, meetings and the issues raised, and turn an issue into an assignment:
    /// deputies and administrators whose scope holds the territory.
    case recordMeetings(territory: KATOCode)
    /// Register objects and investment projects and record their progress: akimat officers
    /// and administrators whose scope holds the territory.
    case manageObjects(territory: KATOCode)
}

/// The answer to "may this actor do this?". `signInRequired` lets pages send an anonymous
/// visitor to sign in rather than refuse outright.
public enum AccessDecision: Equatable, Sendable {
    case allowed
    case signInRequired
    case forbidden
}

public enum AccessPolicy {
    public static func decide(_ action: Action, for actor: Actor?) -> AccessDecision {
        switch action {
        case .viewPublic:
            return .allowed
        case .viewOwnAccount:
            return actor == nil ? .signInRequired : .allowed
        case .manageAccounts(let target):
            guard let actor else { return .signInRequired }
            return actor.role == .administrator && actor.scope.covers(target) ? .allowed : .forbidden
        case .viewAudit:
            guard let actor else { return .signInRequired }
            return actor.role == .administrator && actor.scope == .country ? .allowed : .forbidden
        case .viewInstruction(let isPublic):
            if isPublic { return .allowed }
            guard let actor else { return .signInRequired }
            return actor.role == .citizen ? .forbidden : .allowed
        case .viewEvidence(let territory, let isPublic):
            if isPublic { return .allowed }
            guard let actor else { return .signInRequired }
            return actor.role != .citizen && actor.role != .expert && actor.scope.contains(territory)
                ? .allowed : .forbidden
        case .submitReport(let territory, let body, let bodyParent):
            guard let actor else { return .signInRequired }
            guard actor.role == .akimatOfficer, actor.scope.contains(territory) else { return .forbidden }
            // An officer reports for the body the account is bound to (or its departments);
            // an officer bound to no body reports for none.
            guard let own = actor.body, own == body || (bodyParent != nil && own == bodyParent) else { return .forbidden }
            return .allowed
        case .reviewReport(let territory):
            guard let actor else { return .signInRequired }
            let reviewer = actor.role == .maslikhatDeputy || actor.role == .nationalDeputy
            return reviewer && actor.scope.contains(territory) ? .allowed : .forbidden
        case .manageAssignment(let territory):
            guard let actor else { return .signInRequired }
            let holder = actor.role == .administrator || actor.role == .nationalDeputy || actor.role == .maslikhatDeputy
            return holder && actor.scope.contains(territory) ? .allowed : .forbidden
        case .importBudget(let territory):
            guard let actor else { return .signInRequired }
            // Administrators, and the maslikhat (its deputies and staff) of the territory.
            guard actor.role == .administrator || actor.role == .maslikhatDeputy else { return .forbidden }
            guard let territory else { return actor.scope == .country ? .allowed : .forbidden }
            return actor.scope.contains(territory) ? .allowed : .forbidden
        case .importPlan:
            guard let actor else { return .signInRequired }
            return actor.role == .administrator && actor.scope == .country ? .allowed : .forbidden
        case .viewOwnWork, .loadRuleTable:
            return actor == nil ? .signInRequired : .allowed
        case .takePartInDiscussion(let territory):
            guard let actor else { return .signInRequired }
            guard let territory else { return .allowed }
            return TerritoryScope.subtree(territory).covers(actor.scope) ? .allowed : .forbidden
        case .moderateDiscussion(let territory):
            guard let actor else { return .signInRequired }
            let moderator = actor.role == .administrator || actor.role == .nationalDeputy
                || (actor.role == .maslikhatDeputy && territory != nil)
            guard moderator else { return .forbidden }
            guard let territory else { return actor.scope == .country ? .allowed : .forbidden }
            return actor.scope.contains(territory) ? .allowed : .forbidden
        case .disposeProposals(let territory):
            guard let actor else { return .signInRequired }
            guard let territory else { return actor.role == .nationalDeputy && actor.scope == .country ? .allowed : .forbidden }
            return actor.role == .maslikhatDeputy && actor.scope.contains(territory) ? .allowed : .forbidden
        case .enterReferendumResults(let territory):
            guard let actor else { return .signInRequired }
            return actor.role == .administrator && actor.scope.contains(territory) ? .allowed : .forbidden
        case .submitAppeal(let territory):
            guard let actor else { return .signInRequired }
            return TerritoryScope.subtree(territory).covers(actor.scope) ? .allowed : .forbidden
        case .viewAppeal(let territory, let body, let bodyParent, let isAuthor):
            guard let actor else { return .signInRequired }
            if isAuthor { return .allowed }
            switch actor.role {
            case .akimatOfficer:
                guard actor.scope.contains(territory), let own = actor.body, own == body || (bodyParent != nil && own == bodyParent)
                else { return .forbidden }
                return .allowed
            case .administrator, .nationalDeputy, .maslikhatDeputy:
                return actor.scope.contains(territory) ? .allowed : .forbidden
            case .expert, .citizen:
                return .forbidden
            }
        case .answerAppeal(let territory, let body, let bodyParent, let representative):
            guard let actor else { return .signInRequired }
            guard actor.scope.contains(territory) else { return .forbidden }
            if representative { return actor.role == .maslikhatDeputy ? .allowed : .forbidden }
            guard actor.role == .akimatOfficer, let own = actor.body, own == body || (bodyParent != nil && own == bodyParent) else {
                return .forbidden
            }
            return .allowed
        case .recordMeetings(let territory):
            guard let actor else { return .signInRequired }
            let recorder = actor.role == .administrator || actor.role == .nationalDeputy || actor.role == .maslikhatDeputy
            return recorder && actor.scope.contains(territory) ? .allowed : .forbidden
        case .manageObjects(let territory):
            guard let actor else { return .signInRequired }
            let keeper = actor.role == .administrator || actor.role == .akimatOfficer
            return keeper && actor.scope.contains(territory) ? .allowed : .forbidden
        case .giveExpertOpinion(let territory):
            guard let actor else { return .signInRequired }
            guard actor.role == .expert else { return .forbidden }
            guard let territory else { return .allowed }
            return actor.scope.contains(territory) || TerritoryScope.subtree(territory).covers(actor.scope) ? .allowed : .forbidden
        }
    }

    public static func allows(_ action: Action, for actor: Actor?) -> Bool {
        decide(action, for: actor) == .allowed
    }

    /// Whether `actor` sees only public instructions (visitors and citizens): what lists,
    /// summaries and feeds filter by, so they show exactly what the pages allow.
    public static func seesOnlyPublic(_ actor: Actor?) -> Bool {
        !allows(.viewInstruction(isPublic: false), for: actor)
    }
}
