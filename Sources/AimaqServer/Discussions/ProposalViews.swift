import AimaqCore

/// Proposals of amendment on an article's page, and the disposition table.
enum ProposalViews {
    struct Context {
        var discussion: Int
        var anchor: String
        var proposals: [ProposalRecord]
        var mayPropose: Bool
        var mayDispose: Bool
    }

    static func dispositionText(_ proposal: ProposalRecord, _ page: PageContext) -> String {
        proposal.dispositionValue.map { page.t("proposal.disposition.\($0.rawValue)") } ?? page.t("proposal.disposition.none")
    }

    static func section(_ context: Context, _ page: PageContext) -> Node {
        .fragment([
            el("h2", .id("proposals")) { page.t("proposal.title", ["count": String(context.proposals.count)]) },
            el("ul", .class("comments")) {
                for proposal in context.proposals {
                    el("li", .id("proposal-\(proposal.id)")) {
                        el("article", .class("comment")) {
                            el("p", .class("meta")) {
                                el("strong") { proposal.author }
                                " · "
                                Components.time(proposal.created_at, page)
                            }
                            el("p") { page.t("proposal.wording") }
                            el("blockquote") { proposal.wording }
                            el("p") { page.t("proposal.justification") + " " + proposal.justification }
                            el("p", .class("standing")) {
                                page.t("proposal.standing", ["support": String(proposal.support), "disposition": dispositionText(proposal, page)])
                                if let reason = proposal.disposition_reason { " " + page.t("comment.hiddenBecause", ["reason": reason]) }
                            }
                            if context.mayPropose {
                                el("form", Attribute("method", "post"),
                                   Attribute("action", SiteURL.proposalSupport(.value(context.discussion), .value(proposal.id)).path)) {
                                    csrfField(page)
                                    el("button", .type("submit")) { page.t("proposal.support") }
                                }
                            }
                            if context.mayDispose { dispositionForm(context.discussion, proposal, page) }
                        }
                    }
                }
            },
            context.mayPropose ? proposalForm(context, page) : .empty,
        ])
    }

    static func dispositionForm(_ discussion: Int, _ proposal: ProposalRecord, _ page: PageContext) -> Node {
        let id = "disposition-\(proposal.id)"
        return el("form", .class("stack"), Attribute("method", "post"),
                  Attribute("action", SiteURL.proposalDisposition(.value(discussion), .value(proposal.id)).path)) {
            csrfField(page)
            el("label", Attribute("for", id)) { page.t("proposal.disposition") }
            el("select", .id(id), .name("disposition")) {
                for disposition in Disposition.allCases {
                    Components.option(disposition.rawValue, page.t("proposal.disposition.\(disposition.rawValue)"),
                                      selected: proposal.dispositionValue == disposition)
                }
            }
            el("label", Attribute("for", id + "-reason")) { page.t("proposal.reason") }
            el("textarea", .id(id + "-reason"), .name("reason"), Attribute("rows", "2"), .flag("required")) {
                proposal.disposition_reason ?? ""
            }
            el("button", .type("submit")) { page.t("proposal.dispose") }
        }
    }

    static func proposalForm(_ context: Context, _ page: PageContext) -> Node {
        el("form", .class("stack"), Attribute("method", "post"),
           Attribute("action", SiteURL.discussionProposals(.value(context.discussion), .value(context.anchor)).path)) {
            csrfField(page)
            el("label", Attribute("for", "proposal-wording")) { page.t("proposal.new") }
            el("textarea", .id("proposal-wording"), .name("wording"), Attribute("rows", "4"),
               Attribute("maxlength", String(ProposalStore.maxWording)), .flag("required"))
            el("label", Attribute("for", "proposal-justification")) { page.t("proposal.justification") }
            el("textarea", .id("proposal-justification"), .name("justification"), Attribute("rows", "3"),
               Attribute("maxlength", String(ProposalStore.maxJustification)), .flag("required"))
            el("button", .type("submit")) { page.t("proposal.send") }
        }
    }

    static func table(_ shown: DiscussionController.Shown, _ proposals: [ProposalRecord], headings: [String: String],
                      _ page: PageContext) -> Node {
        let id = shown.discussion.id
        return .fragment([
            el("h1") { page.t("proposal.table.title") },
            el("p") { shown.discussion.title[page.language] },
            proposals.isEmpty ? el("p") { page.t("proposal.none") } : el("table", .class("list")) {
                el("thead") {
                    el("tr") {
                        for key in ["proposal.table.article", "proposal.wording", "proposal.table.author", "proposal.table.support",
                                    "proposal.disposition", "proposal.reason"] {
                            el("th", Attribute("scope", "col")) { page.t(key) }
                        }
                    }
                }
                el("tbody") {
                    for proposal in proposals {
                        el("tr") {
                            el("td") {
                                el("a", .href(SiteURL.discussionArticle(.value(id), .value(proposal.anchor)).path + "#proposal-\(proposal.id)")) {
                                    headings[proposal.anchor] ?? proposal.anchor
                                }
                            }
                            el("td") { proposal.wording }
                            el("td") { proposal.author }
                            el("td") { String(proposal.support) }
                            el("td") { dispositionText(proposal, page) }
                            el("td") { proposal.disposition_reason ?? "" }
                        }
                    }
                }
            },
            el("p") {
                el("a", .href(SiteURL.discussionDispositions(.value(id)).path + "?format=csv")) { page.t("proposal.table.csv") }
            },
        ])
    }
}
