/// The roles an account can hold. Each role is held within a territory scope.
public enum Role: String, Sendable, CaseIterable, Codable {
    case administrator
    case nationalDeputy = "national_deputy"
    case maslikhatDeputy = "maslikhat_deputy"
    case akimatOfficer = "akimat_officer"
    case expert
    case citizen
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
    public init(role: Role, scope: TerritoryScope) {
        self.role = role
        self.scope = scope
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
        }
    }

    public static func allows(_ action: Action, for actor: Actor?) -> Bool {
        decide(action, for: actor) == .allowed
    }
}
