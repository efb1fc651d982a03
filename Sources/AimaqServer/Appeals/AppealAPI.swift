import AimaqCore
import SQLKit
import Vapor

/// The JSON API of appeals, visits and objects. Appeals give their public fields to everyone
/// (the text only where the author allowed it, with personal data hidden) and the full text
/// and author only to those who may read the appeal in full.
enum AppealAPI {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.api(.appeals).pathComponents, use: appeals)
        routes.get(SiteURL.api(.appeal(.key)).pathComponents, use: appeal)
        routes.post(SiteURL.api(.appeals).pathComponents) { request in
            APITokens.startAPIWrite(request) { try await submit(request) }
        }
        routes.get(SiteURL.api(.visits).pathComponents, use: visits)
        routes.get(SiteURL.api(.visit(.key)).pathComponents, use: visit)
        routes.get(SiteURL.api(.objects).pathComponents, use: objects)
    }

    struct AppealDTO: Content {
        var id: Int
        var number: String
        var channel: String
        var registeredOn: String
        var territory: String
        var topic: String
        var body: Int?
        var status: String
        var timeliness: String
        var deadline: String
        var answeredOn: String?
        var answer: String?
        var rating: Int?
        var group: Int?
        var meeting: Int?
        var assignment: Int?
        var electoralDistrict: String?
        /// The published, anonymised text; the full text for those who may read it.
        var text: String?
        /// Who raised it: only for those who may read the appeal in full.
        var author: String?
        /// The deputy it was addressed to (or who held the reception), if any.
        var deputy: UUID?
        var demo: Bool
    }

    static func dto(_ appeal: AppealRecord, full: Bool, today: CivilDate) -> AppealDTO {
        let published = appeal.publicText
        return AppealDTO(id: appeal.id, number: appeal.number, channel: appeal.channel.rawValue, registeredOn: appeal.registeredOn.description,
                         territory: appeal.territory.description, topic: appeal.topic, body: appeal.bodyID, status: appeal.status.rawValue,
                         timeliness: appeal.timeliness(today: today).rawValue, deadline: appeal.deadline.description,
                         answeredOn: appeal.answeredOn?.description, answer: full || appeal.publishable ? appeal.answer : nil, rating: appeal.rating,
                         group: appeal.groupID, meeting: appeal.meetingID, assignment: appeal.assignmentID,
                         electoralDistrict: appeal.electoralDistrict, text: full ? appeal.text : published,
                         author: full ? appeal.authorName : nil, deputy: appeal.deputyID, demo: appeal.demo)
    }

    /// `GET /api/v1/appeals`: filtered like the register (`territory`, `topic`, `status`,
    /// `channel`, `overdue`), newest first, paged.
    @Sendable static func appeals(_ request: Request) async throws -> ListDTO<AppealDTO> {
        try request.authorize(.viewPublic)
        let filter = try AppealController.filter(request)
        let paging = try Paging(request)
        let (items, total) = try await AppealStore.list(filter, page: paging.page, per: paging.per, on: request.sql)
        let today = InstructionController.today(request)
        return ListDTO(items: items.map { dto($0, full: AccessPolicy.allows(AppealController.viewAction($0, request), for: request.actor), today: today) },
                       total: total, page: paging.page, per: paging.per)
    }

    struct SubmitInput: Content {
        var territory: String?
        var topic: String?
        var addressee: String?
        var text: String?
        var publishable: Bool?
        var deputy: String?
    }

    /// `POST /api/v1/appeals` with an API token: the same checks as the form; 201 with the
    /// appeal as its author reads it.
    @Sendable static func submit(_ request: Request) async throws -> Response {
        try APITokens.requireToken(request)
        guard let account = request.account else { throw Abort(.unauthorized) }
        let input = try request.content.decode(SubmitInput.self)
        let form = AppealController.SubmitForm(territory: input.territory, topic: input.topic, addressee: input.addressee, text: input.text,
                                               publishable: input.publishable == true ? "1" : nil, deputy: input.deputy)
        switch try await AppealController.check(form, account: account, request) {
        case .refused(let key, let arguments):
            throw Abort(.unprocessableEntity, reason: request.t(key, arguments))
        case .accepted(let appeal):
            try request.aimaq.limits.charge(.participation, request)
            let stored = try await AppealStore.register(appeal, actor: request.auditActor, stems: request.aimaq.appealStems, reading: request.writeReads, on: request.writer)
            let response = Response(status: .created)
            try response.content.encode(dto(stored, full: true, today: InstructionController.today(request)))
            return response
        }
    }

    /// `GET /api/v1/appeals/{id}`: 404 for an unpublished appeal one may not read.
    @Sendable static func appeal(_ request: Request) async throws -> AppealDTO {
        let appeal = try await AppealController.load(request)
        let full = AccessPolicy.allows(AppealController.viewAction(appeal, request), for: request.actor)
        guard full || appeal.publishable else { throw Abort(.notFound, reason: request.t("appeal.notFound")) }
        return dto(appeal, full: full, today: InstructionController.today(request))
    }

    struct MeetingDTO: Content {
        var id: Int
        var kind: String
        var startsAt: String
        var territory: String
        var title: LocalizedName
        var address: String
        var participants: String
        var agenda: String
        var minutes: String?
        var object: Int?
        /// The body that holds it, and the deputy who hosts it (a reception).
        var body: Int?
        var host: UUID?
        /// The minutes as files and the photos (public, like the meeting).
        var files: [String]
        var issues: [AppealDTO]
    }

    struct VisitDTO: Content {
        var id: Int
        var territory: String
        var title: LocalizedName
        var starts: String
        var ends: String
        var delegation: [String]
        var demo: Bool
        var meetings: [MeetingDTO]?
    }

    static func visitDTO(_ visit: VisitRecord, meetings: [MeetingDTO]?) -> VisitDTO {
        VisitDTO(id: visit.id, territory: visit.territory.description, title: visit.title, starts: visit.starts.description,
                 ends: visit.ends.description, delegation: visit.delegation, demo: visit.demo, meetings: meetings)
    }

    /// `GET /api/v1/visits`: every visit (of a territory's subtree with `territory`), latest first.
    @Sendable static func visits(_ request: Request) async throws -> ListDTO<VisitDTO> {
        try request.authorize(.viewPublic)
        let paging = try Paging(request)
        let all = try await VisitStore.visits(in: try VisitController.territoryFilter(request), on: request.sql)
        let page = all.dropFirst((paging.page - 1) * paging.per).prefix(paging.per)
        return ListDTO(items: page.map { visitDTO($0, meetings: nil) }, total: all.count, page: paging.page, per: paging.per)
    }

    /// `GET /api/v1/visits/{id}`: the visit with its programme and the issues raised.
    @Sendable static func visit(_ request: Request) async throws -> VisitDTO {
        try request.authorize(.viewPublic)
        let visit = try await VisitController.loadVisit(request)
        let meetings = try await VisitStore.meetings(visit: visit.id, on: request.sql)
        let issues = try await VisitController.issues(of: meetings, on: request.sql)
        let files = try await AppealFiles.of(meetings: meetings.map(\.id), on: request.sql)
        let today = InstructionController.today(request)
        return visitDTO(visit, meetings: meetings.map { meeting in
            MeetingDTO(id: meeting.id, kind: meeting.kind.rawValue, startsAt: meeting.startsAt, territory: meeting.territory.description,
                       title: meeting.title, address: meeting.address, participants: meeting.participants, agenda: meeting.agenda,
                       minutes: meeting.minutes, object: meeting.objectID, body: meeting.bodyID, host: meeting.hostID,
                       files: (files[meeting.id] ?? []).map { SiteURL.appealFile(.value($0.id)).path },
                       issues: (issues[meeting.id] ?? []).map {
                           dto($0, full: AccessPolicy.allows(AppealController.viewAction($0, request), for: request.actor), today: today)
                       })
        })
    }

    struct ObjectDTO: Content {
        var id: Int
        var territory: String
        var kind: String
        var name: LocalizedName
        var body: Int?
        var costThousandTenge: Double?
        var funding: String
        var plannedStart: String?
        var plannedEnd: String?
        var actualEnd: String?
        var progress: Int
        var budgetLine: String?
        var instruction: Int?
        var demo: Bool
    }

    /// `GET /api/v1/objects`: the register of objects and projects (of a territory's subtree with `territory`).
    @Sendable static func objects(_ request: Request) async throws -> ListDTO<ObjectDTO> {
        try request.authorize(.viewPublic)
        let paging = try Paging(request)
        let all = try await VisitStore.objects(in: try VisitController.territoryFilter(request), on: request.sql)
        let page = all.dropFirst((paging.page - 1) * paging.per).prefix(paging.per)
        return ListDTO(items: page.map { item in
            ObjectDTO(id: item.id, territory: item.territory.description, kind: item.kind, name: item.name, body: item.bodyID,
                      costThousandTenge: item.cost, funding: item.funding, plannedStart: item.plannedStart?.description,
                      plannedEnd: item.plannedEnd?.description, actualEnd: item.actualEnd?.description, progress: item.progress,
                      budgetLine: item.budgetLine, instruction: item.instructionID, demo: item.demo)
        }, total: all.count, page: paging.page, per: paging.per)
    }
}
