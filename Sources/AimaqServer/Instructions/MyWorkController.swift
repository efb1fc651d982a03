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
                                                         notifications: notifications, tokens: tokens, feed: feed, today: today, request.page))
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
