import AimaqCore
import Foundation
import SQLKit
import Vapor

/// Budget pages, export, the administrators' import page and `/api/v1/budget/`. Budget data
/// is public to read; importing is for administrators and the territory's maslikhat.
enum BudgetController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.budget.pathComponents, use: overview)
        routes.get(SiteURL.budgetWhatIf.pathComponents, use: whatIfPage)
        routes.upload(SiteURL.budgetWhatIfRules, maxBytes: 1 << 20, gate: { try $0.authorize(.loadRuleTable) }, use: loadRuleTable)
        routes.get(SiteURL.budgetExport.pathComponents, use: export)
        routes.get(SiteURL.adminImportBudget.pathComponents, use: importForm)
        // A whole country's year is some hundreds of megabytes: the body goes to disk as it comes.
        routes.upload(SiteURL.adminImportBudget, maxBytes: 200 << 20, toDisk: true, gate: { request in
            // Someone who may import a budget somewhere: the file then names the territories.
            try request.authorize(.importBudget(territory: request.actor?.scope.code))
        }, use: importUpload)
        routes.get(SiteURL.api(.budgetLines).pathComponents, use: apiLines)
        routes.get(SiteURL.api(.budgetTransfers).pathComponents, use: apiTransfers)
        routes.get(SiteURL.api(.budgetIndicators).pathComponents, use: apiIndicators)
        routes.get(SiteURL.api(.budgetWhatIf).pathComponents, use: apiWhatIf)
    }

    // MARK: Reading

    /// `?year=` (today's year when absent), checked.
    static func year(_ request: Request) throws -> Int {
        guard let text = request.queryText("year") else { return request.aimaq.clock.today().year }
        guard let year = Int(text), (2000...2100).contains(year) else {
            throw Abort(.badRequest, reason: request.t("error.filter", ["name": "year", "value": text]))
        }
        return year
    }

    static func territory(_ request: Request, required: Bool) throws -> KATOCode? {
        guard let text = request.queryText("territory") else {
            if required { throw Abort(.badRequest, reason: request.t("error.filter", ["name": "territory", "value": ""])) }
            return nil
        }
        guard let code = KATOCode.parse(text), request.tree[code] != nil else {
            throw Abort(.notFound, reason: request.t("error.territoryNotFound", ["code": text]))
        }
        return code
    }

    static func load(_ request: Request, _ year: Int) async throws -> (figures: BudgetYear, version: Int) {
        try await request.aimaq.budget.year(year, db: request.application.db as! any SQLDatabase, tree: request.tree)
    }

    // MARK: Pages

    @Sendable static func overview(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let year = try year(request)
        let indicator = BudgetViews.Indicator(rawValue: request.queryText("indicator") ?? "") ?? .dependence
        var standard: Int64?
        if let text = request.queryText("standard"), !text.isEmpty {
            guard let value = Int64(text), (1...100_000_000).contains(value) else {
                throw Abort(.badRequest, reason: request.t("error.filter", ["name": "standard", "value": text]))
            }
            standard = value
        }
        let (current, version) = try await load(request, year)
        let previous = try await load(request, year - 1).figures
        let key = "budget:\(year):\(indicator.rawValue):\(standard.map(String.init) ?? "-"):\(request.language)"
        let content = request.aimaq.pages.fragment(key, version: version) {
            BudgetViews.overview(year: year, indicator: indicator, standard: standard, current: current,
                                 previous: previous.isEmpty ? nil : previous, request.page)
        }
        return Layout.response(request, title: request.t("budget.title"), content: content)
    }

    @Sendable static func whatIfPage(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let (query, second) = try await whatIfInputs(request)
        return try await whatIfResponse(request, query: query, second: second)
    }

    static func whatIfResponse(_ request: Request, query: BudgetReports.WhatIfQuery, second: DistributionRules?,
                               problems: [String] = [], status: HTTPStatus = .ok) async throws -> Response {
        let (data, version) = try await load(request, query.year)
        func computed() throws -> Node {
            // Computed afresh: counted against the visitor's limit (a kept answer is not).
            try request.aimaq.limits.charge(.compute, request)
            let result = try BudgetReports.whatIf(query, year: data, rules: request.aimaq.budget.rules, second: second,
                                                  tree: request.tree, language: request.language, rowLimit: BudgetViews.rowsShown)
            return BudgetViews.whatIfResult(query, result: result, classification: request.aimaq.budget.classification, request.page)
        }
        func page(_ result: Node) -> Node {
            // The classification never changes while the server runs.
            let codes = request.aimaq.pages.fragment("what-if-codes:\(query.code.text):\(request.language)", version: 0) {
                BudgetViews.codeOptions(selected: query.code, classification: request.aimaq.budget.classification, request.page)
            }
            return BudgetViews.whatIf(query, result: result, codes: codes, rules: request.aimaq.budget.rules, problems: problems, request.page)
        }
        let content: Node
        if request.actor == nil && problems.isEmpty {
            // Without an account the forms carry no token: the whole page is kept, per version
            // of the year's figures, and its computed part is rendered once, inside it.
            content = try await request.aimaq.pages.fragment("what-if-page:\(query.query.encoded):\(request.language)", version: version,
                                                             partition: .variant) { page(try computed()) }
        } else {
            // The page's form for loading a table carries the visitor's CSRF token: only the
            // computed part is kept.
            content = page(try await request.aimaq.pages.fragment("what-if:\(query.query.encoded):\(request.language)", version: version,
                                                                  partition: .variant) { try computed() })
        }
        return Layout.response(request, title: request.t("whatIf.title"),
                               breadcrumbs: [(request.t("budget.title"), SiteURL.budget.path),
                                             (request.t("whatIf.title"), SiteURL.budgetWhatIf.path)],
                               status: status, content: content)
    }

    /// Keeps a rule table sent from the what-if page and opens the what-if over it; a bad
    /// table shows the page again with what is wrong and where.
    @Sendable static func loadRuleTable(_ request: Request) async throws -> Response {
        try request.authorize(.loadRuleTable)
        struct Upload: Content {
            var file: File?
            var text: String?
            var year: String?
        }
        let upload = try request.content.decode(Upload.self)
        var text = upload.text ?? ""
        if let file = upload.file, file.data.readableBytes > 0 { text = String(decoding: Data(buffer: file.data), as: UTF8.self) }
        let year = upload.year.flatMap(Int.init).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? request.aimaq.clock.today().year
        func refuse(_ problem: String) async throws -> Response {
            var query = try BudgetReports.WhatIfQuery(request, defaultYear: year, bundledYears: [])
            query.year = year
            return try await whatIfResponse(request, query: query, second: nil, problems: [problem], status: .unprocessableEntity)
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try await refuse(request.t("whatIf.noRules"))
        }
        switch BudgetRuleTables.check(text) {
        case .failure(let error):
            return try await refuse(error.description)
        case .success:
            guard let account = request.account, let accountID = account.id else { throw SignInRequired() }
            let id: String
            do {
                id = try await BudgetRuleTables.store(text, account: accountID, actor: account.email, on: request.db)
            } catch is BudgetRuleTables.QuotaReached {
                return try await refuse(request.t("whatIf.quota", ["n": String(BudgetRuleTables.perAccount)]))
            }
            return request.redirect(to: SiteURL.budgetWhatIf.link((.year, String(year)), (.rules, id)), redirectType: .normal)
        }
    }

    private struct MonthRow: Decodable {
        var kind: String
        var month: Int
        var plan: Int64
        var executed: Int64
    }

    /// Revenue and expenditure of a territory's own budget month by month: plan and execution.
    static func monthly(_ code: KATOCode, year: Int, on db: any SQLDatabase) async throws -> [String: [BudgetYear.Amounts]] {
        let rows = try await db.select()
            .column("kind").column("month")
            .column(SQLAlias(SQLQueryString("CAST(SUM(CASE WHEN adjusted <> 0 THEN adjusted ELSE approved END) AS BIGINT)"), as: SQLIdentifier("plan")))
            .column(SQLAlias(SQLQueryString("CAST(SUM(executed) AS BIGINT)"), as: SQLIdentifier("executed")))
            .from("budget_lines")
            .where("territory_id", .equal, SQLBind(code.value)).where("year", .equal, SQLBind(year))
            .where("month", .greaterThan, SQLBind(0)).where("kind", .in, SQLBind.group(["revenue", "expenditure"]))
            .groupBy("kind").groupBy("month")
            .all(decoding: MonthRow.self)
        var result: [String: [BudgetYear.Amounts]] = [:]
        for row in rows where (1...12).contains(row.month) {
            var months = result[row.kind] ?? Array(repeating: BudgetYear.Amounts(), count: 12)
            months[row.month - 1] = BudgetYear.Amounts(plan: row.plan, executed: row.executed)
            result[row.kind] = months
        }
        return result
    }

    // MARK: Import page

    @Sendable static func importForm(_ request: Request) async throws -> Response {
        try request.authorize(.importBudget(territory: request.actor?.scope.code))
        return Layout.response(request, title: request.t("budgetImport.title"),
                               content: BudgetViews.importForm(result: nil, problems: [], request.page))
    }

    @Sendable static func importUpload(_ request: Request) async throws -> Response {
        try request.authorize(.importBudget(territory: request.actor?.scope.code))
        guard let file = try request.uploadedFile(named: "file") else {
            return Layout.response(request, title: request.t("budgetImport.title"), status: .unprocessableEntity,
                                   content: BudgetViews.importForm(result: nil, problems: [request.t("budgetImport.noFile")], request.page))
        }
        let text = String(decoding: file.data, as: UTF8.self)
        switch await BudgetImporter.parse(text, app: request.application) {
        case .failure(let problems):
            return Layout.response(request, title: request.t("budgetImport.title"), status: .unprocessableEntity,
                                   content: BudgetViews.importForm(result: nil, problems: problems.items.map(\.description), request.page))
        case .success(let parsed):
            // Every territory the file writes for must be within the importer's scope.
            for territory in parsed.territories.sorted(by: { $0.value < $1.value }) {
                try request.authorize(.importBudget(territory: territory))
            }
            if case .transfers(let transfers) = parsed.file, transfers.contains(where: { $0.from == nil || $0.to == nil }) {
                try request.authorize(.importBudget(territory: nil))
            }
            // A large file takes a while: the server's log follows it (every tenth).
            let logger = request.logger
            let step = max(BudgetStore.batch, parsed.count / 10)
            let summary = try await BudgetStore.write(parsed.file, app: request.application, actor: request.auditActor,
                                                      sha256: BudgetStore.digest(file.data)) { done, total in
                if done % step < BudgetStore.batch || done == total { logger.notice("budget import: written \(done)/\(total)") }
            }
            let message = request.t("budgetImport.done", ["n": String(summary.written), "replaced": String(summary.replaced)])
            return Layout.response(request, title: request.t("budgetImport.title"),
                                   content: BudgetViews.importForm(result: message, problems: [], request.page))
        }
    }
}
