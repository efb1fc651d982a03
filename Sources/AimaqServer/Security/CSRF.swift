import AimaqCore
import Crypto
import Vapor

/// Cross-site request forgery protection for every form: a random token kept in the
/// session, written into each form, and checked on every state-changing request that is
/// not under `/api/` (the API does not accept session cookies for writing).
struct CSRFMiddleware: AsyncMiddleware {
    static let fieldName = "_csrf"
    static let headerName = "X-CSRF-Token"
    static let sessionKey = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let safe: [HTTPMethod] = [.GET, .HEAD, .OPTIONS]
        if !safe.contains(request.method), !request.url.path.hasPrefix("/api/") {
            // A token in the header or the address is checked before any body is read (the
            // way of multipart uploads, whose body the route reads under its own limit).
            var sent = request.headers.first(name: Self.headerName)
                ?? request.query[String.self, at: Self.fieldName]
            if sent == nil, request.headers.contentType != .formData {
                if request.body.data == nil {
                    _ = try await request.body.collect(max: 1 << 20).get()
                }
                sent = try? request.content.get(String.self, at: Self.fieldName)
            }
            guard let expected = request.session.data[Self.sessionKey], let sent,
                  ConstantTime.equal(sent, expected) else {
                throw Abort(.forbidden, reason: request.t("error.csrf"))
            }
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The session's CSRF token, created on first use.
    var csrfToken: String {
        if let token = session.data[CSRFMiddleware.sessionKey] { return token }
        let token = [UInt8].random(count: 32).base64URLEncodedString()
        session.data[CSRFMiddleware.sessionKey] = token
        return token
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
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers: [(String, String)] = [
            ("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }
}
