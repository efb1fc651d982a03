import AimaqCore
import Fluent
import SQLKit
import Synchronization
import Vapor

enum SignInController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.signIn.pathComponents, use: form)
        routes.post(SiteURL.signIn.pathComponents, use: signIn)
        routes.post(SiteURL.signOut.pathComponents, use: signOut)
        routes.get(SiteURL.account.pathComponents, use: accountPage)
        routes.post(SiteURL.accountSessionsEnd.pathComponents, use: endOtherSessions)
    }

    struct Credentials: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable static func form(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let next = request.queryText("next")
        return page(request, email: "", next: next, error: nil, status: .ok)
    }

    @Sendable static func signIn(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let input = try request.content.decode(Credentials.self)
        let email = (input.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = input.password ?? ""
        let address = ClientAddress.of(request)
        let throttle = request.aimaq.throttle
        if let wait = try await throttle.retryAfter(account: email, address: address, db: request.sql) {
            let minutes = String(Int((wait / 60).rounded(.up)))
            let response = page(request, email: email, next: input.next,
                                error: request.t("signin.tooMany", ["minutes": minutes]), status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
        let account = try await Account.query(on: request.db).filter(\.$email == email).first()
        // Verify against a hash of the configured cost when the account is unknown, so both
        // answers take as long; bcrypt runs off the event loop.
        let hash = account?.passwordHash ?? dummyHash(cost: request.aimaq.configuration.bcryptCost)
        let valid = (try? await request.password.async.verify(password, created: hash)) ?? false
        guard let account, valid, account.active else {
            let locked = try await throttle.recordFailure(account: email, address: address, db: request.sql)
            try await AuditLog.record(on: request.db, actor: email.isEmpty ? "?" : email) { _ in
                ((), AuditEvent(action: "signin.failed", entity: "account", entityID: account?.id?.uuidString ?? "",
                                before: nil, after: "{\"address\":\(jsonString(address))}"))
            }
            if locked, let id = account?.id {
                try await request.sql.insert(into: "notifications").columns("account_id", "kind", "created_at")
                    .values(SQLBind(id), SQLBind("sign_in_locked"), SQLBind(KazakhstanTime.nowMilliseconds())).run()
            }
            return page(request, email: email, next: input.next, error: request.t("signin.failed"),
                        status: .unauthorized)
        }
        try await throttle.recordSuccess(account: email, address: address, db: request.sql)
        // With a second factor the password opens only the second step.
        if account.totpSecret != nil, let id = account.id {
            return SecondFactorController.codePage(request, challenge: SecondFactorController.challenge(for: id, request),
                                                   next: input.next, error: nil, status: .ok)
        }
        try await WebSessions.start(request, account: account)
        try await AuditLog.record(on: request.db, actor: account.email) { _ in
            ((), AuditEvent(action: "signin", entity: "account", entityID: account.id?.uuidString ?? "",
                            before: nil, after: "{\"address\":\(jsonString(address))}"))
        }
        return request.redirect(to: safeNext(input.next) ?? SiteURL.home.path, redirectType: .normal)
    }

    @Sendable static func signOut(_ request: Request) async throws -> Response {
        if let account = request.account {
            try await AuditLog.record(on: request.db, actor: account.email) { _ in
                ((), AuditEvent(action: "signout", entity: "account", entityID: account.id?.uuidString ?? "", before: nil, after: nil))
            }
        }
        try await WebSessions.end(request)
        return request.redirect(to: SiteURL.home.path, redirectType: .normal)
    }

    /// Ends every other session of the signed-in account ("sign out everywhere else").
    @Sendable static func endOtherSessions(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account, let id = account.id, let current = request.webSession else { throw SignInRequired() }
        try await WebSessions.endAll(account: id, except: current.idHash, on: request.sql)
        try await AuditLog.record(on: request.db, actor: account.email) { _ in
            ((), AuditEvent(action: "sessions.end_others", entity: "account", entityID: id.uuidString, before: nil, after: nil))
        }
        return request.redirect(to: SiteURL.account.path, redirectType: .normal)
    }

    @Sendable static func accountPage(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account else { throw SignInRequired() }
        let language = request.language
        let scope = account.scope.code.flatMap { request.tree[$0] }.map { $0.name[language] } ?? request.t("country.name")
        let sessions = try await WebSessions.list(account: account.id ?? UUID(), on: request.sql)
        let content = fragment {
            el("h1") { request.t("account.title") }
            el("ul", .class("figures")) {
                el("li") { el("span", .class("label")) { request.t("account.name") }; el("span", .class("value")) { account.displayName } }
                el("li") { el("span", .class("label")) { request.t("account.email") }; el("span", .class("value")) { account.email } }
                el("li") { el("span", .class("label")) { request.t("account.role") }; el("span", .class("value")) { request.t("role.\(account.roleName)") } }
                el("li") { el("span", .class("label")) { request.t("account.scope") }; el("span", .class("value")) { scope } }
            }
            el("p") {
                el("a", .href(SiteURL.accountPassword.path)) { request.t("password.change") }
                " · "
                el("a", .href(SiteURL.secondFactor.path)) { request.t("twofa.title") }
            }
            el("h2", .id("sessions-heading")) { request.t("sessions.title") }
            el("table", .class("list"), .aria("labelledby", "sessions-heading")) {
                el("thead") {
                    el("tr") {
                        Components.th(request.t("sessions.started")); Components.th(request.t("sessions.lastUsed"))
                        Components.th(request.t("sessions.address")); Components.th(request.t("sessions.browser"))
                    }
                }
                el("tbody") {
                    for session in sessions {
                        el("tr") {
                            el("td") {
                                Components.time(session.created_at, request.page)
                                if session.id_hash == request.webSession?.idHash { " (" + request.t("sessions.this") + ")" }
                            }
                            el("td") { Components.time(session.seen_at, request.page) }
                            el("td") { session.address }
                            el("td") { session.agent }
                        }
                    }
                }
            }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.accountSessionsEnd.path)) {
                csrfField(request)
                el("button", .type("submit")) { request.t("sessions.endOthers") }
            }
        }
        return Layout.response(request, title: request.t("account.title"), content: content)
    }

    /// Only a path of this site is followed after sign-in (no open redirect): checked after
    /// percent-decoding, it must start with one `/` and hold no backslash, no control
    /// character (a tab or a line break that browsers drop) and no scheme or host.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.count <= 2_000, let decoded = next.removingPercentEncoding else { return nil }
        for text in [next, decoded] {
            guard text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"),
                  !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        }
        // What a browser would make of it must stay on this site.
        guard let url = URL(string: next, relativeTo: URL(string: "https://aimaq.invalid/")),
              url.absoluteURL.host == "aimaq.invalid" else { return nil }
        return next
    }

    /// A bcrypt hash of a random string at the configured cost, computed once per cost.
    static func dummyHash(cost: Int) -> String {
        dummyHashes.withLock { hashes in
            if let hash = hashes[cost] { return hash }
            let hash = (try? Bcrypt.hash(UUID().uuidString, cost: cost)) ?? ""
            hashes[cost] = hash
            return hash
        }
    }

    private static let dummyHashes = Mutex<[Int: String]>([:])

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
                // A text field that asks for an e-mail keyboard: `username` pairs it with the
                // password for password managers.
                void("input", .id("email"), .name("email"), .type("text"), Attribute("inputmode", "email"), .value(email),
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
