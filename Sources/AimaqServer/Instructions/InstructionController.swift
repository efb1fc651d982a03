import AimaqCore
import Fluent
import SQLKit
import Vapor

/// The register, the instruction and assignment pages, and the actions on assignments.
enum InstructionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.register.pathComponents, use: registerPage)
        routes.get(SiteURL.registerExport.pathComponents, use: export)
        routes.get(SiteURL.instruction(.key).pathComponents, use: instructionPage)
        routes.get(SiteURL.assignment(.key).pathComponents, use: assignmentPage)
        routes.upload(SiteURL.assignmentReports(.key), maxBytes: EvidenceStore.maxRequestBytes, gate: { request in
            let (assignment, _, territory) = try await loadForAction(request)
            try request.authorize(AssignmentWorkflow.reportAction(assignment, territory, request.aimaq.bodies))
        }, use: submitReport)
        routes.post(SiteURL.assignmentReview(.key).pathComponents, use: review)
        routes.post(SiteURL.assignmentExtend(.key).pathComponents, use: extend)
        routes.post(SiteURL.assignmentRemove(.key).pathComponents, use: remove)
        routes.post(SiteURL.assignmentSplit(.key).pathComponents, use: split)
        routes.post(SiteURL.assignmentRoadMap(.key).pathComponents, use: roadMap)
        routes.get(SiteURL.evidence(.key).pathComponents, use: evidence)
    }

    static func today(_ request: Request) -> CivilDate { request.aimaq.clock.today() }

    // MARK: Pages

    @Sendable static func registerPage(_ request: Request) async throws -> Response {
        try request.authorize(.viewInstruction(isPublic: true))
        let filter = try RegisterFilter(request)
        let paging = try Paging(request)
        let snapshot = try await request.registerSnapshot()
        let today = today(request)
        // The same filters give the same page until an assignment changes (a new snapshot).
        let key = "register:\(request.language):\(filter.publicOnly):\(today):\(paging.page):\(paging.per):"
            + filter.query.encoded
        let anonymous = Layout.isCacheableAnonymous(request, filtersOnly: true)
        // Kept under the version of the territory filtered on (everything without one); a
        // page with other filters is a variant, kept apart from the pages everybody reads.
        let version = snapshot.versions.territory(filter.territory)
        let partition: PageCache.Partition = filter.pairs.allSatisfy { $0.0 == .territory } ? .stable : .variant
        let render: @Sendable () async throws -> String = {
            let content = request.aimaq.pages.fragment(key, version: version, partition: partition) {
                let (rows, total) = RegisterQuery.page(filter, today: today, page: paging.page, per: paging.per, in: snapshot)
                return InstructionViews.register(rows: rows, total: total, filter: filter, paging: paging,
                                                 sources: snapshot.sources, today: today, request.page)
            }
            return Layout.page(request, title: request.t("register.title"), content: content)
        }
        guard anonymous else { return Layout.html(try await render()) }
        return try await request.keptPage(key, version: version, partition: partition, render: render)
    }

    @Sendable static func instructionPage(_ request: Request) async throws -> Response {
        let id = try intParameter(request)
        let snapshot = try await request.registerSnapshot()
        guard let heading = snapshot.instructions[id] else {
            throw Abort(.notFound, reason: request.t("error.instructionNotFound"))
        }
        try request.authorize(.viewInstruction(isPublic: heading.isPublic))
        let today = today(request)
        // The page changes only with its assignments and their history: kept per snapshot.
        let key = "instruction:\(id):\(request.language):\(today)"
        let anonymous = Layout.isCacheableAnonymous(request)
        let version = snapshot.versions.instruction(id)
        let render: @Sendable () async throws -> String = {
            let content = try await request.aimaq.pages.fragment(key, version: version) {
                guard let detail = try await InstructionQueries.instruction(id, on: request.sql, snapshot: snapshot) else {
                    throw Abort(.notFound, reason: request.t("error.instructionNotFound"))
                }
                return InstructionViews.instruction(detail, today: today, request.page)
            }
            return Layout.page(request, title: "\(heading.point). \(heading.text.prefix(80))",
                               breadcrumbs: [(request.t("register.title"), SiteURL.register.path),
                                             (heading.point, SiteURL.instruction(.value(id)).path)],
                               content: content)
        }
        guard anonymous else { return Layout.html(try await render()) }
        return try await request.keptPage(key, version: version, render: render)
    }

    @Sendable static func assignmentPage(_ request: Request) async throws -> Response {
        let id = try intParameter(request)
        // Visitors without an account see the same page until the assignment changes (only
        // pages of public instructions are ever stored: the others are refused below).
        let anonymous = Layout.isCacheableAnonymous(request)
        let today = today(request)
        let key = "assignment:\(id):\(request.language):\(today)"
        let version = anonymous ? try await request.registerSnapshot().versions.assignment(id) : 0
        let render: @Sendable () async throws -> String = {
            guard let detail = try await InstructionQueries.assignment(id, snapshot: try await request.registerSnapshot(),
                                                                      roadMaps: request.aimaq.register.roadMaps,
                                                                      on: request.db) else {
                throw Abort(.notFound, reason: request.t("error.assignmentNotFound"))
            }
            try request.authorize(.viewInstruction(isPublic: detail.instruction.isPublic))
            // The issues raised (or appeals) this assignment was made from: the link back.
            let raised = try await AppealAssignment.appeals(ofAssignment: id, on: request.sql)
            let origin: Node = raised.isEmpty ? .empty : el("p", .id("assignment-origin")) {
                request.t("assignment.raisedAs") + " "
                for (index, appeal) in raised.enumerated() {
                    if index > 0 { ", " }
                    el("a", .href(SiteURL.appeal(.value(appeal.id)).path)) { appeal.number }
                }
            }
            return Layout.page(request, title: request.t("assignment.title", ["id": String(id)]),
                               breadcrumbs: [(request.t("register.title"), SiteURL.register.path),
                                             (detail.instruction.point, SiteURL.instruction(.value(detail.instruction.id)).path),
                                             (request.t("assignment.title", ["id": String(id)]), SiteURL.assignment(.value(id)).path)],
                               content: .fragment([origin, InstructionViews.assignment(detail, today: today, request.page)]))
        }
        guard anonymous else { return Layout.html(try await render()) }
        return try await request.keptPage(key, version: version, render: render)
    }

    static func intParameter(_ request: Request) throws -> Int {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self) else {
            throw Abort(.notFound)
        }
        return id
    }

    /// Loads an assignment for an action, with its instruction; 404 when missing.
    static func loadForAction(_ request: Request) async throws -> (Assignment, Instruction, KATOCode) {
        try await AssignmentWorkflow.load(try intParameter(request), request)
    }

    static func backToAssignment(_ request: Request, _ id: Int) -> Response {
        request.redirect(to: SiteURL.assignment(.value(id)).path, redirectType: .normal)
    }
}
