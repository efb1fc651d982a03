import AimaqCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// A person's own password: set through a one-time link (a new account, or a reset by an
/// administrator, who never learns it), or changed on the account page with the current one.
/// Either way every session of the account ends.
enum PasswordController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.passwordLink(.key).pathComponents, use: linkForm)
        routes.post(SiteURL.passwordLink(.key).pathComponents, use: setFromLink)
        routes.get(SiteURL.accountPassword.pathComponents, use: changeForm)
        routes.post(SiteURL.accountPassword.pathComponents, use: change)
    }

    // MARK: Links

    /// Makes a link for an account, ending the links made before it; returns its path.
    static func issueLink(account: UUID, hours: Int, actor: String, reason: String, on db: any Database) async throws -> String {
        let secret = [UInt8].random(count: 32).base64URLEncodedString()
        let now = KazakhstanTime.nowMilliseconds()
        try await AuditLog.record(on: db, actor: actor) { db in
            let sql = try db.sql
            try await sql.delete(from: "account_links").where("account_id", .equal, SQLBind(account)).run()
            try await sql.insert(into: "account_links").columns("token_hash", "account_id", "created_at", "expires_at")
                .values(SQLBind(WebSessions.hash(secret)), SQLBind(account), SQLBind(now), SQLBind(now + Int64(hours) * 3_600_000))
                .run()
            return ((), AuditEvent(action: "account.password_link", entity: "account", entityID: account.uuidString,
                                   before: nil, after: "{\"reason\":\(jsonString(reason)),\"hours\":\(hours)}"))
        }
        return SiteURL.passwordLink(.value(secret)).path
    }

    private struct LinkRow: Decodable {
        var account_id: UUID
        var expires_at: Int64
        var used_at: Int64?
    }

    /// The account of a link that is still good.
    private static func account(ofLink secret: String, _ request: Request) async throws -> Account? {
        guard let row = try await request.sql.select().columns("account_id", "expires_at", "used_at").from("account_links")
            .where("token_hash", .equal, SQLBind(WebSessions.hash(secret))).first(decoding: LinkRow.self),
              row.used_at == nil, row.expires_at > KazakhstanTime.nowMilliseconds(),
              let account = try await Account.find(row.account_id, on: request.db), account.active else { return nil }
        return account
    }

    private static func secret(_ request: Request) -> String { request.parameters.get(SiteURL.tokenKey) ?? "" }

    @Sendable static func linkForm(_ request: Request) async throws -> Response {
        guard let account = try await account(ofLink: secret(request), request) else {
            throw Abort(.notFound, reason: request.t("password.linkGone"))
        }
        return form(request, account: account, action: SiteURL.passwordLink(.value(secret(request))).path,
                    needsCurrent: false, problem: nil, status: .ok)
    }

    struct NewPassword: Content {
        var current: String?
        var password: String?
        var repeated: String?
    }

    @Sendable static func setFromLink(_ request: Request) async throws -> Response {
        let secret = secret(request)
        guard let account = try await account(ofLink: secret, request), let id = account.id else {
            throw Abort(.notFound, reason: request.t("password.linkGone"))
        }
        let input = try request.content.decode(NewPassword.self)
        let action = SiteURL.passwordLink(.value(secret)).path
        if let problem = problem(input, account: account, request) {
            return form(request, account: account, action: action, needsCurrent: false, problem: problem, status: .unprocessableEntity)
        }
        let hash = try await request.password.async.hash(input.password ?? "")
        try await AuditLog.record(on: request.db, actor: account.email) { db in
            let sql = try db.sql
            // Used once: a second request with the same link finds it spent.
            try await sql.update("account_links").set("used_at", to: SQLBind(KazakhstanTime.nowMilliseconds()))
                .where("token_hash", .equal, SQLBind(WebSessions.hash(secret))).run()
            try await sql.update("accounts").set("password_hash", to: SQLBind(hash)).where("id", .equal, SQLBind(id)).run()
            return ((), AuditEvent(action: "account.password_set", entity: "account", entityID: id.uuidString, before: nil, after: nil))
        }
        try await WebSessions.endAll(account: id, on: request.sql)
        let content = fragment {
            el("h1") { request.t("password.done") }
            el("p") { el("a", .href(SiteURL.signIn.path)) { request.t("signin.title") } }
        }
        return Layout.response(request, title: request.t("password.done"), content: content)
    }

    // MARK: Own change

    @Sendable static func changeForm(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account else { throw SignInRequired() }
        return form(request, account: account, action: SiteURL.accountPassword.path, needsCurrent: true, problem: nil, status: .ok)
    }

    @Sendable static func change(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account, let id = account.id else { throw SignInRequired() }
        let input = try request.content.decode(NewPassword.self)
        let current = (try? await request.password.async.verify(input.current ?? "", created: account.passwordHash)) ?? false
        let problem = current ? problem(input, account: account, request) : request.t("password.wrongCurrent")
        if let problem {
            return form(request, account: account, action: SiteURL.accountPassword.path, needsCurrent: true,
                        problem: problem, status: .unprocessableEntity)
        }
        let hash = try await request.password.async.hash(input.password ?? "")
        try await AuditLog.record(on: request.db, actor: account.email) { db in
            try await db.sql.update("accounts").set("password_hash", to: SQLBind(hash)).where("id", .equal, SQLBind(id)).run()
            return ((), AuditEvent(action: "account.password_change", entity: "account", entityID: id.uuidString, before: nil, after: nil))
        }
        // Every session ends, this one too; this browser gets a fresh one.
        try await WebSessions.endAll(account: id, on: request.sql)
        account.passwordHash = hash
        request.storage[WebSessions.CurrentKey.self] = nil
        try await WebSessions.start(request, account: account)
        return request.redirect(to: SiteURL.account.path, redirectType: .normal)
    }

    // MARK: Shared

    private static func problem(_ input: NewPassword, account: Account, _ request: Request) -> String? {
        let password = input.password ?? ""
        guard password == (input.repeated ?? "") else { return request.t("password.mismatch") }
        if let problem = PasswordPolicy.problem(password, email: account.email, name: account.displayName) {
            return request.t("users.error.password.\(problem.rawValue)")
        }
        return nil
    }

    private static func form(_ request: Request, account: Account, action: String, needsCurrent: Bool, problem: String?,
                             status: HTTPResponseStatus) -> Response {
        let content = fragment {
            el("h1") { request.t("password.title") }
            el("p") { account.displayName }
            if let problem { el("p", .class("error-message"), Attribute("role", "alert"), .id("password-error")) { problem } }
            el("form", Attribute("method", "post"), Attribute("action", action), .class("stack")) {
                csrfField(request)
                // The account's sign-in name, for password managers.
                void("input", .type("hidden"), .name("username"), .value(account.email), Attribute("autocomplete", "username"))
                if needsCurrent {
                    el("label", Attribute("for", "current")) { request.t("password.current") }
                    void("input", .id("current"), .name("current"), .type("password"), Attribute("autocomplete", "current-password"),
                         .flag("required"))
                }
                el("label", Attribute("for", "password")) { request.t("password.new") }
                void("input", .id("password"), .name("password"), .type("password"), Attribute("autocomplete", "new-password"),
                     Attribute("minlength", String(AccountRules.minimumPasswordLength)), .flag("required"))
                el("label", Attribute("for", "repeated")) { request.t("password.repeat") }
                void("input", .id("repeated"), .name("repeated"), .type("password"), Attribute("autocomplete", "new-password"),
                     .flag("required"))
                el("button", .type("submit")) { request.t("password.save") }
            }
        }
        return Layout.secretResponse(request, title: request.t("password.title"), status: status, content: content)
    }
}
