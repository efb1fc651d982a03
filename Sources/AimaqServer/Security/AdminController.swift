import AimaqCore
import Fluent
import Vapor

/// Administrators manage accounts within their own territory scope and browse the audit log.
enum AdminController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.adminUsers.pathComponents, use: users)
        routes.post(SiteURL.adminUsers.pathComponents, use: createUser)
        routes.post(SiteURL.adminUserActive(.key).pathComponents, use: setActive)
        routes.get(SiteURL.adminAudit.pathComponents, use: audit)
    }

    struct NewAccount: Content {
        var email: String?
        var name: String?
        var role: String?
        var territory: String?
        /// For an akimat officer: `akimat`, a department key or `none` (AccountAdministration.BodyChoice).
        var body: String?
        var password: String?
    }

    /// The administrator's own scope (the policy has already said they are one).
    private static func adminScope(_ request: Request) throws -> TerritoryScope {
        guard let account = request.account else { throw SignInRequired() }
        return account.scope
    }

    @Sendable static func users(_ request: Request) async throws -> Response {
        guard let actor = request.actor else { throw SignInRequired() }
        try request.authorize(.manageAccounts(actor.scope))
        return try await usersPage(request, form: NewAccount(), errors: [:], status: .ok)
    }

    static func usersPage(_ request: Request, form: NewAccount, errors: [String: String],
                          status: HTTPResponseStatus) async throws -> Response {
        let scope = try adminScope(request)
        var query = Account.query(on: request.db).sort(\.$email)
        if let code = scope.code {
            // A regional administrator sees accounts of their subtree only.
            query = query.filter(\.$territoryID >= code.subtree.lowerBound).filter(\.$territoryID < code.subtree.upperBound)
        }
        let accounts = try await query.limit(1_000).all()
        return Layout.response(request, title: request.t("users.title"), status: status,
                               content: AdminViews.users(accounts, form: form, errors: errors, request))
    }

    /// Codes of a subtree form one numeric range: the code and the next `span - 1` numbers.
    @Sendable static func createUser(_ request: Request) async throws -> Response {
        guard let actor = request.actor else { throw SignInRequired() }
        try request.authorize(.manageAccounts(actor.scope))
        let form = try request.content.decode(NewAccount.self)
        var errors: [String: String] = [:]
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if !AccountRules.isPlausibleEmail(email) { errors["email"] = request.t("users.error.email") }
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 200 { errors["name"] = request.t("users.error.name") }
        let role = Role(rawValue: form.role ?? "")
        if role == nil { errors["role"] = request.t("users.error.role") }
        var scope = TerritoryScope.country
        let territoryText = (form.territory ?? "").trimmingCharacters(in: .whitespaces)
        if !territoryText.isEmpty {
            if let code = KATOCode.parse(territoryText), request.tree[code] != nil {
                scope = .subtree(code)
            } else {
                errors["territory"] = request.t("users.error.territory")
            }
        }
        if errors["territory"] == nil, !AccessPolicy.allows(.manageAccounts(scope), for: actor) {
            errors["territory"] = request.t("users.error.outOfScope")
        }
        var body: Int?
        if let role, errors["territory"] == nil {
            do {
                body = try AccountAdministration.body(AccountAdministration.BodyChoice(form.body ?? "none"), role: role,
                                                      scope: scope, app: request.application)
            } catch {
                errors["body"] = request.t("users.error.body")
            }
        }
        let password = form.password ?? ""
        if let problem = PasswordPolicy.problem(password, email: email, name: name) {
            errors["password"] = request.t("users.error.password.\(problem)")
        }
        if errors.isEmpty, try await Account.query(on: request.db).filter(\.$email == email).count() > 0 {
            errors["email"] = request.t("users.error.emailTaken")
        }
        guard errors.isEmpty, let role else {
            var echoed = form
            echoed.password = nil
            return try await usersPage(request, form: echoed, errors: errors, status: .unprocessableEntity)
        }
        try await AccountAdministration.create(request.application, email: email, name: name, role: role,
                                               scope: scope, body: body.map(AccountAdministration.BodyChoice.id) ?? .none,
                                               password: password,
                                               actor: request.auditActor)
        return request.redirect(to: SiteURL.adminUsers.path, redirectType: .normal)
    }

    struct ActiveForm: Content {
        var active: String?
    }

    @Sendable static func setActive(_ request: Request) async throws -> Response {
        guard let actor = request.actor else { throw SignInRequired() }
        try request.authorize(.manageAccounts(actor.scope))
        guard let id = request.parameters.get(SiteURL.idKey, as: UUID.self),
              let account = try await Account.find(id, on: request.db) else {
            throw Abort(.notFound, reason: request.t("users.error.notFound"))
        }
        // The target account must lie in the administrator's scope too.
        try request.authorize(.manageAccounts(account.scope))
        let form = try request.content.decode(ActiveForm.self)
        let active = form.active == "true"
        if account.id == request.account?.id, !active {
            throw Abort(.badRequest, reason: request.t("users.error.selfDeactivate"))
        }
        let before = account.auditSnapshot
        account.active = active
        try await AuditLog.record(on: request.db, actor: request.auditActor) { db in
            try await account.save(on: db)
            return ((), AuditEvent(action: active ? "account.activate" : "account.deactivate",
                                   entity: "account", entityID: id.uuidString,
                                   before: before, after: account.auditSnapshot))
        }
        return request.redirect(to: SiteURL.adminUsers.path, redirectType: .normal)
    }

    @Sendable static func audit(_ request: Request) async throws -> Response {
        try request.authorize(.viewAudit)
        let paging = try Paging(request)
        let total = try await AuditEntry.query(on: request.db).count()
        let entries = try await AuditEntry.query(on: request.db).sort(\.$id, .descending)
            .range(((paging.page - 1) * paging.per)..<(paging.page * paging.per)).all()
        return Layout.response(request, title: request.t("audit.title"),
                               content: AdminViews.audit(entries.map(\.record), total: total, paging: paging, request))
    }
}
