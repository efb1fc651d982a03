import AimaqCore
import Foundation
import OpinionMap

/// The pages of opinion-map conversations: the list, and a conversation with the statement to
/// vote on next, the form for a new statement, the opinion groups on a server-drawn map (for
/// the whole country or one region), what each group stands for, what nearly everyone
/// shares, how each region divides among the groups, the moderation queue and the export.
enum ConversationViews {
    /// What the signed-in participant has done so far.
    struct Participant: Sendable {
        var id: Int
        var voted: Set<Int>
    }

    struct Context {
        var snapshot: ConversationSnapshot
        var today: CivilDate
        var mayTakePart: Bool
        var signedIn: Bool
        var mayModerate: Bool
        /// The statements waiting for a moderator (read for moderators only).
        var pending: [StatementRecord] = []
        var me: Participant?
        var next: Int?
        var region: KATOCode?
        var discussionTitle: LocalizedName?
        var regions: [Territory]
        /// The visitor has just submitted a statement.
        var submitted = false
    }

    static let voteNames: [(String, VoteValue)] = [("agree", .agree), ("disagree", .disagree), ("pass", .pass)]

    static func voteValue(_ name: String) -> VoteValue? { voteNames.first { $0.0 == name }?.1 }

    /// A group's letter: A for the largest, then B, C…
    static func letter(_ group: Int) -> String {
        String(UnicodeScalar(UInt8(65 + min(max(group, 0), 25))))
    }

    static func list(_ conversations: [(ConversationRecord, Int)], today: CivilDate, _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("conversation.list.title") },
            el("p") { page.t("conversation.list.intro") },
            conversations.isEmpty
                ? el("p") { page.t("conversation.list.none") }
                : el("ul", .class("list")) {
                    for (conversation, participants) in conversations {
                        el("li") {
                            el("a", .href(SiteURL.conversation(.value(conversation.id)).path)) { conversation.title[page.language] }
                            " — " + (conversation.territory.flatMap { page.tree[$0] }?.name[page.language] ?? page.t("country.name"))
                            " · " + page.t("conversation.participants", ["count": NumberFormat.integer(participants, page.language)])
                            " "
                            status(conversation, today: today, page)
                            if conversation.demo { " " + page.t("referendum.demo.short") }
                        }
                    }
                },
        ])
    }

    /// The form that opens a conversation (administrators and deputies, for their territory).
    static func createForm(discussions: [DiscussionRecord], values: [String: String], problems: [String], _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("conversation-form"), Attribute("method", "post"),
                                Attribute("action", SiteURL.conversations.path), .aria("labelledby", "conversation-form-title")]) {
            OpeningForm.head(id: "conversation-form", heading: "conversation.new", titleLabel: "conversation.newTitle", values: values,
                             problems: problems, page)
            el("label", Attribute("for", "conversation-discussion")) { page.t("conversation.newDiscussion") }
            el("select", .name("discussion"), .id("conversation-discussion"), .aria("describedby", "conversation-discussion-hint")) {
                Components.option("", page.t("conversation.newDiscussion.none"), selected: (values["discussion"] ?? "").isEmpty)
                for discussion in discussions {
                    Components.option(String(discussion.id), discussion.title[page.language], selected: values["discussion"] == String(discussion.id))
                }
            }
            el("p", .class("meta"), .id("conversation-discussion-hint")) { page.t("conversation.newDiscussionHint") }
            OpeningForm.territoryField(id: "conversation-form", values: values, page)
            el("label", Attribute("for", "conversation-opens")) { page.t("poll.newOpens") }
            void("input", .type("date"), .name("opens"), .id("conversation-opens"), .flag("required"), .value(values["opens"] ?? ""))
            el("label", Attribute("for", "conversation-closes")) { page.t("poll.newCloses") }
            void("input", .type("date"), .name("closes"), .id("conversation-closes"), .flag("required"), .value(values["closes"] ?? ""))
            el("button", .type("submit")) { page.t("conversation.create") }
        }
    }

    static func status(_ conversation: ConversationRecord, today: CivilDate, _ page: PageContext) -> Node {
        el("span", .class("status")) {
            conversation.isOpen(on: today)
                ? page.t("conversation.openUntil", ["date": Components.dateText(conversation.closes, page)])
                : page.t("conversation.closed")
        }
    }

    static func page(_ context: Context, _ page: PageContext) -> Node {
        let snapshot = context.snapshot
        let conversation = snapshot.conversation
        return .fragment([
            el("h1") { conversation.title[page.language] },
            el("p") {
                status(conversation, today: context.today, page)
                if conversation.demo { " " + page.t("conversation.demo") }
                if let discussion = conversation.discussionID, let title = context.discussionTitle {
                    " " + page.t("conversation.partOf") + " "
                    el("a", .href(SiteURL.discussion(.value(discussion)).path)) { title[page.language] }
                }
            },
            figures(snapshot, page),
            voteSection(context, page),
            submitSection(context, page),
            mapSection(context, page),
            consensusSection(snapshot, page),
            regionSection(context, page),
            context.mayModerate ? moderationSection(snapshot.conversation.id, context.pending, page) : .empty,
            el("h2", .id("export")) { page.t("conversation.export") },
            el("p") { page.t("conversation.export.intro") },
            el("ul") {
                for file in ConversationController.PolisFiles.allCases {
                    el("li") { el("a", .href(SiteURL.conversationExport(.value(conversation.id), file.rawValue).path)) { file.rawValue } }
                }
            },
        ])
    }

    static func figures(_ snapshot: ConversationSnapshot, _ page: PageContext) -> Node {
        let language = page.language
        let facts: [(String, String)] = [
            ("conversation.figure.participants", NumberFormat.integer(snapshot.participants, language)),
            ("conversation.figure.votes", NumberFormat.integer(snapshot.votes, language)),
            ("conversation.figure.statements", NumberFormat.integer(snapshot.approved.count, language)),
            ("conversation.figure.groups", String(snapshot.map?.groups.count ?? 0)),
        ]
        return fragment {
            el("ul", .class("facts")) {
                for (key, value) in facts {
                    el("li") {
                        el("span", .class("label")) { page.t(key) }
                        el("span", .class("value")) { value }
                    }
                }
            }
            if snapshot.computedAt > 0 {
                el("p", .class("meta")) {
                    page.t("conversation.computed", ["time": Components.timeText(snapshot.computedAt, page),
                                                     "ms": NumberFormat.decimal(snapshot.computeMilliseconds, page.language)])
                }
            }
        }
    }

    static func voteSection(_ context: Context, _ page: PageContext) -> Node {
        let snapshot = context.snapshot
        let id = snapshot.conversation.id
        let voted = context.me?.voted.intersection(snapshot.approved).count ?? 0
        return fragment {
            el("h2", .id("vote")) { page.t("conversation.vote.title") }
            if let me = context.me, let group = snapshot.groupOfParticipant[me.id] {
                el("p", .class("your-group")) { page.t("conversation.yourGroup", ["group": letter(group)]) }
            } else if context.me != nil {
                el("p") { page.t("conversation.noGroupYet") }
            }
            if context.mayTakePart {
                if let next = context.next {
                    el("form", attributes: [.class("vote-card"), .id("vote-form"), Attribute("method", "post"),
                                            Attribute("action", SiteURL.conversationVotes(.value(id)).path)]) {
                        csrfField(page)
                        void("input", .type("hidden"), .name("statement"), .value(String(next)))
                        el("blockquote", .id("statement-text")) { snapshot.text(next) }
                        el("div", .class("buttons")) {
                            for (name, _) in voteNames {
                                el("button", .type("submit"), .name("vote"), .value(name), .class("vote-\(name)")) {
                                    page.t("conversation.vote.\(name)")
                                }
                            }
                        }
                    }
                } else {
                    el("p", .id("all-voted")) { page.t("conversation.vote.allDone") }
                }
                el("p", .class("meta")) {
                    page.t("conversation.vote.progress", ["voted": String(voted), "total": String(snapshot.approved.count)])
                }
            } else if !context.snapshot.conversation.isOpen(on: context.today) {
                el("p") { page.t("conversation.closed") }
            } else if !context.signedIn {
                el("p") { page.t("conversation.signIn") }
            } else {
                el("p") { page.t("conversation.notYourTerritory") }
            }
        }
    }

    static func submitSection(_ context: Context, _ page: PageContext) -> Node {
        guard context.mayTakePart else { return .empty }
        return fragment {
            el("h2", .id("submit")) { page.t("conversation.submit.title") }
            if context.submitted { el("p", .class("notice"), Attribute("role", "status")) { page.t("conversation.submit.done") } }
            el("form", attributes: [.class("stack"), .id("statement-form"), Attribute("method", "post"),
                                    Attribute("action", SiteURL.conversationStatements(.value(context.snapshot.conversation.id)).path)]) {
                csrfField(page)
                el("label", Attribute("for", "statement-new")) {
                    page.t("conversation.submit.label", ["max": String(ConversationStore.maxStatement)])
                }
                el("textarea", .id("statement-new"), .name("text"), Attribute("rows", "2"),
                   Attribute("maxlength", String(ConversationStore.maxStatement)), .flag("required"))
                el("button", .type("submit")) { page.t("conversation.submit.send") }
            }
        }
    }

    static func mapSection(_ context: Context, _ page: PageContext) -> Node {
        let snapshot = context.snapshot
        guard let map = snapshot.map, !map.groups.isEmpty else {
            return fragment {
                el("h2", .id("groups")) { page.t("conversation.groups.title") }
                el("p") { page.t(snapshot.computedAt == 0 ? "conversation.groups.preparing" : "conversation.groups.none") }
            }
        }
        let here = SiteURL.conversation(.value(snapshot.conversation.id)).path
        let clustered = max(1, map.clusteredParticipantCount)
        let regionCounts = context.region.flatMap { snapshot.groupsByRegion[$0.regionNumber] }
        return fragment {
            el("h2", .id("groups")) { page.t("conversation.groups.title") }
            el("form", .class("inline"), Attribute("method", "get"), Attribute("action", here + "#groups")) {
                el("label", Attribute("for", "map-region")) { page.t("conversation.map.region") }
                " "
                el("select", .id("map-region"), .name("region")) {
                    el("option", .value("")) { page.t("conversation.map.allRegions") }
                    for region in context.regions {
                        if region.code == context.region {
                            el("option", .value(region.code.description), .flag("selected")) { region.name[page.language] }
                        } else {
                            el("option", .value(region.code.description)) { region.name[page.language] }
                        }
                    }
                }
                " "
                el("button", .type("submit")) { page.t("conversation.map.show") }
            }
            OpinionMapDrawing.svg(map, snapshot: snapshot, region: context.region, me: context.me?.id, page)
            if let region = context.region, let name = page.tree[region]?.name[page.language] {
                el("p") {
                    page.t("conversation.map.regionNote", ["region": name,
                                                           "count": String(regionCounts?.reduce(0, +) ?? 0)])
                }
            }
            for group in map.groups {
                el("section", .class("opinion-group"), .aria("labelledby", "group-\(group.id)")) {
                    el("h3", .id("group-\(group.id)")) {
                        el("span", .class("swatch g\(group.id % 6)"), Attribute("aria-hidden", "true")) { "" }
                        " " + page.t("conversation.group", ["group": letter(group.id),
                                                            "count": NumberFormat.integer(group.memberCount, page.language),
                                                            "share": Components.percent(Double(group.memberCount) / Double(clustered))])
                    }
                    if let counts = regionCounts, group.id < counts.count {
                        el("p") { page.t("conversation.group.inRegion", ["count": String(counts[group.id])]) }
                    }
                    el("p") { page.t("conversation.group.standsFor") }
                    el("ul", .class("statements")) {
                        for statement in group.representativeStatements {
                            el("li") {
                                el("q") { snapshot.text(statement.statementID) }
                                " "
                                el("span", .class("meta")) {
                                    let count = statement.stance == .agree ? statement.groupAgrees : statement.groupDisagrees
                                    page.t(statement.stance == .agree ? "conversation.group.agree" : "conversation.group.disagree",
                                           ["share": Components.percent(Double(count) / Double(max(1, statement.groupVotes)))])
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func consensusSection(_ snapshot: ConversationSnapshot, _ page: PageContext) -> Node {
        guard let map = snapshot.map else { return .empty }
        return fragment {
            el("h2", .id("consensus")) { page.t("conversation.consensus.title") }
            el("p") { page.t("conversation.consensus.intro") }
            for (stance, statements) in [("agree", map.consensus.agree), ("disagree", map.consensus.disagree)] {
                el("h3") { page.t("conversation.consensus.\(stance)") }
                if statements.isEmpty {
                    el("p") { page.t("conversation.consensus.none") }
                } else {
                    el("ul", .class("statements")) {
                        for statement in statements {
                            el("li") {
                                el("q") { snapshot.text(statement.statementID) }
                                " "
                                el("span", .class("meta")) {
                                    let count = stance == "agree" ? statement.agrees : statement.disagrees
                                    page.t("conversation.consensus.share",
                                           ["share": Components.percent(Double(count) / Double(max(1, statement.votes)))])
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// How the participants of each region divide among the groups.
    static func regionSection(_ context: Context, _ page: PageContext) -> Node {
        let snapshot = context.snapshot
        guard let map = snapshot.map, !map.groups.isEmpty, !snapshot.groupsByRegion.isEmpty else { return .empty }
        let groups = map.groups.count
        return fragment {
            el("h2", .id("by-region")) { page.t("conversation.byRegion.title") }
            el("table", .class("list"), .aria("labelledby", "by-region")) {
                el("thead") {
                    el("tr") {
                        Components.th(page.t("referendum.region"))
                        Components.th(page.t("conversation.figure.participants"), .class("num"))
                        for group in 0 ..< groups {
                            Components.th(page.t("conversation.byRegion.group", ["group": letter(group)]), .class("num"))
                        }
                        Components.th(page.t("conversation.byRegion.unclustered"), .class("num"))
                    }
                }
                el("tbody") {
                    for region in context.regions {
                        if let counts = snapshot.groupsByRegion[region.code.regionNumber] {
                            let total = counts.reduce(0, +)
                            el("tr") {
                                el("th", Attribute("scope", "row")) {
                                    el("a", .href(SiteURL.conversation(.value(snapshot.conversation.id)).path
                                                  + "?region=\(region.code)#groups")) { region.name[page.language] }
                                }
                                el("td", .class("num")) { NumberFormat.integer(total, page.language) }
                                for count in counts {
                                    el("td", .class("num")) { Components.percent(Double(count) / Double(max(1, total))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static func moderationSection(_ id: Int, _ pending: [StatementRecord], _ page: PageContext) -> Node {
        fragment {
            el("h2", .id("moderation")) { page.t("conversation.moderation.title", ["count": String(pending.count)]) }
            if pending.isEmpty {
                el("p") { page.t("conversation.moderation.none") }
            } else {
                el("ul", .class("statements")) {
                    for record in pending {
                        let statement = record.id
                        el("li", .id("pending-\(statement)")) {
                            el("q") { record.text }
                            el("div", .class("buttons")) {
                                for status in [StatementRecord.Status.approved, .rejected] {
                                    el("form", Attribute("method", "post"),
                                       Attribute("action", SiteURL.statementModeration(.value(id), .value(statement)).path)) {
                                        csrfField(page)
                                        void("input", .type("hidden"), .name("status"), .value(status.rawValue))
                                        el("button", .type("submit")) { page.t("conversation.moderation.\(status.rawValue)") }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
