import AimaqCore
import Crypto
import SQLKit
import Vapor

/// Sessions of signed-in people, kept in `web_sessions`. The cookie holds a random secret;
/// the database keeps only its SHA-256, the account, when the session began and was last
/// used, its CSRF token and where it came from. A session ends on the server: after
/// `sessionHours` in all, after `sessionIdleMinutes` without a request for staff accounts,
/// at sign-out, when the account is deactivated, or when the account ends all its sessions.
/// Visitors who are not signed in have none, and an API token never makes one.
enum WebSessions {
    static let cookieName = "aimaq_session"

    struct Row: Codable, Sendable {
        var id_hash: String
        var account_id: UUID
        var created_at: Int64
        var seen_at: Int64
        var csrf: String
        var address: String
        var agent: String
    }

    /// The session of this request.
    struct Current: Sendable {
        var idHash: String
        var csrf: String
        var createdAt: Int64
    }

    struct CurrentKey: StorageKey { typealias Value = Current }

    /// What the response does with the cookie.
    enum CookieChange: Sendable {
        case set(String)
        case clear
    }

    struct CookieChangeKey: StorageKey { typealias Value = CookieChange }

    static func hash(_ secret: String) -> String {
        Hex.sha256(secret)
    }

    /// Whether a session begun at `created` and last used at `seen` is still alive at `now`.
    static func isAlive(created: Int64, seen: Int64, now: Int64, role: Role?, _ configuration: AimaqConfiguration) -> Bool {
        guard now - created < Int64(configuration.sessionHours) * 3_600_000 else { return false }
        if role == .citizen { return true }
        return now - seen < Int64(configuration.sessionIdleMinutes) * 60_000
    }

    /// Signs `account` in on this request: the request's old session ends (a new identifier
    /// on sign-in defeats session fixation) and a new one begins; the response sets its cookie.
    static func start(_ request: Request, account: Account) async throws {
        guard let accountID = account.id else { return }
        if let current = request.storage[CurrentKey.self] {
            try await request.sql.delete(from: "web_sessions").where("id_hash", .equal, SQLBind(current.idHash)).run()
        }
        let secret = [UInt8].random(count: 32).base64URLEncodedString()
        let now = KazakhstanTime.nowMilliseconds()
        let row = Row(id_hash: hash(secret), account_id: accountID, created_at: now, seen_at: now,
                      csrf: [UInt8].random(count: 32).base64URLEncodedString(),
                      address: ClientAddress.of(request), agent: String((request.headers.first(name: .userAgent) ?? "").prefix(200)))
        try await request.sql.insert(into: "web_sessions").model(row).run()
        request.auth.login(account)
        request.storage[CurrentKey.self] = Current(idHash: row.id_hash, csrf: row.csrf, createdAt: now)
        request.storage[CookieChangeKey.self] = .set(secret)
    }

    /// Ends the request's session.
    static func end(_ request: Request) async throws {
        if let current = request.storage[CurrentKey.self] {
            try await request.sql.delete(from: "web_sessions").where("id_hash", .equal, SQLBind(current.idHash)).run()
        }
        request.storage[CurrentKey.self] = nil
        request.auth.logout(Account.self)
        request.storage[CookieChangeKey.self] = .clear
    }

    /// Ends every session of an account but `except` (the hash of the one to keep, if any).
    static func endAll(account: UUID, except: String? = nil, on db: any SQLDatabase) async throws {
        var query = db.delete(from: "web_sessions").where("account_id", .equal, SQLBind(account))
        if let except { query = query.where("id_hash", .notEqual, SQLBind(except)) }
        try await query.run()
    }

    static func list(account: UUID, on db: any SQLDatabase) async throws -> [Row] {
        try await db.select().column("*").from("web_sessions").where("account_id", .equal, SQLBind(account))
            .orderBy("seen_at", .descending).all(decoding: Row.self)
    }

    /// Deletes the sessions that have ended by time (run by the periodic clean-up). Returns
    /// how many went.
    @discardableResult
    static func purgeExpired(on db: any SQLDatabase, now: Int64, _ configuration: AimaqConfiguration) async throws -> Int {
        struct Count: Decodable { var n: Int }
        let oldest = now - Int64(configuration.sessionHours) * 3_600_000
        // Staff sessions idle past their limit go too; citizens' last until the absolute end.
        let idle = now - Int64(configuration.sessionIdleMinutes) * 60_000
        let before = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("web_sessions").first(decoding: Count.self)?.n ?? 0
        try await db.delete(from: "web_sessions").where("created_at", .lessThan, SQLBind(oldest)).run()
        try await db.raw("""
            DELETE FROM web_sessions WHERE seen_at < \(bind: idle) AND account_id NOT IN \
            (SELECT id FROM accounts WHERE role = \(bind: Role.citizen.rawValue))
            """).run()
        let after = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("web_sessions").first(decoding: Count.self)?.n ?? 0
        return before - after
    }

    /// The periodic clean-up of ended sessions (every server may run it; it is idempotent).
    static func cleanup(interval: Duration) -> RepeatingTask {
        RepeatingTask("session clean-up", every: interval) { app in
            try await purgeExpired(on: app.db as! any SQLDatabase, now: KazakhstanTime.nowMilliseconds(),
                                   app.aimaq.configuration)
        }
    }
}

/// Reads the session cookie, checks the session on the server and signs its account in for
/// this request; on the way out sets or clears the cookie as sign-in and sign-out asked.
struct WebSessionMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        // A visitor without a session cookie costs no task and no query.
        guard let secret = request.cookies[WebSessions.cookieName]?.string, !secret.isEmpty else {
            return next.respond(to: request).map { Self.settingCookie($0, request, clear: false) }
        }
        let resumed = request.eventLoop.makePromise(of: Bool.self)
        resumed.completeWithTask { try await Self.resume(request, secret: secret) }
        return resumed.futureResult.flatMap { alive in
            next.respond(to: request).map { Self.settingCookie($0, request, clear: !alive) }
        }
    }

    /// Sets or clears the cookie as sign-in and sign-out asked, or clears an ended session's.
    private static func settingCookie(_ response: Response, _ request: Request, clear: Bool) -> Response {
        let configuration = request.aimaq.configuration
        switch request.storage[WebSessions.CookieChangeKey.self] {
        case .set(let secret):
            response.cookies[WebSessions.cookieName] = HTTPCookies.Value(
                string: secret, expires: nil, maxAge: configuration.sessionHours * 3_600, path: "/",
                isSecure: configuration.secureCookies, isHTTPOnly: true, sameSite: .lax)
        case .clear:
            response.cookies[WebSessions.cookieName] = .expired
        case nil:
            if clear { response.cookies[WebSessions.cookieName] = .expired }
        }
        return response
    }

    /// Signs in the session's account; false when the session has ended (it is deleted).
    private static func resume(_ request: Request, secret: String) async throws -> Bool {
        let idHash = WebSessions.hash(secret)
        let sql = request.sql
        guard let row = try await sql.select().column("*").from("web_sessions").where("id_hash", .equal, SQLBind(idHash))
            .first(decoding: WebSessions.Row.self) else { return false }
        let now = KazakhstanTime.nowMilliseconds()
        let account = try await Account.find(row.account_id, on: request.db)
        guard let account, account.active,
              WebSessions.isAlive(created: row.created_at, seen: row.seen_at, now: now, role: account.role,
                                  request.aimaq.configuration) else {
            try await sql.delete(from: "web_sessions").where("id_hash", .equal, SQLBind(idHash)).run()
            return false
        }
        // Last use is written at most once a minute: reading pages costs no write each time.
        if now - row.seen_at > 60_000 {
            try await sql.update("web_sessions").set("seen_at", to: SQLBind(now)).where("id_hash", .equal, SQLBind(idHash)).run()
        }
        request.auth.login(account)
        request.storage[WebSessions.CurrentKey.self] = WebSessions.Current(idHash: idHash, csrf: row.csrf, createdAt: row.created_at)
        return true
    }
}

extension Request {
    /// The signed-in session of this request (none for visitors and API tokens).
    var webSession: WebSessions.Current? { storage[WebSessions.CurrentKey.self] }
}

/// The client's address: the peer's, or the first address that a trusted proxy
/// (`AIMAQ_TRUSTED_PROXIES`) put in `X-Forwarded-For` before itself. A header from anyone
/// else is ignored, so a visitor cannot choose their address.
enum ClientAddress {
    static func of(_ request: Request, trusting proxies: [String]? = nil) -> String {
        let peer = request.remoteAddress?.ipAddress ?? "unknown"
        let trusted = proxies ?? request.aimaq.configuration.trustedProxies
        guard !trusted.isEmpty, trusted.contains(peer) else { return peer }
        // Read from the right: each trusted proxy appended the address it saw.
        let hops = request.headers[.xForwardedFor].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !trusted.contains(hop) { return hop }
        return hops.first ?? peer
    }
}
