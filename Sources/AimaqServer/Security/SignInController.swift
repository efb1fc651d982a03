import AimaqCore
import Fluent
import Vapor

enum SignInController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.signIn.pathComponents, use: form)
        routes.post(SiteURL.signIn.pathComponents, use: signIn)
        routes.post(SiteURL.signOut.pathComponents, use: signOut)
        routes.get(SiteURL.account.pathComponents, use: accountPage)
    }

    struct Credentials: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable static func form(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let next = request.query[String.self, at: "next"]
        return page(request, email: "", next: next, error: nil, status: .ok)
    }

    @Sendable static func signIn(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let input = try request.content.decode(Credentials.self)
        let email = (input.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = input.password ?? ""
        let address = request.remoteAddress?.ipAddress ?? "unknown"
        let throttle = request.aimaq.throttle
        if let wait = try await throttle.retryAfter(account: email, address: address, db: request.sql) {
            let minutes = String(Int((wait / 60).rounded(.up)))
            let response = page(request, email: email, next: input.next,
                                error: request.t("signin.tooMany", ["minutes": minutes]), status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
        let account = try await Account.query(on: request.db).filter(\.$email == email).first()
        // Verify against a fixed hash when the account is unknown, so both answers take as long.
        let hash = account?.passwordHash ?? Self.dummyHash
        let valid = (try? Bcrypt.verify(password, created: hash)) ?? false
        guard let account, valid, account.active else {
            try await throttle.recordFailure(account: email, address: address, db: request.sql)
            return page(request, email: email, next: input.next, error: request.t("signin.failed"),
                        status: .unauthorized)
        }
        try await throttle.recordSuccess(account: email, db: request.sql)
        // A new session identifier on sign-in defeats session fixation.
        try await rotateSession(request)
        request.auth.login(account)
        _ = request.csrfToken
        return request.redirect(to: safeNext(input.next) ?? SiteURL.home.path, redirectType: .normal)
    }

    @Sendable static func signOut(_ request: Request) async throws -> Response {
        request.auth.logout(Account.self)
        request.session.destroy()
        return request.redirect(to: SiteURL.home.path, redirectType: .normal)
    }

    @Sendable static func accountPage(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account else { throw SignInRequired() }
        let language = request.language
        let scope = account.scope.code.flatMap { request.tree[$0] }.map { $0.name[language] } ?? request.t("country.name")
        let content = fragment {
            el("h1") { request.t("account.title") }
            el("dl", .class("figures")) {
                el("div") { el("dt") { request.t("account.name") }; el("dd") { account.displayName } }
                el("div") { el("dt") { request.t("account.email") }; el("dd") { account.email } }
                el("div") { el("dt") { request.t("account.role") }; el("dd") { request.t("role.\(account.roleName)") } }
                el("div") { el("dt") { request.t("account.scope") }; el("dd") { scope } }
            }
        }
        return Layout.response(request, title: request.t("account.title"), content: content)
    }

    /// Drops the stored session and its identifier; the sessions middleware then stores the
    /// session data under a fresh identifier.
    static func rotateSession(_ request: Request) async throws {
        if let old = request.session.id {
            try await request.application.sessions.driver.deleteSession(old, for: request).get()
            request.session.id = nil
        }
        request.session.data = SessionData()
    }

    /// Only local paths are followed after sign-in (no open redirect).
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return nil }
        return next
    }

    /// A bcrypt hash of a random string, computed once.
    static let dummyHash: String = (try? Bcrypt.hash(UUID().uuidString, cost: 12)) ?? ""

    static func page(_ request: Request, email: String, next: String?, error: String?,
                     status: HTTPResponseStatus) -> Response {
        let content = fragment {
            el("h1") { request.t("signin.title") }
            if let error {
                el("p", .class("error-message"), Attribute("role", "alert"), .id("signin-error")) { error }
            }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.signIn.path), .class("stack")) {
                csrfField(request)
                if let next = safeNext(next) {
                    void("input", .type("hidden"), .name("next"), .value(next))
                }
                el("label", Attribute("for", "email")) { request.t("signin.email") }
                void("input", .id("email"), .name("email"), .type("email"), .value(email),
                     Attribute("autocomplete", "username"), .flag("required"))
                el("label", Attribute("for", "password")) { request.t("signin.password") }
                void("input", .id("password"), .name("password"), .type("password"),
                     Attribute("autocomplete", "current-password"), .flag("required"))
                el("button", .type("submit")) { request.t("signin.submit") }
            }
        }
        return Layout.response(request, title: request.t("signin.title"), status: status, content: content)
    }
}
