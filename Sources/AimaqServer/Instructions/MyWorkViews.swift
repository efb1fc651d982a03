import AimaqCore
import Foundation
import Vapor

enum MyWorkViews {
    /// A list of work grouped by when it is due (overdue, this week, later), each group with
    /// its count, soonest first: a long list reads as three short ones.
    static func list(_ rows: [MyWorkController.WorkRow], today: CivilDate, _ page: PageContext) -> Node {
        if rows.isEmpty { return el("p") { page.t("my.nothing") } }
        let tree = page.tree
        let weekEnd = today.adding(days: 7).description
        let groups: [(key: String, rows: [MyWorkController.WorkRow])] = [
            ("my.group.overdue", rows.filter { $0.deadline < today.description }),
            ("my.group.week", rows.filter { $0.deadline >= today.description && $0.deadline <= weekEnd }),
            ("my.group.later", rows.filter { $0.deadline > weekEnd }),
        ]
        return fragment {
            for group in groups where !group.rows.isEmpty {
                el("h3", .class("work-group")) {
                    page.t(group.key) + " (" + NumberFormat.integer(group.rows.count, page.language) + ")"
                }
                el("ul", .class("work")) {
                    for row in group.rows {
                        el("li") {
                            el("a", .href(SiteURL.assignment(.value(row.id)).path)) { "\(row.point). \(row.text.prefix(120))" }
                            " · " + InstructionViews.territoryName(row.territory_id, in: tree, page.language) + " · "
                            if let deadline = try? CivilDate(row.deadline) { Components.dateText(deadline, page) } else { row.deadline }
                            " "
                            InstructionViews.statusBadge(row.status, deadline: row.deadline, today: today, page)
                        }
                    }
                }
            }
        }
    }

    static func page(toReport: [MyWorkController.WorkRow], toReview: [MyWorkController.WorkRow],
                     overdue: [MyWorkController.WorkRow], notifications: [NotificationRecord], tokens: [APIToken], feed: String,
                     today: CivilDate, _ page: PageContext) -> Node {
        let role = page.actor?.role
        return fragment {
            el("h1") { page.t("my.title") }
            if role == .akimatOfficer {
                el("h2") { page.t("my.toReport") }
                list(toReport, today: today, page)
            }
            if role == .maslikhatDeputy || role == .nationalDeputy {
                el("h2") { page.t("my.toReview") }
                list(toReview, today: today, page)
            }
            if role != .citizen && role != .expert {
                el("h2") { page.t("my.overdue") }
                list(overdue, today: today, page)
            }
            el("h2") { page.t("my.notifications") }
            if notifications.isEmpty {
                el("p") { page.t("my.noNotifications") }
            } else {
                el("ul", .class("notifications")) {
                    for note in notifications {
                        el("li") {
                            if note.readAt == nil { el("strong", .class("unread")) { page.t("notification.unread") + " " } }
                            if let id = note.assignmentID {
                                el("a", .href(SiteURL.assignment(.value(id)).path)) { page.t("notification.\(note.kind)") }
                            } else if let id = note.appealID {
                                el("a", .href(SiteURL.appeal(.value(id)).path)) { page.t("notification.\(note.kind)") }
                            } else if let id = note.meetingID {
                                el("a", .href(SiteURL.meeting(.value(id)).path + "#slots")) { page.t("notification.\(note.kind)") }
                            } else {
                                page.t("notification.\(note.kind)")
                            }
                            " · "
                            Components.time(note.createdAt, page)
                        }
                    }
                }
                el("form", Attribute("method", "post"), Attribute("action", SiteURL.myNotificationsRead.path)) {
                    csrfField(page)
                    el("button", .type("submit"), .class("small")) { page.t("my.markRead") }
                }
            }
            el("h2") { page.t("my.calendar") }
            el("p") { el("a", .href(feed), .id("calendar-feed")) { page.t("my.calendar") } }
            el("p", .class("note")) { page.t("my.calendarHint") }
            el("h2", .id("tokens")) { page.t("token.title") }
            el("p", .class("note")) { page.t("token.hint") }
            if !tokens.isEmpty {
                el("ul") {
                    for token in tokens {
                        el("li") {
                            token.name + " · "
                            Components.time(token.createdAt, page)
                            if let used = token.lastUsedAt { " · " + page.t("token.lastUsed") + " "; Components.time(used, page) }
                            " "
                            el("form", Attribute("method", "post"), .class("inline"),
                               Attribute("action", SiteURL.myTokenRevoke(.value(token.id ?? 0)).path)) {
                                csrfField(page)
                                el("button", .type("submit"), .class("small secondary")) { page.t("token.revoke") }
                            }
                        }
                    }
                }
            }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.myTokens.path), .class("stack")) {
                csrfField(page)
                el("label", Attribute("for", "token-name")) { page.t("token.name") }
                void("input", .id("token-name"), .name("name"), .type("text"), .flag("required"))
                el("button", .type("submit")) { page.t("token.create") }
            }
        }
    }
}
