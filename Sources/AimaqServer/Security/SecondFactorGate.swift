import AimaqCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// Until a staff account has enrolled its second factor, every page leads to the enrolment.
struct SecondFactorGate: Middleware {
    static let open: Set<String> = [SiteURL.secondFactor.path, SiteURL.secondFactorQR.path, SiteURL.signOut.path, SiteURL.signIn.path,
                                    SiteURL.stylesheet.path, SiteURL.health.path]

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard SecondFactorController.mustEnrol(request), !Self.open.contains(request.url.path) else {
            return next.respond(to: request)
        }
        if request.method == .GET {
            return request.eventLoop.makeSucceededFuture(request.redirect(to: SiteURL.secondFactor.path, redirectType: .normal))
        }
        return request.eventLoop.makeFailedFuture(Abort(.forbidden, reason: request.t("twofa.required")))
    }
}
