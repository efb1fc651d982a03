import AimaqCore
import Vapor

/// The frame of every page: landmarks, skip link, navigation, language switcher, the demo
/// banner, and the content.
enum Layout {
    /// The whole page, as the bytes of its HTML.
    static func pageBytes(_ request: Request, title: String, breadcrumbs: [(String, String)] = [],
                          content: Node) -> [UInt8] {
        let language = request.language
        let account = request.account
        let document = fragment {
            el("html", .lang(language.rawValue)) {
                el("head") {
                    void("meta", Attribute("charset", "utf-8"))
                    void("meta", .name("viewport"), Attribute("content", "width=device-width, initial-scale=1"))
                    el("title") { "\(title) · Aimaq" }
                    void("link", Attribute("rel", "stylesheet"), .href(SiteURL.stylesheet.path))
                }
                el("body") {
                    el("header", .class("site")) {
                        // Inside the banner, so that no content lies outside a landmark.
                        el("a", .class("skip"), .href("#main")) { request.t("nav.skip") }
                        el("a", .class("brand"), .href(SiteURL.home.path)) {
                            el("strong") { "Aimaq" }
                            el("span") { request.t("site.tagline") }
                        }
                        el("nav", .aria("label", request.t("nav.main"))) {
                            el("ul") {
                                el("li") { el("a", .href(SiteURL.home.path)) { request.t("nav.home") } }
                                el("li") { el("a", .href(SiteURL.register.path)) { request.t("nav.register") } }
                                el("li") { el("a", .href(SiteURL.budget.path)) { request.t("nav.budget") } }
                                el("li") { el("a", .href(SiteURL.discussions.path)) { request.t("nav.discussions") } }
                                el("li") { el("a", .href(SiteURL.conversations.path)) { request.t("nav.conversations") } }
                                el("li") { el("a", .href(SiteURL.polls.path)) { request.t("nav.polls") } }
                                el("li") { el("a", .href(SiteURL.referendums.path)) { request.t("nav.referendums") } }
                                el("li") { el("a", .href(SiteURL.visits.path)) { request.t("nav.visits") } }
                                el("li") { el("a", .href(SiteURL.appeals.path)) { request.t("nav.appeals") } }
                                if let account {
                                    el("li") { el("a", .href(SiteURL.myWork.path)) { request.t("nav.myWork") } }
                                    el("li") { el("a", .href(SiteURL.account.path)) { account.displayName } }
                                    if account.role == .administrator || account.role == .maslikhatDeputy {
                                        el("li") { el("a", .href(SiteURL.adminImportBudget.path)) { request.t("nav.importBudget") } }
                                    }
                                    if account.role == .administrator {
                                        el("li") { el("a", .href(SiteURL.adminUsers.path)) { request.t("nav.users") } }
                                        if account.scope == .country {
                                            el("li") { el("a", .href(SiteURL.adminAudit.path)) { request.t("nav.audit") } }
                                            el("li") { el("a", .href(SiteURL.adminImportPlan.path)) { request.t("nav.importPlan") } }
                                        }
                                    }
                                    el("li") {
                                        el("form", Attribute("method", "post"), Attribute("action", SiteURL.signOut.path), .class("inline")) {
                                            csrfField(request)
                                            el("button", .type("submit"), .class("link")) { request.t("nav.signOut") }
                                        }
                                    }
                                } else {
                                    el("li") { el("a", .href(SiteURL.signIn.path)) { request.t("nav.signIn") } }
                                }
                            }
                        }
                        el("nav", .class("languages"), .aria("label", request.t("nav.language"))) {
                            el("ul") {
                                for other in Language.allCases {
                                    el("li") {
                                        if other == language {
                                            el("span", .aria("current", "true"), .lang(other.rawValue)) { other.nativeName }
                                        } else {
                                            el("a", .href("\(request.url.path)?lang=\(other.rawValue)"),
                                               .lang(other.rawValue), Attribute("hreflang", other.rawValue)) { other.nativeName }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if request.aimaq.isDemo.withLock({ $0 }) {
                        // A landmark of its own: no content lies outside one.
                        el("aside", .class("demo-banner"), .aria("label", request.t("demo.label"))) {
                            el("p") { request.t("demo.banner") }
                        }
                    }
                    if !breadcrumbs.isEmpty {
                        el("nav", .class("breadcrumbs"), .aria("label", request.t("nav.breadcrumbs"))) {
                            el("ol") {
                                for (index, crumb) in breadcrumbs.enumerated() {
                                    el("li") {
                                        if index == breadcrumbs.count - 1 {
                                            el("span", .aria("current", "page")) { crumb.0 }
                                        } else {
                                            el("a", .href(crumb.1)) { crumb.0 }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    el("main", .id("main")) { content }
                    el("footer", .class("site")) {
                        el("p") { request.t("site.footer") }
                        el("p") {
                            el("a", .href(SiteURL.api(.openAPI).path)) { request.t("nav.api") }
                        }
                    }
                }
            }
        }
        var output = Array("<!doctype html>".utf8)
        output.reserveCapacity(16_384)
        document.render(into: &output)
        return output
    }

    static func page(_ request: Request, title: String, breadcrumbs: [(String, String)] = [],
                     content: Node) -> String {
        String(decoding: pageBytes(request, title: title, breadcrumbs: breadcrumbs, content: content), as: UTF8.self)
    }

    /// A page response with the right content type. The page's bytes go to the answer as they
    /// are: made from valid text, they need no check as UTF-8 on the way (which a `String`
    /// made from them costs).
    static func response(_ request: Request, title: String, breadcrumbs: [(String, String)] = [],
                         status: HTTPResponseStatus = .ok, content: Node) -> Response {
        html(.init(buffer: ByteBuffer(bytes: pageBytes(request, title: title, breadcrumbs: breadcrumbs, content: content))), status: status)
    }

    /// A page that shows a secret once (a new token, a one-time link, recovery codes, a
    /// second-factor enrolment): no cache may keep it.
    static func secretResponse(_ request: Request, title: String, status: HTTPResponseStatus = .ok, content: Node) -> Response {
        let response = self.response(request, title: title, status: status, content: content)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func html(_ html: String, status: HTTPResponseStatus = .ok) -> Response {
        self.html(.init(string: html), status: status)
    }

    private static func html(_ body: Response.Body, status: HTTPResponseStatus) -> Response {
        let response = Response(status: status, body: body)
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return response
    }

    /// Whether the whole page can come from the cache: nobody signed in and no query string
    /// (a query may switch the language, which also sets a cookie). Pages whose query only
    /// filters (the register) pass `filtersOnly` and key the cache by the parsed filters.
    static func isCacheableAnonymous(_ request: Request, filtersOnly: Bool = false) -> Bool {
        guard request.account == nil else { return false }
        guard let query = request.url.query else { return true }
        return filtersOnly && request.queryText(LanguageMiddleware.parameter) == nil && !query.isEmpty
    }
}

/// The hidden field every form carries.
func csrfField(_ request: Request) -> Node {
    csrfField(request.page)
}

func csrfField(_ page: PageContext) -> Node {
    void("input", .type("hidden"), .name(CSRFMiddleware.fieldName), .value(page.csrfToken))
}
