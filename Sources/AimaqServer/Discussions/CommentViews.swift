import AimaqCore

/// An article of a draft with its comments: order by support or date, replies under their
/// comment, the forms a participant or a moderator may use.
enum CommentViews {
    struct Context {
        var discussion: DiscussionRecord
        var phase: DiscussionPhase
        var version: Int
        var article: DraftArticle
        var order: CommentStore.Order
        var thread: [(comment: CommentRecord, replies: [CommentRecord])]
        var mayTakePart: Bool
        var mayModerate: Bool
        var signedIn: Bool
        var proposals: ProposalViews.Context
        /// Experts' opinions on the article, shown apart from the comments.
        var opinions: [ExpertOpinionRecord] = []
    }

    static func article(_ context: Context, _ page: PageContext) -> Node {
        let discussion = context.discussion.id
        let anchor = context.article.anchor
        let here = SiteURL.discussionArticle(.value(discussion), .value(anchor)).path
        let count = context.thread.reduce(0) { $0 + 1 + $1.replies.count }
        return .fragment([
            el("h1") { context.article.heading },
            el("p") {
                DiscussionViews.phaseBadge(context.phase, page)
                " "
                el("a", .href(SiteURL.discussion(.value(discussion)).path + "#" + anchor)) { page.t("comment.inDraft") }
            },
            .fragment(context.article.paragraphs.enumerated().map { number, text in
                el("p", .id(context.article.paragraphAnchor(number + 1))) { text }
            }),
            ProposalViews.section(context.proposals, page),
            context.opinions.isEmpty ? .empty : fragment {
                el("h2", .id("opinions")) { page.t("opinion.article", ["count": String(context.opinions.count)]) }
                OpinionViews.list(context.opinions, discussion: discussion, headings: [anchor: context.article.heading], page)
            },
            el("h2", .id("comments")) { page.t("comment.title", ["count": String(count)]) },
            el("p") {
                page.t("comment.order") + " "
                for order in [CommentStore.Order.support, .date] {
                    if order == context.order {
                        el("strong", Attribute("aria-current", "true")) { page.t("comment.order.\(order.rawValue)") }
                    } else {
                        el("a", .href(here + "?order=\(order.rawValue)")) { page.t("comment.order.\(order.rawValue)") }
                    }
                    " "
                }
            },
            context.mayTakePart ? commentForm(context, parent: nil, page) : participationNote(context, page),
            el("ul", .class("comments")) {
                for (comment, replies) in context.thread {
                    el("li", .id("comment-\(comment.id)")) {
                        one(comment, context, page)
                        if context.mayTakePart && !comment.isHidden { commentForm(context, parent: comment.id, page) }
                        if !replies.isEmpty {
                            el("ul", .class("replies")) {
                                for reply in replies {
                                    el("li", .id("comment-\(reply.id)")) { one(reply, context, page) }
                                }
                            }
                        }
                    }
                }
            },
        ])
    }

    static func participationNote(_ context: Context, _ page: PageContext) -> Node {
        if !context.phase.allows(.comment) { return el("p") { page.t("comment.closed") } }
        if !context.signedIn { return el("p") { page.t("comment.signIn") } }
        return el("p") { page.t("comment.notYourTerritory") }
    }

    static func one(_ comment: CommentRecord, _ context: Context, _ page: PageContext) -> Node {
        let discussion = context.discussion.id
        return el("article", .class("comment")) {
            el("p", .class("meta")) {
                el("strong") { comment.author }
                " · "
                Components.time(comment.created_at, page)
                if comment.version != context.version { " · " + page.t("comment.onVersion", ["version": String(comment.version)]) }
            }
            if comment.isHidden {
                el("p", .class("hidden-comment")) { page.t("comment.hidden") }
                if context.mayModerate {
                    el("p") { page.t("comment.hiddenBecause", ["reason": comment.hidden_reason ?? ""]) }
                    el("blockquote") { comment.text }
                }
            } else {
                el("p") { comment.text }
                el("p", .class("standing")) {
                    page.t("comment.standing", ["support": String(comment.support), "oppose": String(comment.oppose)])
                }
                el("div", .class("buttons")) {
                    if context.mayTakePart {
                        for value in ["support", "oppose"] {
                            el("form", Attribute("method", "post"), Attribute("action", SiteURL.commentVote(.value(discussion), .value(comment.id)).path)) {
                                csrfField(page)
                                void("input", .type("hidden"), .name("value"), .value(value))
                                el("button", .type("submit")) { page.t("comment.\(value)") }
                            }
                        }
                    }
                    el("form", Attribute("method", "post"), Attribute("action", SiteURL.commentReport(.value(discussion), .value(comment.id)).path)) {
                        csrfField(page)
                        el("button", .type("submit")) { page.t("comment.report") }
                    }
                }
                if context.mayModerate {
                    if comment.reports > 0 { el("p") { page.t("comment.reports", ["count": String(comment.reports)]) } }
                    el("form", Attribute("method", "post"), Attribute("action", SiteURL.commentHide(.value(discussion), .value(comment.id)).path)) {
                        csrfField(page)
                        el("label", Attribute("for", "hide-\(comment.id)")) { page.t("comment.hideReason") }
                        " "
                        void("input", .id("hide-\(comment.id)"), .name("reason"), .type("text"), .flag("required"))
                        " "
                        el("button", .type("submit")) { page.t("comment.hide") }
                    }
                }
            }
        }
    }

    static func commentForm(_ context: Context, parent: Int?, _ page: PageContext) -> Node {
        let id = parent.map { "reply-\($0)" } ?? "comment-text"
        let action = SiteURL.discussionComments(.value(context.discussion.id), .value(context.article.anchor)).path
        return el("form", attributes: [.class("stack"), .id(parent.map { "reply-form-\($0)" } ?? "comment-form"),
                                       Attribute("method", "post"), Attribute("action", action)]) {
            csrfField(page)
            if let parent { void("input", .type("hidden"), .name("parent"), .value(String(parent))) }
            el("label", Attribute("for", id)) { parent == nil ? page.t("comment.new") : page.t("comment.reply") }
            el("textarea", .id(id), .name("text"), Attribute("rows", parent == nil ? "4" : "2"),
               Attribute("maxlength", String(CommentStore.maxLength)), .flag("required"))
            el("button", .type("submit")) { parent == nil ? page.t("comment.send") : page.t("comment.sendReply") }
        }
    }
}
