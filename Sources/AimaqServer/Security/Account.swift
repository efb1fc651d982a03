import AimaqCore
import Fluent
import Vapor

/// A person who signs in. The role holds within `territoryID` and everything below it;
/// no territory means the whole country.
final class Account: Model, @unchecked Sendable {
    static let schema = "accounts"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var roleName: String
    @OptionalField(key: "territory_id") var territoryID: Int?
    @Field(key: "active") var active: Bool
    /// The body an akimat officer reports for (nil: any body in the scope).
    @OptionalField(key: "body_id") var bodyID: Int?
    /// The second factor's secret (Base32), once enrolled; the one being enrolled; the last
    /// 30-second step whose code was used (a code works once).
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @OptionalField(key: "totp_pending") var totpPending: String?
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(email: String, displayName: String, passwordHash: String, role: Role, scope: TerritoryScope) {
        self.email = email
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.roleName = role.rawValue
        self.territoryID = scope.code?.value
        self.active = true
    }

    var role: Role? { Role(rawValue: roleName) }

    var scope: TerritoryScope {
        guard let territoryID, let code = try? KATOCode(number: territoryID) else { return .country }
        return .subtree(code)
    }

    /// The actor this account acts as; `nil` for an inactive account or an unknown role.
    var actor: AimaqCore.Actor? {
        guard active, let role else { return nil }
        return Actor(role: role, scope: scope, body: bodyID)
    }

    /// The account as it goes into the audit log (never the password hash).
    var auditSnapshot: String {
        "{\"email\":\(jsonString(email)),\"name\":\(jsonString(displayName)),\"role\":\(jsonString(roleName)),"
            + "\"territory\":\(territoryID.map(String.init) ?? "null"),\"body\":\(bodyID.map(String.init) ?? "null"),"
            + "\"active\":\(active)}"
    }
}

extension Account: Authenticatable {}
