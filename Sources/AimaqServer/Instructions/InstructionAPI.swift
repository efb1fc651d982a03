import AimaqCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// `/api/v1/instructions`, `/api/v1/assignments`, `/api/v1/reports`: the register as JSON,
/// with the page's filters and the page's rules of who sees what.
enum InstructionAPI {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.api(.instructions).pathComponents, use: instructions)
        routes.get(SiteURL.api(.instruction(.key)).pathComponents, use: instruction)
        routes.get(SiteURL.api(.assignments).pathComponents, use: assignments)
        routes.get(SiteURL.api(.reports).pathComponents, use: reports)
    }

    struct InstructionDTO: Content {
        var id: Int
        var source: Int
        var point: String
        var text: String
        var category: String
        var deadline: String
        var period: String
        var isPublic: Bool
        var leadBody: Int?

        init(_ i: Instruction) {
            self.init(id: i.id ?? 0, source: i.sourceID, point: i.point, text: i.text, category: i.category,
                      deadline: i.deadline, period: i.period, isPublic: i.isPublic, leadBody: i.leadBodyID)
        }

        init(_ i: RegisterSnapshot.InstructionFacts) {
            self.init(id: i.id, source: i.sourceID, point: i.point, text: i.text, category: i.category,
                      deadline: i.deadline, period: i.period, isPublic: i.isPublic, leadBody: i.leadBodyID)
        }

        init(id: Int, source: Int, point: String, text: String, category: String, deadline: String, period: String,
             isPublic: Bool, leadBody: Int?) {
            self.id = id
            self.source = source
            self.point = point
            self.text = text
            self.category = category
            self.deadline = deadline
            self.period = period
            self.isPublic = isPublic
            self.leadBody = leadBody
        }
    }

    struct IndicatorDTO: Content {
        var id: Int
        var name: String
        var unit: String
        var target: Double
    }

    struct InstructionDetailDTO: Content {
        var instruction: InstructionDTO
        var indicators: [IndicatorDTO]
        var completion: Double?
        var assignments: [AssignmentSummaryDTO]
    }

    struct AssignmentSummaryDTO: Content {
        var id: Int
        var territory: String
        var body: Int?
        var deadline: String
        var status: String
        var overdue: Bool
        var completion: Double?
    }

    static func publicOnly(_ request: Request) -> Bool {
        AccessPolicy.seesOnlyPublic(request.actor)
    }

    @Sendable static func instructions(_ request: Request) async throws -> ListDTO<InstructionDTO> {
        try request.authorize(.viewInstruction(isPublic: true))
        let paging = try Paging(request)
        var query = Instruction.query(on: request.db)
        if publicOnly(request) { query = query.filter(\.$isPublic == true) }
        if let text = request.queryText("source") {
            guard let id = Int(text), id >= 1 else { throw Abort(.badRequest, reason: request.t("error.filter", ["name": "source", "value": text])) }
            query = query.filter(\.$sourceID == id)
        }
        if let text = request.queryText("category") {
            guard InstructionCategory(rawValue: text) != nil else {
                throw Abort(.badRequest, reason: request.t("error.filter", ["name": "category", "value": text]))
            }
            query = query.filter(\.$category == text)
        }
        let total = try await query.count()
        let items = try await query.sort(\.$sourceID).sort(\.$id)
            .range(((paging.page - 1) * paging.per)..<(paging.page * paging.per)).all()
        return ListDTO(items: items.map(InstructionDTO.init), total: total, page: paging.page, per: paging.per)
    }

    @Sendable static func instruction(_ request: Request) async throws -> InstructionDetailDTO {
        let id = try InstructionController.intParameter(request)
        guard let detail = try await InstructionQueries.instruction(id, on: request.sql, snapshot: try await request.registerSnapshot()) else {
            throw Abort(.notFound, reason: request.t("error.instructionNotFound"))
        }
        try request.authorize(.viewInstruction(isPublic: detail.instruction.isPublic))
        let today = InstructionController.today(request)
        let weighted = detail.assignments.compactMap { a in a.completion.map { Completion.Weighted(completion: $0, weight: a.weight) } }
        return InstructionDetailDTO(
            instruction: InstructionDTO(detail.instruction),
            indicators: detail.instruction.indicators.map { IndicatorDTO(id: $0.id, name: $0.name, unit: $0.unit, target: $0.target) },
            completion: Completion.rollUp(weighted),
            assignments: detail.assignments.map { a in
                AssignmentSummaryDTO(id: a.id, territory: String(a.territory), body: a.bodyID, deadline: a.deadline.description,
                                     status: a.status.rawValue, overdue: a.isOverdue(today: today), completion: a.completion)
            })
    }

    @Sendable static func assignments(_ request: Request) async throws -> ListDTO<AssignmentDTO> {
        try request.authorize(.viewInstruction(isPublic: true))
        let filter = try RegisterFilter(request)
        let paging = try Paging(request)
        let (rows, total) = RegisterQuery.page(filter, today: InstructionController.today(request),
                                               page: paging.page, per: paging.per, in: try await request.registerSnapshot())
        return ListDTO(items: rows.map(AssignmentDTO.init), total: total, page: paging.page, per: paging.per)
    }

    struct ReportDTO: Content {
        var id: Int
        var assignment: Int
        var period: String
        var text: String
        var author: String
        var authorRole: String?
        var submittedAt: Int64
        var state: String
        var values: [String: Double]
        var files: [String]
        var reviews: [ReviewDTO]
    }

    struct ReviewDTO: Content {
        var decision: String
        var reviewer: String
        var reviewerRole: String?
        var remarks: String?
        var at: Int64
    }

    /// `GET /api/v1/reports?assignment=ID`: the reports of one assignment, newest first.
    @Sendable static func reports(_ request: Request) async throws -> ListDTO<ReportDTO> {
        guard let text = request.queryText("assignment"), let id = Int(text), id >= 1 else {
            throw Abort(.badRequest, reason: request.t("error.filter", ["name": "assignment", "value": request.queryText("assignment") ?? ""]))
        }
        let paging = try Paging(request)
        guard let detail = try await InstructionQueries.assignment(id, snapshot: try await request.registerSnapshot(), on: request.db) else {
            throw Abort(.notFound, reason: request.t("error.assignmentNotFound"))
        }
        try request.authorize(.viewInstruction(isPublic: detail.instruction.isPublic))
        let evidenceVisible = detail.assignment.territory.map {
            AccessPolicy.allows(.viewEvidence(territory: $0, isPublic: detail.instruction.isPublic && detail.assignment.evidencePublic),
                                for: request.actor)
        } ?? false
        let all = detail.reports.map { r in
            ReportDTO(id: r.report.id ?? 0, assignment: id, period: r.report.period, text: r.report.text, author: r.report.author, authorRole: r.report.authorRole,
                      submittedAt: r.report.submittedAt, state: r.report.state.rawValue,
                      values: Dictionary(r.values.map { (String($0.indicatorID), $0.value) }, uniquingKeysWith: { a, _ in a }),
                      files: evidenceVisible ? r.files.map { SiteURL.evidence(.value($0.id ?? 0)).path } : [],
                      reviews: r.reviews.map { ReviewDTO(decision: $0.decision, reviewer: $0.reviewer, reviewerRole: $0.reviewerRole, remarks: $0.remarks, at: $0.at) })
        }
        return ListDTO(items: paging.slice(all), total: all.count, page: paging.page, per: paging.per)
    }
}
