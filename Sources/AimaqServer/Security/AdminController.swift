import AimaqCore
import Fluent
import Vapor

/// Administrators manage accounts within their own territory scope and browse the audit log.
enum AdminController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.adminUsers.pathComponents, use: users)
        routes.post(SiteURL.adminUsers.pathComponents, use: createUser)
        routes.post(SiteURL.adminUserActive(.key).pathComponents, use: setActive)
        routes.get(SiteURL.adminUser(.key).pathComponents, use: editUser)
        routes.post(SiteURL.adminUser(.key).pathComponents, use: updateUser)
        routes.post(SiteURL.adminUserLink(.key).pathComponents, use: passwordLink)
        routes.get(SiteURL.adminAudit.pathComponents, use: audit)
    }

    struct NewAccount: Content {
        var email: String?
        var name: String?
        var role: String?
        var territory: String?
        /// For an akimat officer: `akimat`, a department key, a body number or `none`
        /// (AccountAdministration.BodyChoice).
        var body: String?

        init() {}

        /// The form filled with an account as it is.
        init(_ account: Account) {
            email = account.email
            name = account.displayName
            role = account.roleName
            territory = account.territoryID.map(String.init)
            body = account.bodyID.map(String.init) ?? "none"
        }
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
                               content: AdminViews.users(accounts, form: form, errors: errors, request.page))
    }

    /// A role, territory and body from a form, checked against the administrator's scope;
    /// problems go into `errors` by field.
    static func placement(role roleText: String?, territory territoryText: String?, body bodyText: String?,
                          _ request: Request, errors: inout [String: String]) -> (Role, TerritoryScope, Int?)? {
        guard let actor = request.actor else { return nil }
        let role = Role(rawValue: roleText ?? "")
        if role == nil { errors["role"] = request.t("users.error.role") }
        var scope = TerritoryScope.country
        let territoryText = (territoryText ?? "").trimmingCharacters(in: .whitespaces)
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
                body = try AccountAdministration.body(AccountAdministration.BodyChoice(bodyText ?? "none"), role: role,
                                                      scope: scope, app: request.application)
            } catch {
                errors["body"] = request.t("users.error.body")
            }
        }
        guard let role, errors.isEmpty else { return nil }
        return (role, scope, body)
    }

    @Sendable static func createUser(_ request: Request) async throws -> Response {
        guard let actor = request.actor else { throw SignInRequired() }
        try request.authorize(.manageAccounts(actor.scope))
        let form = try request.content.decode(NewAccount.self)
        var errors: [String: String] = [:]
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if !AccountRules.isPlausibleEmail(email) { errors["email"] = request.t("users.error.email") }
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 200 { errors["name"] = request.t("users.error.name") }
        let placed = placement(role: form.role, territory: form.territory, body: form.body, request, errors: &errors)
        if errors.isEmpty, try await Account.query(on: request.db).filter(\.$email == email).count() > 0 {
            errors["email"] = request.t("users.error.emailTaken")
        }
        guard errors.isEmpty, let (role, scope, body) = placed else {
            return try await usersPage(request, form: form, errors: errors, status: .unprocessableEntity)
        }
        // The administrator never sets, sees or learns the password: the person sets it
        // through a one-time link, shown here once.
        let link = try await AccountAdministration.create(request.application, email: email, name: name, role: role,
                                                          scope: scope, body: body.map(AccountAdministration.BodyChoice.id) ?? .none,
                                                          password: nil, actor: request.auditActor)
        return linkPage(request, name: name, link: link ?? "", created: true)
    }

    /// The one-time link, shown once, never kept by a cache.
    static func linkPage(_ request: Request, name: String, link: String, created: Bool) -> Response {
        let absolute = AccountAdministration.absolute(link, request.aimaq.configuration)
        let content = fragment {
            el("h1") { request.t(created ? "users.created" : "users.linkMade") }
            el("p") { request.t("users.linkLead", ["name": name, "hours": String(request.aimaq.configuration.linkHours)]) }
            el("p") { el("code", .id("password-link")) { absolute } }
            el("p") { el("a", .href(SiteURL.adminUsers.path)) { request.t("users.title") } }
        }
        return Layout.secretResponse(request, title: request.t(created ? "users.created" : "users.linkMade"), content: content)
    }

    /// The account the address names, which must lie in the administrator's scope.
    static func target(_ request: Request) async throws -> Account {
        guard let actor = request.actor else { throw SignInRequired() }
        try request.authorize(.manageAccounts(actor.scope))
        guard let id = request.parameters.get(SiteURL.idKey, as: UUID.self),
              let account = try await Account.find(id, on: request.db) else {
            throw Abort(.notFound, reason: request.t("users.error.notFound"))
        }
        try request.authorize(.manageAccounts(account.scope))
        return account
    }

    @Sendable static func editUser(_ request: Request) async throws -> Response {
        let account = try await target(request)
        return Layout.response(request, title: account.displayName,
                               content: AdminViews.editUser(account, form: NewAccount(account), errors: [:], request.page))
    }

    /// Changes an account's role, territory and body (never re-created: its history stays).
    @Sendable static func updateUser(_ request: Request) async throws -> Response {
        let account = try await target(request)
        let form = try request.content.decode(NewAccount.self)
        var errors: [String: String] = [:]
        guard let (role, scope, body) = placement(role: form.role, territory: form.territory, body: form.body, request, errors: &errors) else {
            return Layout.response(request, title: account.displayName, status: .unprocessableEntity,
                                   content: AdminViews.editUser(account, form: form, errors: errors, request.page))
        }
        let before = account.auditSnapshot
        account.roleName = role.rawValue
        account.territoryID = scope.code?.value
        account.bodyID = body
        try await AuditLog.record(on: request.db, actor: request.auditActor) { db in
            try await account.save(on: db)
            return ((), AuditEvent(action: "account.update", entity: "account", entityID: account.id?.uuidString ?? "",
                                   before: before, after: account.auditSnapshot))
        }
        return request.redirect(to: SiteURL.adminUser(.value(account.id ?? UUID())).path, redirectType: .normal)
    }

    /// A new one-time link for an account whose person lost the password.
    @Sendable static func passwordLink(_ request: Request) async throws -> Response {
        let account = try await target(request)
        guard let id = account.id else { throw Abort(.notFound) }
        let link = try await PasswordController.issueLink(account: id, hours: request.aimaq.configuration.linkHours,
                                                          actor: request.auditActor, reason: "reset by an administrator", on: request.db)
        return linkPage(request, name: account.displayName, link: link, created: false)
    }

    struct ActiveForm: Content {
        var active: String?
    }

    @Sendable static func setActive(_ request: Request) async throws -> Response {
        let account = try await target(request)
        guard let id = account.id else { throw Abort(.notFound) }
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
                               content: AdminViews.audit(entries.map(\.record), total: total, paging: paging, request.page))
    }
}
