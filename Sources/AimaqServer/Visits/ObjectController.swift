import AimaqCore
import Foundation
import SQLKit
import Vapor

/// The register of objects and investment projects kept by the akimats: an officer (or an
/// administrator) of the territory registers an object with its kind, responsible body, cost
/// and funding, dates, budget function and instruction, and records its progress. Every
/// change is audited; every problem of a form is said at once.
enum ObjectController {
    static func register(_ routes: any RoutesBuilder) {
        routes.post(SiteURL.objects.pathComponents, use: create)
        routes.post(SiteURL.object(.key).pathComponents, use: update)
    }

    struct CreateForm: Content {
        var territory: String?
        var kind: String?
        var name: String?
        var body: String?
        var cost: String?
        var funding: String?
        var planned_start: String?
        var planned_end: String?
        var budget_line: String?
        var instruction: String?
    }

    static func date(_ text: String?) -> CivilDate?? {
        let text = (text ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .some(nil) }
        guard let day = try? CivilDate(text) else { return nil }
        return .some(day)
    }

    /// `POST /objects`: a new object of the register, in a territory of the officer's scope.
    @Sendable static func create(_ request: Request) async throws -> Response {
        guard request.actor != nil else { throw SignInRequired() }
        let form = try request.content.decode(CreateForm.self)
        guard let code = form.territory.flatMap({ KATOCode.parse($0) }), request.tree[code] != nil else {
            throw Abort(.unprocessableEntity, reason: request.t("visit.error.territory"))
        }
        try request.authorize(.manageObjects(territory: code))
        var problems: [String] = []
        let kind = form.kind ?? ""
        if !TerritoryObjectRecord.kinds.contains(kind) { problems.append(request.t("object.error.kind")) }
        let name = VisitController.text(form.name, limit: 300)
        if name == nil { problems.append(request.t("object.error.name")) }
        let bodyText = (form.body ?? "").trimmingCharacters(in: .whitespaces)
        let body = Int(bodyText)
        if !bodyText.isEmpty, body.flatMap({ request.aimaq.bodies.body($0) }) == nil { problems.append(request.t("visit.error.body")) }
        let costText = (form.cost ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
        let cost = Double(costText)
        if !costText.isEmpty, !(cost.map { $0.isFinite && $0 >= 0 && $0 < 1e12 } ?? false) { problems.append(request.t("object.error.cost")) }
        let funding = form.funding ?? ""
        if !TerritoryObjectRecord.fundings.contains(funding) { problems.append(request.t("object.error.funding")) }
        let start = date(form.planned_start), end = date(form.planned_end)
        if start == nil || end == nil { problems.append(request.t("object.error.dates")) }
        if let s = start ?? nil, let e = end ?? nil, e < s { problems.append(request.t("object.error.dates")) }
        let line = (form.budget_line ?? "").trimmingCharacters(in: .whitespaces)
        if !line.isEmpty, request.aimaq.budget.classification.functions[line] == nil { problems.append(request.t("object.error.budgetLine")) }
        let instructionText = (form.instruction ?? "").trimmingCharacters(in: .whitespaces)
        let instruction = Int(instructionText)
        if !instructionText.isEmpty {
            if let id = instruction, try await Instruction.find(id, on: request.db) != nil {} else { problems.append(request.t("object.error.instruction")) }
        }
        guard problems.isEmpty, let name else {
            var said = Set<String>()
            throw Abort(.unprocessableEntity, reason: problems.filter { said.insert($0).inserted }.joined(separator: " "))
        }
        let created = try await VisitStore.createObject(TerritoryObjectRecord(
            id: 0, territory: code, kind: kind, name: LocalizedName(kk: name, ru: name, en: name), bodyID: body, cost: cost,
            funding: funding, plannedStart: start ?? nil, plannedEnd: end ?? nil, actualEnd: nil, progress: 0,
            budgetLine: line.isEmpty ? nil : line, instructionID: instruction, demo: false), actor: request.auditActor, on: request.db)
        await request.application.followChanges()
        return request.redirect(to: SiteURL.objects.link(SiteQuery([(.territory, code.region.description)])) + "#object-\(created)",
                                redirectType: .normal)
    }

    struct UpdateForm: Content {
        var progress: String?
        var planned_end: String?
        var actual_end: String?
    }

    /// `POST /objects/:id`: its progress (0–100 %), planned end, and the day it was finished
    /// (only when done, never in the future).
    @Sendable static func update(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self), let object = try await VisitStore.object(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("object.notFound"))
        }
        try request.authorize(.manageObjects(territory: object.territory))
        let form = try request.content.decode(UpdateForm.self)
        var problems: [String] = []
        let progress = Int((form.progress ?? "").trimmingCharacters(in: .whitespaces))
        if !(progress.map { (0...100).contains($0) } ?? false) { problems.append(request.t("object.error.progress")) }
        let end = date(form.planned_end), done = date(form.actual_end)
        if end == nil || done == nil { problems.append(request.t("object.error.dates")) }
        let today = InstructionController.today(request)
        if let finished = done ?? nil {
            if finished > today || progress != 100 { problems.append(request.t("object.error.finished")) }
        }
        guard problems.isEmpty, let progress else { throw Abort(.unprocessableEntity, reason: problems.joined(separator: " ")) }
        try await VisitStore.updateObject(id, progress: progress, plannedEnd: (end ?? nil) ?? object.plannedEnd, actualEnd: done ?? nil,
                                          actor: request.auditActor, on: request.writer)
        await request.application.followChanges()
        return request.redirect(to: SiteURL.objects.link(SiteQuery([(.territory, object.territory.region.description)])) + "#object-\(id)",
                                redirectType: .normal)
    }
}
