import AimaqCore
import Fluent
import Vapor

/// Account and audit operations for the command line (the pages do the same through
/// their controllers, with the same rules and the same audit entries).
public enum AccountAdministration {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func create(_ app: Application, email: String, name: String, role: Role,
                              scope: TerritoryScope, password: String, actor: String) async throws {
        if let code = scope.code, app.aimaq.territories.tree[code] == nil {
            throw Failure(description: "--territory: \(code) is not a known territory")
        }
        if try await Account.query(on: app.db).filter(\.$email == email).count() > 0 {
            throw Failure(description: "--email: an account with \(email) already exists")
        }
        let hash = try await app.password.async.hash(password)
        let account = Account(email: email, displayName: name, passwordHash: hash, role: role, scope: scope)
        try await AuditLog.record(on: app.db, actor: actor) { db in
            try await account.create(on: db)
            return ((), AuditEvent(action: "account.create", entity: "account",
                                   entityID: account.id?.uuidString ?? "", before: nil, after: account.auditSnapshot))
        }
    }
}
