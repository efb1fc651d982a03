import AimaqCore
import Foundation
import SQLKit
import Vapor

/// Visits and meetings: the public calendar (with iCal), the visit page that reads like the
/// programme (who took part, what was raised, what became of each issue), and the forms with
/// which deputies and administrators record them. Every issue raised is registered as an
/// appeal of its meeting and followed to an answer like any other.
enum VisitController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.visits.pathComponents, use: calendar)
        routes.get(SiteURL.visitsICal.pathComponents, use: ical)
        routes.post(SiteURL.visits.pathComponents, use: createVisit)
        routes.get(SiteURL.visit(.key).pathComponents, use: show)
        routes.post(SiteURL.visitMeetings(.key).pathComponents, use: addMeeting)
        routes.get(SiteURL.meeting(.key).pathComponents, use: meeting)
        routes.upload(SiteURL.meetingMinutes(.key), maxBytes: 2 * EvidenceStore.maxRequestBytes, gate: { request in
            let meeting = try await loadMeeting(request)
            try request.authorize(.recordMeetings(territory: meeting.territory))
        }, use: minutes)
        routes.post(SiteURL.meetingIssues(.key).pathComponents, use: raiseIssue)
        routes.get(SiteURL.objects.pathComponents, use: objects)
        routes.get(SiteURL.objectsCSV.pathComponents, use: objectsCSV)
    }

    static func crumbs(_ request: Request, _ extra: (String, String)...) -> [(String, String)] {
        [(request.t("country.name"), SiteURL.home.path), (request.t("visit.list.title"), SiteURL.visits.path)] + extra
    }

    static func territoryFilter(_ request: Request) throws -> KATOCode? {
        guard let text = request.queryText("territory") else { return nil }
        // The pages' forms send an empty value for "any"; the API takes no empty filter.
        if text.isEmpty && !request.isAPI { return nil }
        guard let code = KATOCode.parse(text) else {
            throw Abort(.badRequest, reason: request.t("error.filter", ["name": "territory", "value": text]))
        }
        return code
    }

    static func bodyFilter(_ request: Request) throws -> Int? {
        guard let text = request.queryText("body") else { return nil }
        if text.isEmpty && !request.isAPI { return nil }
        guard let id = Int(text), request.aimaq.bodies.body(id) != nil else {
            throw Abort(.badRequest, reason: request.t("error.filter", ["name": "body", "value": text]))
        }
        return id
    }

    /// `GET /visits`: visits, and the meetings of the coming weeks and the past month, by
    /// territory and by the body that holds them.
    @Sendable static func calendar(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        return try await calendarPage(request)
    }

    /// The calendar; with a refused reception form, that form filled in again with what was wrong (422).
    static func calendarPage(_ request: Request, refusedReception: (values: [String: String], problem: String)? = nil) async throws -> Response {
        let territory = try territoryFilter(request)
        let body = try bodyFilter(request)
        let today = InstructionController.today(request)
        let visits = body == nil ? try await VisitStore.visits(in: territory, on: request.sql) : []
        let meetings = try await VisitStore.meetings(from: today.adding(days: -30), to: today.adding(days: 90), in: territory, body: body,
                                                     on: request.sql)
        let holders = try await VisitStore.meetingBodies(on: request.sql).compactMap { request.aimaq.bodies.body($0) }
        let page = request.page
        let mayRecord = AppealController.isRecorder(request.actor)
        return Layout.response(request, title: page.t("visit.list.title"), breadcrumbs: crumbs(request),
                               status: refusedReception == nil ? .ok : .unprocessableEntity,
                               content: VisitViews.calendar(visits: visits, meetings: meetings, territory: territory, body: body,
                                                            holders: holders, today: today, mayRecord: mayRecord, refused: refusedReception, page))
    }

    /// `GET /visits.ics`: the meetings as an iCalendar feed (public; by territory).
    @Sendable static func ical(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let territory = try territoryFilter(request)
        let body = try bodyFilter(request)
        let today = InstructionController.today(request)
        let meetings = try await VisitStore.meetings(from: today.adding(days: -365), to: today.adding(days: 365), in: territory, body: body,
                                                     limit: 2_000, on: request.sql)
        let language = request.language
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Aimaq//Visits//EN", "CALSCALE:GREGORIAN", "X-WR-CALNAME:Aimaq visits"]
        let stamp = ICal.timestamp(Date())
        for meeting in meetings {
            guard let start = utc(meeting.startsAt) else { continue }
            lines += ["BEGIN:VEVENT", "UID:meeting-\(meeting.id)@aimaq", "DTSTAMP:\(stamp)", "DTSTART:\(start)",
                      ICal.fold("SUMMARY:" + ICal.escape(meeting.title[language])),
                      ICal.fold("LOCATION:" + ICal.escape((request.tree[meeting.territory]?.name[language] ?? "") + ", " + meeting.address)),
                      ICal.fold("URL:" + SiteURL.meeting(.value(meeting.id)).path), "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        let response = Response(body: .init(string: lines.joined(separator: "\r\n") + "\r\n"))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        return response
    }

    /// `2026-01-08T10:00` in Kazakhstan as `20260108T050000Z`.
    static func utc(_ local: String) -> String? {
        guard local.count >= 16, let day = try? CivilDate(local.prefix(10)),
              let hour = Int(local.dropFirst(11).prefix(2)), let minute = Int(local.dropFirst(14).prefix(2)) else { return nil }
        var minutes = hour * 60 + minute - KazakhstanTime.offsetSeconds / 60
        var date = day
        if minutes < 0 { minutes += 1_440; date = day.adding(days: -1) }
        return ICal.date(date) + "T" + String(format: "%02d%02d00Z", minutes / 60, minutes % 60)
    }

    static func text(_ value: String?, limit: Int) -> String? {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty || text.count > limit ? nil : text
    }

    struct VisitForm: Content {
        var territory: String?
        var title: String?
        var starts: String?
        var ends: String?
        var delegation: String?
    }

    /// `POST /visits`: a deputy or an administrator records a visit to a territory of their scope.
    @Sendable static func createVisit(_ request: Request) async throws -> Response {
        guard request.actor != nil else { throw SignInRequired() }
        let form = try request.content.decode(VisitForm.self)
        guard let code = form.territory.flatMap({ KATOCode.parse($0) }), request.tree[code] != nil else {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.territory"))
        }
        try request.authorize(.recordMeetings(territory: code))
        guard let title = text(form.title, limit: 300) else { throw Abort(.unprocessableEntity, reason: request.t("visit.error.title")) }
        guard let starts = try? CivilDate(form.starts ?? ""), let ends = try? CivilDate(form.ends ?? form.starts ?? ""), starts <= ends,
              starts.dayNumber + 60 >= ends.dayNumber else {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.dates"))
        }
        let delegation = (form.delegation ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.prefix(100).map { String($0.prefix(200)) }
        let id = try await VisitStore.createVisit(VisitRecord(id: 0, territory: code, title: LocalizedName(kk: title, ru: title, en: title),
                                                              starts: starts, ends: ends, delegation: Array(delegation), demo: false),
                                                  actor: request.auditActor, on: request.writer)
        return request.redirect(to: SiteURL.visit(.value(id)).path, redirectType: .normal)
    }

    static func loadVisit(_ request: Request) async throws -> VisitRecord {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self), let visit = try await VisitStore.visit(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("visit.notFound"))
        }
        return visit
    }

    static func loadMeeting(_ request: Request) async throws -> MeetingRecord {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self), let meeting = try await VisitStore.meeting(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("visit.meetingNotFound"))
        }
        return meeting
    }

    /// The issues raised at the given meetings, by meeting (one query).
    static func issues(of meetings: [MeetingRecord], on sql: any SQLDatabase) async throws -> [Int: [AppealRecord]] {
        guard !meetings.isEmpty else { return [:] }
        let rows = try await AppealStore.select(sql).where("meeting_id", .in, SQLBind.group(meetings.map(\.id))).orderBy("id")
            .all(decoding: AppealStore.Row.self).compactMap(\.record)
        return Dictionary(grouping: rows) { $0.meetingID ?? 0 }
    }

    static func objects(of meetings: [MeetingRecord], on sql: any SQLDatabase) async throws -> [Int: TerritoryObjectRecord] {
        let ids = Array(Set(meetings.compactMap(\.objectID)))
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await VisitStore.objects(ids, on: sql).map { ($0.id, $0) })
    }

    /// `GET /visits/:id`: the programme, who took part, what was raised and what became of it.
    @Sendable static func show(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let visit = try await loadVisit(request)
        let meetings = try await VisitStore.meetings(visit: visit.id, on: request.sql)
        var model = VisitViews.Programme(
            meetings: meetings, issues: try await issues(of: meetings, on: request.sql), objects: try await objects(of: meetings, on: request.sql),
            today: InstructionController.today(request), mayRecord: AccessPolicy.allows(.recordMeetings(territory: visit.territory), for: request.actor),
            bodies: request.aimaq.bodies)
        model.files = try await AppealFiles.of(meetings: meetings.map(\.id), on: request.sql)
        let page = request.page
        return Layout.response(request, title: visit.title[page.language],
                               breadcrumbs: crumbs(request, (visit.title[page.language], SiteURL.visit(.value(visit.id)).path)),
                               content: VisitViews.visit(visit, model, page))
    }

    /// `GET /meetings/:id`: one meeting (a reception, or one item of a visit's programme).
    @Sendable static func meeting(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        return try await meetingPage(request, try await loadMeeting(request))
    }

    /// A meeting's page; with a refused issue form, that form filled in again with what was wrong (422).
    static func meetingPage(_ request: Request, _ meeting: MeetingRecord,
                            refusedIssue: (meeting: Int, values: [String: String], problem: String)? = nil) async throws -> Response {
        let visit = try await meeting.visitID.asyncMap { try await VisitStore.visit($0, on: request.sql) } ?? nil
        var model = VisitViews.Programme(
            meetings: [meeting], issues: try await issues(of: [meeting], on: request.sql), objects: try await objects(of: [meeting], on: request.sql),
            today: InstructionController.today(request), mayRecord: AccessPolicy.allows(.recordMeetings(territory: meeting.territory), for: request.actor),
            bodies: request.aimaq.bodies)
        model.files = try await AppealFiles.of(meetings: [meeting.id], on: request.sql)
        model.refusedIssue = refusedIssue
        if meeting.kind == .reception {
            model.bookings = try await VisitStore.bookings(meeting.id, on: request.sql)
            model.mayBook = (meeting.day ?? model.today) >= model.today
                && AccessPolicy.allows(.submitAppeal(territory: meeting.territory), for: request.actor)
            model.ownBooking = request.account?.id.flatMap { id in model.bookings.first { $0.account_id == id }?.slot }
        }
        let page = request.page
        var trail = crumbs(request)
        if let visit { trail.append((visit.title[page.language], SiteURL.visit(.value(visit.id)).path)) }
        trail.append((meeting.title[page.language], SiteURL.meeting(.value(meeting.id)).path))
        return Layout.response(request, title: meeting.title[page.language], breadcrumbs: trail,
                               status: refusedIssue == nil ? .ok : .unprocessableEntity,
                               content: VisitViews.meetingPage(meeting, visit: visit, model, page))
    }

    struct MeetingForm: Content {
        var kind: String?
        var starts_at: String?
        var title: String?
        var territory: String?
        var address: String?
        var participants: String?
        var agenda: String?
        var object: Int?
        /// The body that holds the meeting (optional; empty for none).
        var body: String?
    }

    /// `POST /visits/:id/meetings`: one item of the programme, on a day of the visit.
    @Sendable static func addMeeting(_ request: Request) async throws -> Response {
        let visit = try await loadVisit(request)
        try request.authorize(.recordMeetings(territory: visit.territory))
        let form = try request.content.decode(MeetingForm.self)
        guard let kind = form.kind.flatMap(MeetingKind.init(rawValue:)) else { throw Abort(.unprocessableEntity, reason: request.t("visit.error.kind")) }
        let startsAt = (form.starts_at ?? "").trimmingCharacters(in: .whitespaces)
        guard startsAt.count == 16, let day = try? CivilDate(startsAt.prefix(10)), visit.starts <= day, day <= visit.ends,
              VisitController.utc(startsAt) != nil else {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.time"))
        }
        let territory = form.territory.flatMap { KATOCode.parse($0) } ?? visit.territory
        guard request.tree[territory] != nil, visit.territory.contains(territory) else {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.territory"))
        }
        guard let title = text(form.title, limit: 300) else { throw Abort(.unprocessableEntity, reason: request.t("visit.error.title")) }
        if let object = form.object, try await VisitStore.object(object, on: request.sql) == nil {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.object"))
        }
        let body = (form.body ?? "").isEmpty ? nil : form.body.flatMap { Int($0) }
        if !(form.body ?? "").isEmpty, body.flatMap({ request.aimaq.bodies.body($0) }) == nil {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.body"))
        }
        let id = try await VisitStore.addMeeting(MeetingRecord(
            id: 0, visitID: visit.id, kind: kind, territory: territory, startsAt: startsAt, title: LocalizedName(kk: title, ru: title, en: title),
            address: text(form.address, limit: 300) ?? "", participants: text(form.participants, limit: 2_000) ?? "",
            agenda: text(form.agenda, limit: 4_000) ?? "", minutes: nil, objectID: form.object, demo: false, bodyID: body),
            actor: request.auditActor, on: request.writer)
        return request.redirect(to: SiteURL.visit(.value(visit.id)).path + "#meeting-\(id)", redirectType: .normal)
    }

    struct MinutesForm: Content { var minutes: String?; var files: [File]?; var photos: [File]? }

    /// `POST /meetings/:id/minutes`: the minutes after the meeting (text, the signed minutes
    /// as files, photos), checked like evidence; what is sent later adds to what is there.
    @Sendable static func minutes(_ request: Request) async throws -> Response {
        let meeting = try await loadMeeting(request)
        try request.authorize(.recordMeetings(territory: meeting.territory))
        let form = try request.content.decode(MinutesForm.self)
        let minutes = text(form.minutes, limit: 20_000)
        if let given = form.minutes, given.count > 20_000 { throw Abort(.unprocessableEntity, reason: request.t("visit.error.minutesLong")) }
        let (files, fileProblems) = EvidenceStore.checked(form.files, request)
        var (photos, photoProblems) = EvidenceStore.checked(form.photos, request)
        for photo in photos where !["jpg", "jpeg", "png"].contains((photo.fileName as NSString).pathExtension.lowercased()) {
            photoProblems.append(request.t("visit.error.photo", ["name": photo.fileName]))
        }
        photos = photos.filter { ["jpg", "jpeg", "png"].contains(($0.fileName as NSString).pathExtension.lowercased()) }
        let problems = fileProblems + photoProblems
        guard problems.isEmpty else { throw Abort(.unprocessableEntity, reason: problems.joined(separator: " ")) }
        guard minutes != nil || !files.isEmpty || !photos.isEmpty else {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.minutes"))
        }
        // Files of minutes that did not land are not kept.
        let storedFiles = try await request.aimaq.evidence.store(files, db: request.sql)
        var storedPhotos: [EvidenceStore.Stored] = []
        do {
            storedPhotos = try await request.aimaq.evidence.store(photos, db: request.sql)
            try await VisitStore.recordMinutes(meeting.id, minutes: minutes, files: storedFiles, photos: storedPhotos,
                                               actor: request.auditActor, on: request.writer)
        } catch {
            await request.aimaq.evidence.discard(storedFiles + storedPhotos, db: request.sql)
            throw error
        }
        return request.redirect(to: SiteURL.meeting(.value(meeting.id)).path, redirectType: .normal)
    }

    struct IssueForm: Content {
        var raised_by: String?
        var text: String?
        var topic: String?
        var territory: String?
        /// At a reception: the booking of whoever raised it (they follow it in their own appeals).
        var booking: String?
        /// How to tell whoever raised it (staff only).
        var contact: String?
    }

    /// `POST /meetings/:id/issues`: an issue raised, registered and routed like an appeal to the
    /// responsible body with the legal term; who raised it stays off the public pages.
    @Sendable static func raiseIssue(_ request: Request) async throws -> Response {
        let meeting = try await loadMeeting(request)
        try request.authorize(.recordMeetings(territory: meeting.territory))
        let form = try request.content.decode(IssueForm.self)
        // A refused form comes back filled in, with what was wrong.
        func refused(_ key: String) async throws -> Response {
            let values = ["text": form.text ?? "", "raised_by": form.raised_by ?? "", "topic": form.topic ?? "", "territory": form.territory ?? "",
                          "booking": form.booking ?? "", "contact": form.contact ?? ""]
            return try await meetingPage(request, meeting, refusedIssue: (meeting.id, values, request.t(key)))
        }
        guard let text = text(form.text, limit: AppealController.textLimit), text.count >= 10 else { return try await refused("visit.error.issue") }
        guard let topic = form.topic.flatMap({ AppealTopic.named($0) }) else { return try await refused("appeal.error.topic") }
        let territory = form.territory.flatMap { $0.isEmpty ? nil : KATOCode.parse($0) } ?? meeting.territory
        guard request.tree[territory] != nil, meeting.territory.region.contains(territory) else { return try await refused("visit.error.territory") }
        guard let body = AppealRouting.body(for: territory, topic: topic, addressee: .akimat, bodies: request.aimaq.bodies) else {
            return try await refused("appeal.error.noBody")
        }
        var author: UUID?
        var authorName = Self.text(form.raised_by, limit: 200)
        if let given = form.booking, !given.isEmpty {
            guard meeting.kind == .reception, let id = Int(given), let booking = try await VisitStore.bookings(meeting.id, on: request.sql).first(where: { $0.id == id }) else {
                return try await refused("visit.error.booking")
            }
            author = booking.account_id
            authorName = authorName ?? booking.name
        }
        let today = InstructionController.today(request)
        _ = try await AppealStore.register(AppealStore.NewAppeal(
            channel: meeting.kind == .reception ? .reception : .meeting, territory: territory, district: AppealRouting.district(of: territory),
            topic: topic.key, bodyID: body, authorID: author, authorName: authorName, text: text, publishable: true,
            registeredOn: today, deadline: AppealController.terms(request).deadline(registeredOn: today, calendar: request.aimaq.calendar),
            meetingID: meeting.id, deputyID: meeting.hostID, contact: Self.text(form.contact, limit: 200)),
            actor: request.auditActor, stems: request.aimaq.appealStems, on: request.writer)
        return request.redirect(to: SiteURL.meeting(.value(meeting.id)).path + "#issues-\(meeting.id)", redirectType: .normal)
    }

    /// `GET /objects`: the register of objects and investment projects, by region on a map and
    /// listed for a territory.
    @Sendable static func objects(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let territory = try territoryFilter(request)
        let counts = try await VisitStore.objectCounts(on: request.sql)
        let items = territory == nil ? [] : try await VisitStore.objects(in: territory, on: request.sql)
        let page = request.page
        return Layout.response(request, title: page.t("object.list.title"),
                               breadcrumbs: [(page.t("country.name"), SiteURL.home.path), (page.t("object.list.title"), SiteURL.objects.path)],
                               content: VisitViews.objects(items, counts: counts, territory: territory, bodies: request.aimaq.bodies,
                                                           manageIn: territory.flatMap { manageScope(request.actor, viewing: $0) }, page))
    }

    /// Where a visitor keeps objects within the territory viewed: their own territory (or the
    /// one viewed, when their scope holds it), when they may keep objects there at all.
    static func manageScope(_ actor: Actor?, viewing territory: KATOCode) -> KATOCode? {
        guard let actor else { return nil }
        let place: KATOCode
        if actor.scope.contains(territory) {
            place = territory
        } else if let own = actor.scope.code, territory.contains(own) {
            place = own
        } else {
            return nil
        }
        return AccessPolicy.allows(.manageObjects(territory: place), for: actor) ? place : nil
    }

    /// `GET /objects.csv`: the register as CSV.
    @Sendable static func objectsCSV(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let items = try await VisitStore.objects(in: try territoryFilter(request), on: request.sql)
        let language = request.language
        var csv = CSVWriter(header: ["id", "kato", "territory", "kind", "name", "body", "cost_thousand_tenge", "funding", "planned_start",
                                     "planned_end", "actual_end", "progress", "budget_line", "instruction", "demo"])
        for item in items {
            csv.row([.integer(item.id), .integer(item.territory.value), .text(request.tree[item.territory]?.name[language] ?? ""),
                     .text(item.kind), .text(item.name[language]), .text(item.bodyID.flatMap { request.aimaq.bodies.body($0)?.name[language] } ?? ""),
                     .text(item.cost.map { String(format: "%.0f", $0) } ?? ""), .text(item.funding), .text(item.plannedStart?.description ?? ""),
                     .text(item.plannedEnd?.description ?? ""), .text(item.actualEnd?.description ?? ""), .integer(item.progress),
                     .text(item.budgetLine ?? ""), .text(item.instructionID.map(String.init) ?? ""), .text(item.demo ? "true" : "false")])
        }
        let response = Response(status: .ok)
        response.setCSV(csv.text, filename: "objects.csv")
        return response
    }
}
