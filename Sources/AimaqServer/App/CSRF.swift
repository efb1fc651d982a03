import AimaqCore
import Crypto
import Vapor

/// Cross-site request forgery protection for every form, checked on every state-changing
/// request that is not under `/api/` (the API writes only with a token, never a cookie).
/// A signed-in person's token is their session's; a visitor's (the sign-in form) is an
/// HMAC of a random value kept in a cookie of its own, so a visitor costs no stored session.
struct CSRFMiddleware: Middleware {
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"
    static let visitorCookie = "aimaq_csrf"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let safe: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]
        guard !safe.contains(request.method), !request.url.path.hasPrefix("/api/") else {
            return next.respond(to: request).map { Self.settingCookie($0, request) }
        }
        // A token in the header or the address is checked before any body is read (the
        // way of multipart uploads, whose body the route reads under its own limit).
        let given = request.headers.first(name: Self.headerName) ?? request.queryText(Self.fieldName)
        let sent: EventLoopFuture<String?>
        if given == nil, request.headers.contentType != .formData {
            let body = request.body.data == nil
                ? request.body.collect(max: 1 << 20).map { _ in () } : request.eventLoop.makeSucceededVoidFuture()
            sent = body.map { try? request.content.get(String.self, at: Self.fieldName) }
        } else {
            sent = request.eventLoop.makeSucceededFuture(given)
        }
        return sent.flatMapThrowing { sent in
            guard let expected = Self.expected(request), let sent, ConstantTime.equal(sent, expected) else {
                throw Abort(.forbidden, reason: request.t("error.csrf"))
            }
        }
        .flatMap { next.respond(to: request) }
        .map { Self.settingCookie($0, request) }
    }

    /// The answer with the visitor's new nonce cookie, when a form made one.
    private static func settingCookie(_ response: Response, _ request: Request) -> Response {
        if let nonce = request.storage[NewNonceKey.self] {
            response.cookies[visitorCookie] = HTTPCookies.Value(
                string: nonce, expires: nil, maxAge: nil, path: "/", isSecure: request.aimaq.configuration.secureCookies,
                isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    /// The token this request must carry: its session's, or the visitor's.
    static func expected(_ request: Request) -> String? {
        if let session = request.webSession { return session.csrf }
        return request.cookies[visitorCookie].map { visitorToken($0.string, request) }
    }

    static func visitorToken(_ nonce: String, _ request: Request) -> String {
        let key = SymmetricKey(data: Data(("csrf:" + request.aimaq.feedSecret).utf8))
        return [UInt8](HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key)).base64URLEncodedString()
    }

    struct NewNonceKey: StorageKey { typealias Value = String }
}

extension Request {
    /// The token a form carries: the session's, or for a visitor one bound to a cookie that
    /// the response sets when it has none yet.
    var csrfToken: String {
        if let session = webSession { return session.csrf }
        if let nonce = storage[CSRFMiddleware.NewNonceKey.self] ?? cookies[CSRFMiddleware.visitorCookie]?.string {
            return CSRFMiddleware.visitorToken(nonce, self)
        }
        let nonce = [UInt8].random(count: 32).base64URLEncodedString()
        storage[CSRFMiddleware.NewNonceKey.self] = nonce
        return CSRFMiddleware.visitorToken(nonce, self)
    }
}

extension Array where Element == UInt8 {
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    func base64URLEncodedString() -> String {
        Data(self).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Headers that every answer carries.
struct SecurityHeadersMiddleware: Middleware {
    static let headers: [(String, String)] = [
        ("Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            for (name, value) in Self.headers { response.headers.replaceOrAdd(name: name, value: value) }
            // Served over HTTPS (secure cookies): browsers keep to HTTPS for a year.
            if request.aimaq.configuration.secureCookies {
                response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
            }
            return response
        }
    }
}

/// `Server-Timing: app;dur=…`: how long the server worked on an answer, from the first
/// middleware to the answer (milliseconds), so that a client or a benchmark can tell the
/// server's own time from the network's and its own. Phases a route timed (`Request.timed`)
/// follow it: for a write of an assignment, its transaction (`tx`, with its wait for its
/// turn) and the bringing of this server's models up to date (`feed`).
struct ServerTimingMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let started = DispatchTime.now().uptimeNanoseconds
        return next.respond(to: request).map { response in
            var value = "app;dur=" + Self.milliseconds(DispatchTime.now().uptimeNanoseconds - started)
            for (name, nanoseconds) in request.storage[Phases.self] ?? [] {
                value += ", \(name);dur=" + Self.milliseconds(nanoseconds)
            }
            response.headers.replaceOrAdd(name: "Server-Timing", value: value)
            return response
        }
    }

    /// Milliseconds with three decimals.
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micros = nanoseconds / 1_000
        let fraction = String(micros % 1_000)
        return "\(micros / 1_000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    struct Phases: StorageKey { typealias Value = [(String, UInt64)] }
}

extension Request {
    /// Runs `body` and reports its duration as the phase `name` of `Server-Timing`.
    func timed<T>(_ name: String, _ body: () async throws -> T) async rethrows -> T {
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            let phase = (name, DispatchTime.now().uptimeNanoseconds - started)
            storage[ServerTimingMiddleware.Phases.self] = (storage[ServerTimingMiddleware.Phases.self] ?? []) + [phase]
        }
        return try await body()
    }
}
