import AimaqCore

/// Experts' opinions: apart from citizens' comments, each with the expert's name and
/// affiliation, position, text, attachment and signature digest; the form for experts.
enum OpinionViews {
    struct Context {
        var discussion: Int
        var articles: [DraftArticle]
        var opinions: [ExpertOpinionRecord]
        var mayGive: Bool
        var submitted = false
    }

    static func page(_ context: Context, _ page: PageContext) -> Node {
        let headings = Dictionary(context.articles.map { ($0.anchor, $0.heading) }, uniquingKeysWith: { first, _ in first })
        return .fragment([
            el("h1") { page.t("opinion.title") },
            el("p") { page.t("opinion.intro") },
            context.submitted ? el("p", .class("notice"), Attribute("role", "status")) { page.t("opinion.given") } : .empty,
            context.opinions.isEmpty ? el("p") { page.t("opinion.none") } : list(context.opinions, discussion: context.discussion,
                                                                               headings: headings, page),
            context.mayGive ? form(context, page) : .empty,
        ])
    }

    /// The opinions, each in its own block (used on the article page too).
    static func list(_ opinions: [ExpertOpinionRecord], discussion: Int, headings: [String: String], _ page: PageContext) -> Node {
        el("ul", .class("opinions")) {
            for opinion in opinions {
                el("li", .id("opinion-\(opinion.id)")) {
                    el("article", .class("opinion")) {
                        el("p", .class("meta")) {
                            el("strong") { opinion.author }
                            ", " + opinion.affiliation + " · "
                            Components.time(opinion.created_at, page)
                        }
                        el("p") {
                            el("span", .class("status")) { page.t("opinion.position.\(opinion.position)") }
                            " " + (opinion.anchor.map { page.t("opinion.on", ["article": headings[$0] ?? $0]) } ?? page.t("opinion.onWhole"))
                        }
                        el("p") { opinion.text }
                        if opinion.stored_name != nil, let name = opinion.file_name {
                            el("p") {
                                el("a", .href(SiteURL.opinionFile(.value(discussion), .value(opinion.id)).path)) { name }
                                " (" + page.t("opinion.sha", ["sha": String((opinion.file_sha256 ?? "").prefix(16))]) + ")"
                            }
                        }
                        el("p", .class("meta")) { page.t("opinion.signed", ["digest": opinion.digest]) }
                    }
                }
            }
        }
    }

    static func form(_ context: Context, _ page: PageContext) -> Node {
        // Multipart forms carry the token in the address: the body is read only after the check.
        el("form", attributes: [.class("stack"), .id("opinion-form"), Attribute("method", "post"),
                                Attribute("action", SiteURL.discussionOpinions(.value(context.discussion)).link((.csrf, page.csrfToken))),
                                Attribute("enctype", "multipart/form-data")]) {
            el("h2") { page.t("opinion.form.title") }
            el("label", Attribute("for", "opinion-anchor")) { page.t("opinion.form.anchor") }
            el("select", .id("opinion-anchor"), .name("anchor")) {
                el("option", .value("")) { page.t("opinion.onWhole") }
                for article in context.articles {
                    el("option", .value(article.anchor)) { article.heading }
                }
            }
            el("label", Attribute("for", "opinion-affiliation")) { page.t("opinion.form.affiliation") }
            void("input", .id("opinion-affiliation"), .name("affiliation"), .type("text"),
                 Attribute("maxlength", String(OpinionStore.maxAffiliation)), .flag("required"))
            el("fieldset") {
                el("legend") { page.t("opinion.form.position") }
                for position in ExpertPosition.allCases {
                    el("label") {
                        void("input", .type("radio"), .name("position"), .value(position.rawValue), .flag("required"))
                        " " + page.t("opinion.position.\(position.rawValue)")
                    }
                }
            }
            el("label", Attribute("for", "opinion-text")) { page.t("opinion.form.text") }
            el("textarea", .id("opinion-text"), .name("text"), Attribute("rows", "8"),
               Attribute("maxlength", String(OpinionStore.maxText)), .flag("required"))
            el("label", Attribute("for", "opinion-file")) { page.t("opinion.form.file") }
            void("input", .id("opinion-file"), .name("file"), .type("file"))
            el("button", .type("submit")) { page.t("opinion.form.send") }
        }
    }
}
