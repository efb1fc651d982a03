import AimaqCore
import Vapor

/// Raised when a page needs a signed-in person: pages answer 303 to the sign-in page,
/// the API answers 401.
struct SignInRequired: Error {}

extension Request {
    /// The signed-in account, if its session is valid and the account active.
    var account: Account? {
        guard let account = auth.get(Account.self), account.active else { return nil }
        return account
    }

    var actor: AimaqCore.Actor? { account?.actor }

    /// Who acts, as the audit log records it: the account's sign-in name (unique).
    var auditActor: String { account?.email ?? "?" }

    /// The one gate every route passes: asks the policy and throws the right answer.
    func authorize(_ action: Action) throws {
        switch AccessPolicy.decide(action, for: actor) {
        case .allowed: return
        case .signInRequired: throw SignInRequired()
        case .forbidden: throw Abort(.forbidden, reason: t("error.forbidden"))
        }
    }

    var isAPI: Bool {
        url.path.hasPrefix("/api/") || url.path == "/health"
    }
}

/// Turns errors into the answer a person or a program expects: an HTML page in the
/// visitor's language, JSON `{"error": …}` for the API, a redirect to sign in.
struct AimaqErrorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapErrorThrowing { error in try Self.answer(error, request) }
    }

    private static func answer(_ error: any Error, _ request: Request) throws -> Response {
        switch error {
        case is SignInRequired:
            if request.isAPI {
                return try jsonError(.unauthorized, request.t("error.signInRequired"))
            }
            let target = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            var components = URLComponents()
            components.path = SiteURL.signIn.path
            components.queryItems = [URLQueryItem(name: "next", value: target)]
            return request.redirect(to: components.string ?? SiteURL.signIn.path, redirectType: .normal)
        default:
            var status: HTTPResponseStatus
            let message: String
            // A path that exists, asked with a method it does not take: 405 with Allow.
            if let abort = error as? any AbortError, abort.status == .notFound, request.route == nil,
               let methods = request.application.storage[MethodTable.Key.self]?.methods(for: request), !methods.isEmpty {
                var allowed = methods.map(\.rawValue)
                if methods.contains(.GET) { allowed.append("HEAD") }
                let response = request.isAPI
                    ? try jsonError(.methodNotAllowed, request.t("error.method"))
                    : Response(status: .methodNotAllowed)
                response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", "))
                return response
            }
            if let abort = error as? any AbortError {
                status = abort.status
                message = abort.status == .notFound && abort.reason == abort.status.reasonPhrase
                    ? request.t("error.notFound") : abort.reason
            } else {
                request.logger.report(error: error)
                status = .internalServerError
                message = request.t("error.internal")
            }
            // Headers the error asks for (Retry-After on 429) go with the answer.
            let extra = (error as? any AbortError)?.headers ?? [:]
            if request.isAPI {
                let response = try jsonError(status, message)
                for (name, value) in extra { response.headers.replaceOrAdd(name: name, value: value) }
                return response
            }
            let page = ErrorPage(status: status, message: message)
            let response = Response(status: status)
            for (name, value) in extra { response.headers.replaceOrAdd(name: name, value: value) }
            response.headers.contentType = .html
            response.body = .init(string: Layout.page(request, title: page.title(request), content: page.body(request)))
            return response
        }
    }

    private static func jsonError(_ status: HTTPResponseStatus, _ message: String) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(APIErrorBody(error: .init(status: Int(status.code), message: message)))
        return response
    }
}

struct APIErrorBody: Content {
    struct Detail: Content {
        var status: Int
        var message: String
    }
    var error: Detail
}

struct ErrorPage {
    var status: HTTPResponseStatus
    var message: String

    func title(_ request: Request) -> String {
        switch status {
        case .notFound: request.t("error.notFound.title")
        case .forbidden: request.t("error.forbidden.title")
        case .tooManyRequests: request.t("error.tooMany.title")
        default: request.t("error.title")
        }
    }

    func body(_ request: Request) -> Node {
        fragment {
            el("h1") { title(request) }
            el("p", .class("error-message")) { message }
            el("p") { el("a", .href(SiteURL.home.path)) { request.t("nav.home") } }
        }
    }
}
