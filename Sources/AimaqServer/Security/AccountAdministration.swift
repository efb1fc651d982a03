import AimaqCore
import Fluent
import Vapor

/// Account and audit operations for the command line (the pages do the same through
/// their controllers, with the same rules and the same audit entries).
public enum AccountAdministration {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The body an akimat officer reports for, as an administrator names it: `akimat` (the
    /// akimat of the account's territory), a department key of `akimat-departments.csv` (that
    /// department of the regional akimat), a body number, or `none`.
    public enum BodyChoice: Equatable, Sendable {
        case none
        case akimat
        case department(String)
        case id(Int)

        public init(_ text: String) {
            let text = text.trimmingCharacters(in: .whitespaces).lowercased()
            switch text {
            case "", "none": self = .none
            case "akimat": self = .akimat
            default: self = Int(text).map(BodyChoice.id) ?? .department(text)
            }
        }
    }

    /// The body id the choice names for an account of `role` in `scope`; nil for no body.
    /// Only akimat officers are bound to a body, and only to an akimat or a department inside
    /// their own territory.
    static func body(_ choice: BodyChoice, role: Role, scope: TerritoryScope, app: Application) throws -> Int? {
        guard role == .akimatOfficer else {
            if choice != .none { throw Failure(description: "--body: only an akimat officer is bound to a body") }
            return nil
        }
        let bodies = app.aimaq.bodies
        let found: BodySummary?
        switch choice {
        case .none:
            return nil
        case .akimat:
            guard let code = scope.code else { throw Failure(description: "--body akimat: the whole country has no akimat; give --territory") }
            found = bodies.bodies(of: code).first { $0.kind == .akimat }
        case .department(let key):
            guard let code = scope.code else { throw Failure(description: "--body \(key): give --territory") }
            guard let template = try ReferenceData.departmentTemplates().first(where: { $0.key == key }) else {
                let keys = ((try? ReferenceData.departmentTemplates()) ?? []).map(\.key).joined(separator: ", ")
                throw Failure(description: "--body: \"\(key)\" is none of akimat, none, a body number, \(keys)")
            }
            found = bodies.bodies(of: code.region).first { $0.kind == .akimatDepartment && $0.remit == template.remit }
        case .id(let id):
            found = bodies.body(id)
        }
        guard let body = found else { throw Failure(description: "--body: no such body in \(scope.code?.description ?? "the country")") }
        guard body.kind.isExecutive else {
            throw Failure(description: "--body: body \(body.id) is not an akimat or an akimat department")
        }
        guard let territory = body.territory, scope.contains(territory) || territory.contains(scope.code ?? territory) else {
            throw Failure(description: "--body: body \(body.id) is outside the account's territory")
        }
        return body.id
    }

    /// Creates an account. Without a password (the usual way) the account gets a one-time link
    /// to set its own, valid `linkHours`: its path is returned. With one (scripts, tests) none.
    @discardableResult
    public static func create(_ app: Application, email: String, name: String, role: Role,
                              scope: TerritoryScope, body: BodyChoice = .none, password: String?, actor: String) async throws -> String? {
        if let code = scope.code, app.aimaq.territories.tree[code] == nil {
            throw Failure(description: "--territory: \(code) is not a known territory")
        }
        let bodyID = try self.body(body, role: role, scope: scope, app: app)
        if try await Account.query(on: app.db).filter(\.$email == email).count() > 0 {
            throw Failure(description: "--email: an account with \(email) already exists")
        }
        // Without a password the hash is of a secret nobody knows: only the link opens it.
        let hash = try await app.password.async.hash(password ?? [UInt8].random(count: 32).base64URLEncodedString())
        let account = Account(email: email, displayName: name, passwordHash: hash, role: role, scope: scope)
        account.bodyID = bodyID
        try await AuditLog.record(on: app.db, actor: actor) { db in
            try await account.create(on: db)
            return ((), AuditEvent(action: "account.create", entity: "account",
                                   entityID: account.id?.uuidString ?? "", before: nil, after: account.auditSnapshot))
        }
        guard password == nil, let id = account.id else { return nil }
        return try await PasswordController.issueLink(account: id, hours: app.aimaq.configuration.linkHours, actor: actor,
                                                      reason: "new account", on: app.db)
    }

    /// The address of a link for people outside the site (`AIMAQ_PUBLIC_URL`).
    public static func absolute(_ path: String, _ config: AimaqConfiguration) -> String {
        let base = config.publicURL ?? "http://\(config.host):\(config.port)"
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }
}
