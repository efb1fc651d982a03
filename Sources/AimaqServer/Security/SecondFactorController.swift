import AimaqCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// The second factor (TOTP, RFC 6238): enrolment with a QR code drawn here, ten recovery
/// codes shown once, a code asked at sign-in after the password, a reset by an
/// administrator. Staff must enrol (until they do, every page leads to the enrolment);
/// experts and citizens may.
enum SecondFactorController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post(SiteURL.signInCode.pathComponents, use: signInCode)
        routes.get(SiteURL.secondFactor.pathComponents, use: page)
        routes.get(SiteURL.secondFactorQR.pathComponents, use: qr)
        routes.post(SiteURL.secondFactor.pathComponents, use: enrol)
        routes.post(SiteURL.secondFactorOff.pathComponents, use: turnOff)
        routes.post(SiteURL.adminUserSecondFactor(.key).pathComponents, use: reset)
    }

    static let issuer = "Aimaq"
    /// Minutes between the password and the code.
    static let challengeMinutes: Int64 = 5

    static func secret(_ text: String?) -> [UInt8]? { text.flatMap(Base32.decode) }

    // MARK: Sign-in, second step

    /// A signed note that the password was right: the account and until when, so the second
    /// step needs no stored session.
    static func challenge(for account: UUID, _ request: Request) -> String {
        let until = KazakhstanTime.nowMilliseconds() + challengeMinutes * 60_000
        let payload = "\(account.uuidString).\(until)"
        return payload + "." + mac(payload, request)
    }

    private static func mac(_ payload: String, _ request: Request) -> String {
        let key = SymmetricKey(data: Data(("2fa:" + request.aimaq.feedSecret).utf8))
        return [UInt8](HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)).base64URLEncodedString()
    }

    static func account(ofChallenge text: String, _ request: Request) async throws -> Account? {
        let parts = text.split(separator: ".").map(String.init)
        guard parts.count == 3, ConstantTime.equal(mac(parts[0] + "." + parts[1], request), parts[2]),
              let until = Int64(parts[1]), until > KazakhstanTime.nowMilliseconds(),
              let id = UUID(uuidString: parts[0]), let account = try await Account.find(id, on: request.db), account.active
        else { return nil }
        return account
    }

    /// The page that asks for the code, after a right password.
    static func codePage(_ request: Request, challenge: String, next: String?, error: String?, status: HTTPResponseStatus) -> Response {
        let content = fragment {
            el("h1") { request.t("twofa.title") }
            if let error { el("p", .class("error-message"), Attribute("role", "alert"), .id("code-error")) { error } }
            el("p") { request.t("twofa.ask") }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.signInCode.path), .class("stack")) {
                csrfField(request)
                void("input", .type("hidden"), .name("challenge"), .value(challenge))
                if let next = SignInController.safeNext(next) { void("input", .type("hidden"), .name("next"), .value(next)) }
                el("label", Attribute("for", "code")) { request.t("twofa.code") }
                void("input", .id("code"), .name("code"), .type("text"), Attribute("inputmode", "numeric"),
                     .flag("required"), Attribute("maxlength", "11"))
                el("button", .type("submit")) { request.t("signin.submit") }
            }
        }
        return Layout.secretResponse(request, title: request.t("twofa.title"), status: status, content: content)
    }

    struct CodeInput: Content {
        var challenge: String?
        var code: String?
        var next: String?
    }

    @Sendable static func signInCode(_ request: Request) async throws -> Response {
        let input = try request.content.decode(CodeInput.self)
        guard let challenge = input.challenge, let account = try await account(ofChallenge: challenge, request),
              let id = account.id, let secret = secret(account.totpSecret) else {
            return request.redirect(to: SiteURL.signIn.path, redirectType: .normal)
        }
        let address = ClientAddress.of(request)
        let throttle = request.aimaq.throttle
        let key = "2fa:" + account.email
        if let wait = try await throttle.retryAfter(account: key, address: address, db: request.sql) {
            let response = codePage(request, challenge: challenge, next: input.next,
                                    error: request.t("signin.tooMany", ["minutes": String(Int((wait / 60).rounded(.up)))]),
                                    status: .tooManyRequests)
            response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(wait.rounded(.up))))
            return response
        }
        let code = (input.code ?? "").trimmingCharacters(in: .whitespaces)
        var how: String?
        if let step = TOTP.matchingStep(code, secret: secret, time: KazakhstanTime.nowMilliseconds() / 1_000, after: account.totpLastStep) {
            try await request.sql.update("accounts").set("totp_last_step", to: SQLBind(step)).where("id", .equal, SQLBind(id)).run()
            how = "totp"
        } else if try await useRecoveryCode(code, account: id, on: request.sql) {
            how = "recovery code"
        }
        guard let how else {
            try await throttle.recordFailure(account: key, address: address, db: request.sql)
            try await AuditLog.record(on: request.db, actor: account.email) { _ in
                ((), AuditEvent(action: "signin.failed", entity: "account", entityID: id.uuidString, before: nil,
                                after: "{\"address\":\(jsonString(address)),\"step\":\"second factor\"}"))
            }
            return codePage(request, challenge: challenge, next: input.next, error: request.t("twofa.wrong"), status: .unauthorized)
        }
        try await throttle.recordSuccess(account: key, address: address, db: request.sql)
        try await WebSessions.start(request, account: account)
        try await AuditLog.record(on: request.db, actor: account.email) { _ in
            ((), AuditEvent(action: "signin", entity: "account", entityID: id.uuidString, before: nil,
                            after: "{\"address\":\(jsonString(address)),\"second_factor\":\(jsonString(how))}"))
        }
        return request.redirect(to: SignInController.safeNext(input.next) ?? SiteURL.home.path, redirectType: .normal)
    }

    // MARK: Enrolment

    /// Whether this signed-in account must enrol before anything else.
    static func mustEnrol(_ request: Request) -> Bool {
        guard let account = request.account, request.webSession != nil, request.aimaq.configuration.secondFactorRequired,
              account.role?.requiresSecondFactor == true else { return false }
        return account.totpSecret == nil
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account, let id = account.id else { throw SignInRequired() }
        if account.totpSecret == nil, account.totpPending == nil {
            let pending = Base32.encode([UInt8].random(count: 20))
            try await request.sql.update("accounts").set("totp_pending", to: SQLBind(pending)).where("id", .equal, SQLBind(id)).run()
            account.totpPending = pending
        }
        return enrolPage(request, account: account, error: nil, status: .ok)
    }

    static func enrolPage(_ request: Request, account: Account, error: String?, status: HTTPResponseStatus) -> Response {
        let required = account.role?.requiresSecondFactor == true && request.aimaq.configuration.secondFactorRequired
        let content = fragment {
            el("h1") { request.t("twofa.title") }
            if let error { el("p", .class("error-message"), Attribute("role", "alert"), .id("code-error")) { error } }
            if account.totpSecret != nil {
                el("p") { request.t("twofa.on") }
                el("form", Attribute("method", "post"), Attribute("action", SiteURL.secondFactor.path), .class("stack")) {
                    csrfField(request)
                    void("input", .type("hidden"), .name("action"), .value("codes"))
                    el("label", Attribute("for", "code")) { request.t("twofa.codeToRenew") }
                    codeField()
                    el("button", .type("submit"), .class("secondary")) { request.t("twofa.newCodes") }
                }
                if !required {
                    el("form", Attribute("method", "post"), Attribute("action", SiteURL.secondFactorOff.path), .class("stack")) {
                        csrfField(request)
                        el("label", Attribute("for", "off-code")) { request.t("twofa.codeToTurnOff") }
                        void("input", .id("off-code"), .name("code"), .type("text"), Attribute("inputmode", "numeric"),
                             .flag("required"))
                        el("button", .type("submit"), .class("secondary")) { request.t("twofa.turnOff") }
                    }
                }
            } else {
                if required { el("p", .class("note"), Attribute("role", "note")) { request.t("twofa.required") } }
                el("ol") {
                    el("li") { request.t("twofa.step1") }
                    el("li") {
                        request.t("twofa.step2")
                        el("div") {
                            void("img", Attribute("src", SiteURL.secondFactorQR.path), Attribute("alt", request.t("twofa.qrAlt")),
                                 .class("qr"), Attribute("width", "220"), Attribute("height", "220"))
                        }
                        el("p") { request.t("twofa.manual") + " "; el("code", .id("totp-secret")) { grouped(account.totpPending ?? "") } }
                    }
                    el("li") { request.t("twofa.step3") }
                }
                el("form", Attribute("method", "post"), Attribute("action", SiteURL.secondFactor.path), .class("stack")) {
                    csrfField(request)
                    void("input", .type("hidden"), .name("action"), .value("enrol"))
                    el("label", Attribute("for", "code")) { request.t("twofa.code") }
                    codeField()
                    el("button", .type("submit")) { request.t("twofa.enrol") }
                }
            }
        }
        return Layout.secretResponse(request, title: request.t("twofa.title"), status: status, content: content)
    }

    private static func codeField() -> Node {
        void("input", .id("code"), .name("code"), .type("text"), Attribute("inputmode", "numeric"),
             .flag("required"), Attribute("maxlength", "7"))
    }

    private static func grouped(_ secret: String) -> String {
        stride(from: 0, to: secret.count, by: 4).map { start in
            let from = secret.index(secret.startIndex, offsetBy: start)
            return String(secret[from..<(secret.index(from, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }.joined(separator: " ")
    }

    /// The QR code of the secret being enrolled (an image of this site, never cached).
    @Sendable static func qr(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account, let pending = secret(account.totpPending) else { throw Abort(.notFound) }
        let uri = TOTP.provisioningURI(secret: pending, account: account.email, issuer: issuer)
        let response = Response(body: .init(string: try QRCode(text: uri).svg(label: request.t("twofa.qrAlt"))))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct EnrolInput: Content {
        var action: String?
        var code: String?
    }

    @Sendable static func enrol(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account, let id = account.id else { throw SignInRequired() }
        let input = try request.content.decode(EnrolInput.self)
        let now = KazakhstanTime.nowMilliseconds() / 1_000
        let isNew = account.totpSecret == nil
        guard let secret = secret(isNew ? account.totpPending : account.totpSecret),
              let step = TOTP.matchingStep(input.code ?? "", secret: secret, time: now, after: isNew ? nil : account.totpLastStep) else {
            return enrolPage(request, account: account, error: request.t("twofa.wrong"), status: .unprocessableEntity)
        }
        let sql = request.sql
        let codes = try await newRecoveryCodes(account: id, on: sql)
        try await AuditLog.record(on: request.db, actor: account.email) { db in
            if isNew {
                try await db.sql.update("accounts").set("totp_secret", to: SQLBind(account.totpPending))
                    .set("totp_pending", to: SQLLiteral.null).set("totp_last_step", to: SQLBind(step))
                    .where("id", .equal, SQLBind(id)).run()
            } else {
                try await db.sql.update("accounts").set("totp_last_step", to: SQLBind(step)).where("id", .equal, SQLBind(id)).run()
            }
            return ((), AuditEvent(action: isNew ? "account.second_factor_on" : "account.recovery_codes", entity: "account",
                                   entityID: id.uuidString, before: nil, after: nil))
        }
        let content = fragment {
            el("h1") { request.t(isNew ? "twofa.enrolled" : "twofa.newCodes") }
            el("p") { request.t("twofa.codesLead") }
            el("ul", .class("recovery-codes"), .id("recovery-codes")) {
                for code in codes { el("li") { el("code") { code } } }
            }
            el("p") { el("a", .href(SiteURL.account.path)) { request.t("account.title") } }
        }
        return Layout.secretResponse(request, title: request.t("twofa.title"), content: content)
    }

    @Sendable static func turnOff(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnAccount)
        guard let account = request.account, let id = account.id, let secret = secret(account.totpSecret) else {
            throw Abort(.notFound)
        }
        if account.role?.requiresSecondFactor == true && request.aimaq.configuration.secondFactorRequired {
            throw Abort(.forbidden, reason: request.t("twofa.required"))
        }
        let input = try request.content.decode(EnrolInput.self)
        guard TOTP.matchingStep(input.code ?? "", secret: secret, time: KazakhstanTime.nowMilliseconds() / 1_000,
                                after: account.totpLastStep) != nil else {
            return enrolPage(request, account: account, error: request.t("twofa.wrong"), status: .unprocessableEntity)
        }
        try await clear(id, actor: account.email, action: "account.second_factor_off", on: request.db)
        return request.redirect(to: SiteURL.account.path, redirectType: .normal)
    }

    /// An administrator's reset for a person who lost their phone and codes: the second factor
    /// and every session of the account end; the person enrols again at the next sign-in.
    @Sendable static func reset(_ request: Request) async throws -> Response {
        let account = try await AdminController.target(request)
        guard let id = account.id else { throw Abort(.notFound) }
        try await clear(id, actor: request.auditActor, action: "account.second_factor_reset", on: request.db)
        try await WebSessions.endAll(account: id, on: request.sql)
        return request.redirect(to: SiteURL.adminUser(.value(id)).path, redirectType: .normal)
    }

    private static func clear(_ id: UUID, actor: String, action: String, on db: any Database) async throws {
        try await AuditLog.record(on: db, actor: actor) { db in
            let sql = try db.sql
            try await sql.update("accounts").set("totp_secret", to: SQLLiteral.null).set("totp_pending", to: SQLLiteral.null)
                .set("totp_last_step", to: SQLLiteral.null).where("id", .equal, SQLBind(id)).run()
            try await sql.delete(from: "recovery_codes").where("account_id", .equal, SQLBind(id)).run()
            return ((), AuditEvent(action: action, entity: "account", entityID: id.uuidString, before: nil, after: nil))
        }
    }
}
