import AimaqCore

/// The pages of discussions: the list, the draft with its table of contents, and a version's
/// changes side by side with the words that changed marked.
enum DiscussionViews {
    static func list(_ discussions: [DiscussionRecord], today: CivilDate, _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("discussion.list.title") },
            discussions.isEmpty
                ? el("p") { page.t("discussion.list.none") }
                : el("ul", .class("list")) {
                    for discussion in discussions {
                        el("li") {
                            el("a", .href(SiteURL.discussion(.value(discussion.id)).path)) { discussion.title[page.language] }
                            " — " + (discussion.territory.flatMap { page.tree[$0] }?.name[page.language] ?? page.t("country.name"))
                            " "
                            phaseBadge(discussion.schedule.phase(on: today), page)
                            if discussion.demo { " " + page.t("referendum.demo.short") }
                        }
                    }
                },
        ])
    }

    /// The form that opens a discussion of a draft (administrators and deputies, for their territory).
    static func createForm(values: [String: String], problems: [String], _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("discussion-form"), Attribute("method", "post"),
                                Attribute("action", SiteURL.discussions.path), .aria("labelledby", "discussion-form-title")]) {
            OpeningForm.head(id: "discussion-form", heading: "discussion.new", titleLabel: "discussion.newTitle", values: values,
                             problems: problems, page)
            OpeningForm.territoryField(id: "discussion-form", values: values, page)
            for (name, key) in [("opens", "discussion.newOpens"), ("expert_review", "discussion.newExpertReview"),
                                ("dispositions", "discussion.newDispositions"), ("closes", "discussion.newCloses")] {
                el("label", Attribute("for", "discussion-\(name)")) { page.t(key) }
                void("input", .type("date"), .name(name), .id("discussion-\(name)"), .flag("required"), .value(values[name] ?? ""))
            }
            el("label", Attribute("for", "discussion-draft")) { page.t("discussion.newDraft") }
            el("textarea", .name("draft"), .id("discussion-draft"), Attribute("rows", "12"), .flag("required"),
               Attribute("maxlength", String(DiscussionController.draftLimit)), .aria("describedby", "discussion-draft-hint")) { values["draft"] ?? "" }
            el("p", .class("meta"), .id("discussion-draft-hint")) { page.t("discussion.newDraftHint") }
            el("button", .type("submit")) { page.t("discussion.create") }
        }
    }

    static func phaseBadge(_ phase: DiscussionPhase, _ page: PageContext) -> Node {
        el("span", .class("status")) { page.t("discussion.phase.\(phase.rawValue)") }
    }

    static func schedule(_ shown: DiscussionController.Shown, _ page: PageContext) -> Node {
        let schedule = shown.discussion.schedule
        return el("ul", .class("facts")) {
            el("li") {
                el("span", .class("label")) { page.t("discussion.phase") }
                el("span", .class("value")) { phaseBadge(shown.phase, page) }
            }
            for phase in [DiscussionPhase.publicDiscussion, .expertReview, .dispositions, .closed] {
                el("li") {
                    el("span", .class("label")) { page.t("discussion.phase.\(phase.rawValue)") }
                    el("span", .class("value")) { page.t("discussion.from", ["date": schedule.start(of: phase)?.description ?? "—"]) }
                }
            }
        }
    }

    static func versionLinks(_ shown: DiscussionController.Shown, _ page: PageContext) -> Node {
        let id = shown.discussion.id
        return el("p") {
            page.t("discussion.versions") + " "
            for number in shown.versions {
                if number == shown.version?.number {
                    el("strong", Attribute("aria-current", "page")) { String(number) }
                } else {
                    el("a", .href(SiteURL.discussion(.value(id)).path + "?version=\(number)")) { String(number) }
                }
                " "
            }
        }
    }

    static func document(_ shown: DiscussionController.Shown, _ page: PageContext) -> Node {
        let discussion = shown.discussion
        guard let version = shown.version else {
            return .fragment([
                el("h1") { discussion.title[page.language] },
                schedule(shown, page),
                el("p") { shown.phase == .announced
                    ? page.t("discussion.opensOn", ["date": discussion.schedule.opens.description])
                    : page.t("discussion.noDraft") },
            ])
        }
        let draft = version.document
        let comparison = shown.previous.map { DraftComparison(from: $0.document, to: draft) }
        let changed = Set(comparison?.entries.filter { $0.change == .changed || $0.change == .added }.map(\.anchor) ?? [])
        let sectionNames = Dictionary(draft.sections.map { ($0.anchor, $0.heading) }, uniquingKeysWith: { first, _ in first })
        return .fragment([
            el("h1") { discussion.title[page.language] },
            discussion.demo ? el("p", .class("demo-note")) { page.t("discussion.demo") } : .empty,
            schedule(shown, page),
            versionLinks(shown, page),
            comparison.map { comparison in
                el("p") {
                    page.t("discussion.changedCount", ["count": String(comparison.changedAnchors.count)]) + " "
                    el("a", .href(SiteURL.discussionChanges(.value(discussion.id)).path + "?version=\(version.number)")) {
                        page.t("discussion.changes.link")
                    }
                }
            } ?? .empty,
            el("p") {
                el("a", .href(SiteURL.discussionDispositions(.value(discussion.id)).path)) { page.t("proposal.table.title") }
                " · "
                el("a", .href(SiteURL.discussionOpinions(.value(discussion.id)).path)) { page.t("opinion.title") }
                " · "
                el("a", .href(SiteURL.discussionReport(.value(discussion.id)).path)) { page.t("report.title") }
            },
            .fragment(shown.conversations.map { conversation in
                el("p", .class("conversation-link")) {
                    page.t("discussion.conversation") + " "
                    el("a", .href(SiteURL.conversation(.value(conversation.id)).path)) { conversation.title[page.language] }
                }
            }),
            el("h2", .id("contents")) { page.t("discussion.contents") },
            el("nav", .aria("labelledby", "contents")) {
                el("ul", .class("list")) {
                    for article in draft.articles {
                        el("li") {
                            el("a", .href("#" + article.anchor)) { article.heading }
                            if changed.contains(article.anchor) { " " + page.t("discussion.changedMark") }
                        }
                    }
                }
            },
            el("h2") { draft.title ?? discussion.title[page.language] },
            .fragment(draft.preamble.map { paragraph in el("p") { paragraph } }),
            .fragment(draft.articles.enumerated().map { index, article in
                let startsSection = article.section != nil
                    && (index == 0 || draft.articles[index - 1].section != article.section)
                return .fragment([
                    startsSection ? el("h2", .id(article.section ?? "")) { sectionNames[article.section ?? ""] ?? "" } : .empty,
                    el("section", .class("article"), .id(article.anchor), .aria("labelledby", article.anchor + "-h")) {
                        el("h3", .id(article.anchor + "-h")) {
                            article.heading
                            if changed.contains(article.anchor) {
                                " "
                                el("span", .class("changed-mark")) { page.t("discussion.changedMark") }
                            }
                        }
                        for (number, paragraph) in article.paragraphs.enumerated() {
                            el("p", .id(article.paragraphAnchor(number + 1))) { paragraph }
                        }
                        // Comments are on the latest version's articles.
                        if version.number == shown.versions.last {
                            el("p") {
                                el("a", .href(SiteURL.discussionArticle(.value(discussion.id), .value(article.anchor)).path + "#comments")) {
                                    page.t("discussion.comments", ["count": String(shown.comments[article.anchor] ?? 0)])
                                }
                            }
                        }
                    },
                ])
            }),
        ])
    }

    static func changes(_ shown: DiscussionController.Shown, _ page: PageContext) -> Node {
        let title = page.t("discussion.changes.title", ["version": shown.version.map { String($0.number) } ?? "—"])
        guard let version = shown.version, let previous = shown.previous else {
            return .fragment([el("h1") { title }, versionLinks(shown, page), el("p") { page.t("discussion.changes.none") }])
        }
        let comparison = DraftComparison(from: previous.document, to: version.document)
        let entries = comparison.entries.filter { $0.change != .unchanged }
        return .fragment([
            el("h1") { title },
            el("p") {
                page.t("discussion.changes.against", ["old": String(previous.number), "new": String(version.number)])
            },
            versionLinks(shown, page),
            el("p") { page.t("discussion.changedCount", ["count": String(entries.count)]) },
            el("ul", .class("list")) {
                for entry in entries {
                    el("li") {
                        el("a", .href("#" + entry.anchor)) { (entry.after ?? entry.before)?.heading ?? entry.anchor }
                        " — " + page.t("discussion.change.\(entry.change.rawValue)")
                    }
                }
            },
            .fragment(entries.map { entry in
                let heading = (entry.after ?? entry.before)?.heading ?? entry.anchor
                let diff = WordDiff(from: entry.before?.paragraphs.joined(separator: "\n\n") ?? "",
                                    to: entry.after?.paragraphs.joined(separator: "\n\n") ?? "")
                return el("section", .class("article"), .id(entry.anchor), .aria("labelledby", entry.anchor + "-h")) {
                    el("h2", .id(entry.anchor + "-h")) { heading + " — " + page.t("discussion.change.\(entry.change.rawValue)") }
                    el("div") {
                        el("table", .class("diff")) {
                            el("thead") {
                                el("tr") {
                                    el("th", Attribute("scope", "col")) { page.t("discussion.wording.current") }
                                    el("th", Attribute("scope", "col")) { page.t("discussion.wording.proposed") }
                                }
                            }
                            el("tbody") {
                                el("tr") {
                                    el("td") { runs(diff, showing: .removed) }
                                    el("td") { runs(diff, showing: .added) }
                                }
                            }
                        }
                    }
                }
            }),
        ])
    }

    /// One side of a word diff: the common words as they are and this side's own marked
    /// (`del` on the current side, `ins` on the proposed), paragraph breaks kept.
    static func runs(_ diff: WordDiff, showing side: WordDiff.Kind) -> Node {
        var paragraphs: [[Node]] = [[]]
        for run in diff.runs where run.kind == .same || run.kind == side {
            let pieces = run.text.components(separatedBy: "\n\n")
            for (index, piece) in pieces.enumerated() {
                if index > 0 { paragraphs.append([]) }
                guard !piece.isEmpty else { continue }
                let node: Node = run.kind == .same ? .text(piece) : el(side == .removed ? "del" : "ins") { piece }
                paragraphs[paragraphs.count - 1].append(node)
            }
        }
        return .fragment(paragraphs.filter { !$0.isEmpty }.map { nodes in Node.element("p", [], nodes) })
    }
}
