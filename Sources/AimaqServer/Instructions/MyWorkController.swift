import AimaqCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// "My work": what an officer reports next, what a deputy reviews, what is overdue in one's
/// territory; notifications; a private calendar feed of deadlines.
enum MyWorkController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.myWork.pathComponents, use: page)
        routes.post(SiteURL.myNotificationsRead.pathComponents, use: markRead)
        routes.get(SiteURL.myCalendar.pathComponents, use: calendar)
    }

    /// Open states an officer can still report on.
    static let reportable = [AssignmentStatus.assigned, .inProgress, .returned, .extended].map(\.rawValue)

    struct WorkRow: Decodable {
        var id: Int
        var territory_id: Int
        var deadline: String
        var status: String
        var text: String
        var point: String
    }

    /// What an account has to do: reports to write, reports to review, overdue assignments
    /// in its territory. The page and the calendar feed both show exactly this.
    struct Work {
        var toReport: [WorkRow] = []
        var toReview: [WorkRow] = []
        var overdue: [WorkRow] = []

        /// Every assignment once, by deadline (for the feed).
        var all: [WorkRow] {
            var seen = Set<Int>()
            return (toReport + toReview + overdue).filter { seen.insert($0.id).inserted }.sorted { $0.deadline < $1.deadline }
        }
    }

    static func work(for actor: AimaqCore.Actor, today: CivilDate, on db: any SQLDatabase, limit: Int = 50) async throws -> Work {
        var work = Work()
        let publicOnly = AccessPolicy.seesOnlyPublic(actor)
        // An officer reports for the body the account is bound to; without one, for none.
        if actor.role == .akimatOfficer, let body = actor.body {
            work.toReport = try await rows(db, scope: actor.scope, statuses: reportable, body: body, publicOnly: publicOnly, limit: limit)
        }
        if actor.role == .maslikhatDeputy || actor.role == .nationalDeputy {
            work.toReview = try await rows(db, scope: actor.scope, statuses: [AssignmentStatus.reportSubmitted.rawValue],
                                           body: nil, publicOnly: publicOnly, limit: limit)
        }
        if actor.role != .citizen && actor.role != .expert {
            work.overdue = try await rows(db, scope: actor.scope, statuses: reportable, body: nil, publicOnly: publicOnly,
                                          overdueBefore: today, limit: limit)
        }
        return work
    }

    private static func rows(_ db: any SQLDatabase, scope: TerritoryScope, statuses: [String], body: Int?, publicOnly: Bool,
                             overdueBefore: CivilDate? = nil, limit: Int) async throws -> [WorkRow] {
        var query = RegisterQuery.base(db)
            .column(SQLColumn("id", table: "a")).column(SQLColumn("territory_id", table: "a"))
            .column(SQLColumn("deadline", table: "a")).column(SQLColumn("status", table: "a"))
            .column(SQLColumn("text", table: "i")).column(SQLColumn("point", table: "i"))
            .where(SQLColumn("status", table: "a"), .in, SQLBind.group(statuses))
        if let code = scope.code {
            let (low, high) = (code.subtree.lowerBound, code.subtree.upperBound)
            query = query.where(SQLColumn("territory_id", table: "a"), .greaterThanOrEqual, SQLBind(low))
                .where(SQLColumn("territory_id", table: "a"), .lessThan, SQLBind(high))
        }
        if let body { query = query.where(SQLColumn("body_id", table: "a"), .equal, SQLBind(body)) }
        if publicOnly { query = query.where(SQLColumn("is_public", table: "a"), .equal, SQLBind(true)) }
        if let overdueBefore {
            query = query.where(SQLColumn("deadline", table: "a"), .lessThan, SQLBind(overdueBefore.description))
        }
        return try await query.orderBy(SQLColumn("deadline", table: "a"), SQLDirection.ascending)
            .limit(limit).all(decoding: WorkRow.self)
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnWork)
        guard let account = request.account, let actor = account.actor, let accountID = account.id else { throw SignInRequired() }
        let today = InstructionController.today(request)
        let work = try await work(for: actor, today: today, on: request.sql)
        let notifications = try await NotificationRecord.query(on: request.db).filter(\.$accountID == accountID)
            .sort(\.$createdAt, .descending).limit(30).all()
        let tokens = try await APIToken.query(on: request.db).filter(\.$accountID == accountID).sort(\.$createdAt).all()
        let feed = SiteURL.myCalendar.link((.account, accountID.uuidString), (.key, try feedKey(for: accountID, request)))
        return Layout.response(request, title: request.t("my.title"),
                               content: MyWorkViews.page(toReport: work.toReport, toReview: work.toReview, overdue: work.overdue,
                                                         notifications: notifications, tokens: tokens, feed: feed, today: today, request))
    }

    @Sendable static func markRead(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnWork)
        guard let accountID = request.account?.id else { throw SignInRequired() }
        try await NotificationRecord.query(on: request.db).filter(\.$accountID == accountID).filter(\.$readAt == nil)
            .set(\.$readAt, to: KazakhstanTime.nowMilliseconds()).update()
        return request.redirect(to: SiteURL.myWork.path, redirectType: .normal)
    }

    /// The feed key: an HMAC of the account id with the installation's secret, so the feed
    /// works from calendar applications (no cookies) and cannot be guessed.
    static func feedKey(for account: UUID, _ request: Request) throws -> String {
        let secret = SymmetricKey(data: Data(request.aimaq.feedSecret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(account.uuidString.utf8), using: secret)
        return Hex.string(mac)
    }

    @Sendable static func calendar(_ request: Request) async throws -> Response {
        guard let text = request.queryText("account"), let id = UUID(uuidString: text),
              let key = request.queryText("key"),
              key.count == 64, ConstantTime.equal(key, try feedKey(for: id, request)),
              let account = try await Account.find(id, on: request.db), let actor = account.actor else {
            throw Abort(.notFound)
        }
        let rows = try await work(for: actor, today: InstructionController.today(request), on: request.sql, limit: 500).all
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Aimaq//Deadlines//EN", "CALSCALE:GREGORIAN",
                     "X-WR-CALNAME:Aimaq deadlines"]
        let stamp = ICal.timestamp(Date())
        for row in rows {
            guard let date = try? CivilDate(row.deadline) else { continue }
            let next = date.adding(days: 1)
            lines += ["BEGIN:VEVENT", "UID:assignment-\(row.id)@aimaq", "DTSTAMP:\(stamp)",
                      "DTSTART;VALUE=DATE:\(ICal.date(date))", "DTEND;VALUE=DATE:\(ICal.date(next))",
                      ICal.fold("SUMMARY:" + ICal.escape("\(row.point). \(row.text)")),
                      ICal.fold("URL:" + SiteURL.assignment(.value(row.id)).path), "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        let response = Response(body: .init(string: lines.joined(separator: "\r\n") + "\r\n"))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, max-age=300")
        return response
    }
}

enum ICal {
    static func date(_ d: CivilDate) -> String { d.description.replacingOccurrences(of: "-", with: "") }

    static func timestamp(_ date: Date) -> String {
        UTCTime.compact(milliseconds: Int64((date.timeIntervalSince1970 * 1_000).rounded(.down)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a character.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}

enum MyWorkViews {
    /// A list of work grouped by when it is due (overdue, this week, later), each group with
    /// its count, soonest first: a long list reads as three short ones.
    static func list(_ rows: [MyWorkController.WorkRow], today: CivilDate, _ request: Request) -> Node {
        if rows.isEmpty { return el("p") { request.t("my.nothing") } }
        let tree = request.tree
        let weekEnd = today.adding(days: 7).description
        let groups: [(key: String, rows: [MyWorkController.WorkRow])] = [
            ("my.group.overdue", rows.filter { $0.deadline < today.description }),
            ("my.group.week", rows.filter { $0.deadline >= today.description && $0.deadline <= weekEnd }),
            ("my.group.later", rows.filter { $0.deadline > weekEnd }),
        ]
        return fragment {
            for group in groups where !group.rows.isEmpty {
                el("h3", .class("work-group")) {
                    request.t(group.key) + " (" + NumberFormat.integer(group.rows.count, request.language) + ")"
                }
                el("ul", .class("work")) {
                    for row in group.rows {
                        el("li") {
                            el("a", .href(SiteURL.assignment(.value(row.id)).path)) { "\(row.point). \(row.text.prefix(120))" }
                            " · " + InstructionViews.territoryName(row.territory_id, in: tree, request.language) + " · "
                            if let deadline = try? CivilDate(row.deadline) { Components.dateText(deadline, request.page) } else { row.deadline }
                            " "
                            InstructionViews.statusBadge(row.status, deadline: row.deadline, today: today, request.page)
                        }
                    }
                }
            }
        }
    }

    static func page(toReport: [MyWorkController.WorkRow], toReview: [MyWorkController.WorkRow],
                     overdue: [MyWorkController.WorkRow], notifications: [NotificationRecord], tokens: [APIToken], feed: String,
                     today: CivilDate, _ request: Request) -> Node {
        let role = request.actor?.role
        return fragment {
            el("h1") { request.t("my.title") }
            if role == .akimatOfficer {
                el("h2") { request.t("my.toReport") }
                list(toReport, today: today, request)
            }
            if role == .maslikhatDeputy || role == .nationalDeputy {
                el("h2") { request.t("my.toReview") }
                list(toReview, today: today, request)
            }
            if role != .citizen && role != .expert {
                el("h2") { request.t("my.overdue") }
                list(overdue, today: today, request)
            }
            el("h2") { request.t("my.notifications") }
            if notifications.isEmpty {
                el("p") { request.t("my.noNotifications") }
            } else {
                el("ul", .class("notifications")) {
                    for note in notifications {
                        el("li") {
                            if note.readAt == nil { el("strong", .class("unread")) { request.t("notification.unread") + " " } }
                            if let id = note.assignmentID {
                                el("a", .href(SiteURL.assignment(.value(id)).path)) { request.t("notification.\(note.kind)") }
                            } else {
                                request.t("notification.\(note.kind)")
                            }
                            " · "
                            Components.time(note.createdAt, request.page)
                        }
                    }
                }
                el("form", Attribute("method", "post"), Attribute("action", SiteURL.myNotificationsRead.path)) {
                    csrfField(request)
                    el("button", .type("submit"), .class("small")) { request.t("my.markRead") }
                }
            }
            el("h2") { request.t("my.calendar") }
            el("p") { el("a", .href(feed), .id("calendar-feed")) { request.t("my.calendar") } }
            el("p", .class("note")) { request.t("my.calendarHint") }
            el("h2", .id("tokens")) { request.t("token.title") }
            el("p", .class("note")) { request.t("token.hint") }
            if !tokens.isEmpty {
                el("ul") {
                    for token in tokens {
                        el("li") {
                            token.name + " · "
                            Components.time(token.createdAt, request.page)
                            if let used = token.lastUsedAt { " · " + request.t("token.lastUsed") + " "; Components.time(used, request.page) }
                            " "
                            el("form", Attribute("method", "post"), .class("inline"),
                               Attribute("action", SiteURL.myTokenRevoke(.value(token.id ?? 0)).path)) {
                                csrfField(request)
                                el("button", .type("submit"), .class("small secondary")) { request.t("token.revoke") }
                            }
                        }
                    }
                }
            }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.myTokens.path), .class("stack")) {
                csrfField(request)
                el("label", Attribute("for", "token-name")) { request.t("token.name") }
                void("input", .id("token-name"), .name("name"), .type("text"), .flag("required"))
                el("button", .type("submit")) { request.t("token.create") }
            }
        }
    }
}
