import AimaqCore
import Foundation
import SQLKit
import Vapor

/// Deputies' receptions and voters' mandates. A deputy publishes reception hours (a meeting
/// of kind `reception` with slots of 15 minutes); a resident of the territory books a slot
/// with what they want to raise; afterwards the deputy registers each item as an issue
/// (routed and followed like any appeal). A maslikhat registers its voters' mandates with
/// the electoral district; adopting one into the plan makes it a controlled assignment.
enum ReceptionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post(SiteURL.receptions.pathComponents, use: publish)
        routes.post(SiteURL.receptionBookings(.key).pathComponents, use: book)
        routes.post(SiteURL.mandates.pathComponents, use: mandate)
    }

    static let slotMinutes = 15

    /// The local start time of a slot, `HH:MM`.
    static func slotTime(_ meeting: MeetingRecord, _ slot: Int) -> String {
        let start = (Int(meeting.startsAt.dropFirst(11).prefix(2)) ?? 0) * 60 + (Int(meeting.startsAt.dropFirst(14).prefix(2)) ?? 0)
        let minutes = start + slot * slotMinutes
        return String(format: "%02d:%02d", (minutes / 60) % 24, minutes % 60)
    }

    struct ReceptionForm: Content {
        var territory: String?
        var starts_at: String?
        var address: String?
        var slots: Int?
    }

    /// `POST /receptions`: a deputy's reception hours in a territory of their scope.
    @Sendable static func publish(_ request: Request) async throws -> Response {
        guard let account = request.account else { throw SignInRequired() }
        let form = try request.content.decode(ReceptionForm.self)
        // A refused form comes back on the calendar, filled in, with what was wrong.
        func refused(_ key: String) async throws -> Response {
            let values = ["territory": form.territory ?? "", "starts_at": form.starts_at ?? "", "address": form.address ?? "",
                          "slots": form.slots.map(String.init) ?? ""]
            return try await VisitController.calendarPage(request, refusedReception: (values, request.t(key)))
        }
        guard let code = form.territory.flatMap({ KATOCode.parse($0) }), request.tree[code] != nil else { return try await refused("visit.error.territory") }
        try request.authorize(.recordMeetings(territory: code))
        let startsAt = (form.starts_at ?? "").trimmingCharacters(in: .whitespaces)
        guard startsAt.count == 16, let day = try? CivilDate(startsAt.prefix(10)), VisitController.utc(startsAt) != nil,
              day >= InstructionController.today(request) else {
            return try await refused("reception.error.time")
        }
        guard let slots = form.slots, (1...32).contains(slots) else { return try await refused("reception.error.slots") }
        let name = account.displayName
        let id = try await VisitStore.addMeeting(MeetingRecord(
            id: 0, visitID: nil, kind: .reception, territory: code, startsAt: startsAt,
            title: LocalizedName(kk: request.aimaq.catalog.text("reception.title", .kk, ["name": name]), ru: request.aimaq.catalog.text("reception.title", .ru, ["name": name]),
                                 en: request.aimaq.catalog.text("reception.title", .en, ["name": name])),
            address: VisitController.text(form.address, limit: 300) ?? "", participants: name, agenda: "", minutes: nil, objectID: nil,
            demo: false, slots: slots, hostID: account.id,
            bodyID: AppealRouting.body(for: code, topic: nil, addressee: .maslikhat, bodies: request.aimaq.bodies)),
            actor: request.auditActor, on: request.writer)
        return request.redirect(to: SiteURL.meeting(.value(id)).path, redirectType: .normal)
    }

    struct BookingForm: Content {
        var slot: Int?
        var topic: String?
        var note: String?
    }

    /// `POST /meetings/:id/bookings`: a resident books a free slot of a reception not yet held.
    @Sendable static func book(_ request: Request) async throws -> Response {
        let meeting = try await VisitController.loadMeeting(request)
        guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
        try request.authorize(.submitAppeal(territory: meeting.territory))
        guard meeting.kind == .reception, let slots = meeting.slots, let day = meeting.day, day >= InstructionController.today(request) else {
            throw Abort(.conflict, reason: request.t("reception.error.closed"))
        }
        try request.aimaq.limits.charge(.participation, request)
        let form = try request.content.decode(BookingForm.self)
        guard let slot = form.slot, (0..<slots).contains(slot) else { throw Abort(.unprocessableEntity, reason: request.t("reception.error.slot")) }
        guard let topic = form.topic.flatMap({ AppealTopic.named($0) }) else { throw Abort(.unprocessableEntity, reason: request.t("appeal.error.topic")) }
        let note = (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 1_000 else { throw Abort(.unprocessableEntity, reason: request.t("reception.error.note")) }
        let existing = try await VisitStore.bookings(meeting.id, on: request.sql)
        guard !existing.contains(where: { $0.slot == slot || $0.account_id == accountID }),
              try await VisitStore.book(meeting.id, slot: slot, account: accountID, name: account.displayName, topic: topic.key, note: note,
                                        host: meeting.hostID, actor: request.auditActor, on: request.writer) else {
            throw Abort(.conflict, reason: request.t("reception.error.taken"))
        }
        return request.redirect(to: SiteURL.meeting(.value(meeting.id)).path + "#slots", redirectType: .normal)
    }

    struct MandateForm: Content {
        var territory: String?
        var electoral_district: String?
        var topic: String?
        var text: String?
        var deadline: String?
    }

    /// `POST /mandates`: the maslikhat registers a voters' mandate of an electoral district,
    /// routed by topic to the responsible body with the date it is expected by.
    @Sendable static func mandate(_ request: Request) async throws -> Response {
        guard request.actor != nil else { throw SignInRequired() }
        let form = try request.content.decode(MandateForm.self)
        // A refused form comes back on the mandates' list, filled in, with what was wrong.
        func refused(_ problem: String) async throws -> Response {
            let values = ["territory": form.territory ?? "", "electoral_district": form.electoral_district ?? "", "topic": form.topic ?? "",
                          "text": form.text ?? "", "deadline": form.deadline ?? ""]
            let html = try await AppealController.registerPage(request, filter: AppealStore.Filter(channel: .mandate), paging: try Paging(request),
                                                               today: InstructionController.today(request), refusedMandate: (values, problem))
            let response = Layout.html(html)
            response.status = .unprocessableEntity
            return response
        }
        guard let code = form.territory.flatMap({ KATOCode.parse($0) }), request.tree[code] != nil else {
            return try await refused(request.t("visit.error.territory"))
        }
        try request.authorize(.recordMeetings(territory: code))
        guard let district = VisitController.text(form.electoral_district, limit: 200) else { return try await refused(request.t("mandate.error.district")) }
        guard let topic = form.topic.flatMap({ AppealTopic.named($0) }) else { return try await refused(request.t("appeal.error.topic")) }
        guard let text = VisitController.text(form.text, limit: AppealController.textLimit), text.count >= 10 else {
            return try await refused(request.t("visit.error.issue"))
        }
        let deadline: CivilDate
        do {
            deadline = try InstructionController.newDeadline(form.deadline, request)
        } catch let error as Abort where error.status == .unprocessableEntity {
            return try await refused(error.reason)
        }
        guard let body = AppealRouting.body(for: code, topic: topic, addressee: .akimat, bodies: request.aimaq.bodies) else {
            return try await refused(request.t("appeal.error.noBody"))
        }
        let appeal = try await AppealStore.register(AppealStore.NewAppeal(
            channel: .mandate, territory: code, district: AppealRouting.district(of: code), topic: topic.key, bodyID: body, authorID: nil,
            authorName: nil, text: text, publishable: true, registeredOn: InstructionController.today(request), deadline: deadline,
            electoralDistrict: district), actor: request.auditActor, stems: request.aimaq.appealStems, on: request.writer)
        return request.redirect(to: SiteURL.appeal(.value(appeal.id)).path, redirectType: .normal)
    }
}
