import AimaqCore
import Foundation
import SQLKit
import Vapor

/// The budget API (`/api/v1/budget/…`) and the export of budget lines.
extension BudgetController {
    // MARK: API

    struct LineDTO: Content {
        var kind: String
        var territory: String
        var level: Int
        var year: Int
        var month: Int
        var code: String
        var approved: Int64
        var adjusted: Int64
        var executed: Int64
        var demo: Bool
    }

    struct TransferDTO: Content {
        var kind: String
        var from: String?
        var to: String?
        var year: Int
        var amount: Int64
        var demo: Bool
    }

    /// Lines filtered by `year`, `territory` (its own budget), `kind` and `month`.
    static func lines(_ request: Request, page: Int, per: Int) async throws -> (items: [LineDTO], total: Int) {
        try request.authorize(.viewPublic)
        let year = try year(request)
        let territory = try territory(request, required: false)
        var query = request.sql.select().from("budget_lines").where("year", .equal, SQLBind(year))
        if let territory { query = query.where("territory_id", .equal, SQLBind(territory.value)) }
        if let kind = request.queryText("kind") {
            guard BudgetImport.LineKind(rawValue: kind) != nil else {
                throw Abort(.badRequest, reason: request.t("error.filter", ["name": "kind", "value": kind]))
            }
            query = query.where("kind", .equal, SQLBind(kind))
        }
        if let text = request.queryText("month") {
            guard let month = Int(text), (0...12).contains(month) else {
                throw Abort(.badRequest, reason: request.t("error.filter", ["name": "month", "value": text]))
            }
            query = query.where("month", .equal, SQLBind(month))
        }
        let total = try await query.column(SQLAlias(SQLQueryString("COUNT(*)"), as: SQLIdentifier("n")))
            .first(decodingColumn: "n", as: Int.self) ?? 0
        // Read straight into the answer: the KATO code as text, as everywhere in the API.
        query.select.columns = [SQLColumn("kind"), SQLAlias(SQLQueryString("CAST(territory_id AS TEXT)"), as: SQLIdentifier("territory"))]
            + ["level", "year", "month", "code", "approved", "adjusted", "executed", "demo"].map { SQLColumn($0) }
        let items = try await query.orderBy("territory_id").orderBy("kind").orderBy("code").orderBy("month")
            .limit(per).offset((page - 1) * per).all(decoding: LineDTO.self)
        return (items, total)
    }

    @Sendable static func apiLines(_ request: Request) async throws -> ListDTO<LineDTO> {
        let paging = try Paging(request)
        let (items, total) = try await lines(request, page: paging.page, per: paging.per)
        return ListDTO(items: items, total: total, page: paging.page, per: paging.per)
    }

    @Sendable static func apiTransfers(_ request: Request) async throws -> ListDTO<TransferDTO> {
        try request.authorize(.viewPublic)
        let year = try year(request)
        let territory = try territory(request, required: false)
        let data = try await load(request, year).figures
        let items = data.transfers
            .filter { transfer in territory.map { transfer.from == $0.value || transfer.to == $0.value } ?? true }
            .map { TransferDTO(kind: $0.kind.rawValue, from: $0.from.map(String.init), to: $0.to.map(String.init),
                               year: year, amount: $0.amount, demo: data.isDemo) }
        return ListDTO(items: items, total: items.count, page: 1, per: max(items.count, 1))
    }

    @Sendable static func apiIndicators(_ request: Request) async throws -> BudgetIndicatorsDTO {
        try request.authorize(.viewPublic)
        let year = try year(request)
        guard let code = try territory(request, required: true) else { throw Abort(.badRequest) }
        let current = try await load(request, year).figures
        let previous = try await load(request, year - 1).figures
        return BudgetReports.indicators(code, year: current, previous: previous.isEmpty ? nil : previous,
                                        tree: request.tree, language: request.language)
    }

    /// The what-if inputs of a request, and the loaded rule table they name (404 when none has that id).
    static func whatIfInputs(_ request: Request) async throws -> (query: BudgetReports.WhatIfQuery, second: DistributionRules?) {
        let query = try BudgetReports.WhatIfQuery(request, defaultYear: request.aimaq.clock.today().year,
                                                  bundledYears: request.aimaq.budget.rules.years)
        guard case .loaded(let id) = query.table else { return (query, nil) }
        guard let table = try await request.aimaq.budget.ruleTable(id, db: request.sql) else {
            throw Abort(.notFound, reason: request.t("whatIf.noTable", ["id": id]))
        }
        return (query, table)
    }

    @Sendable static func apiWhatIf(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let (query, second) = try await whatIfInputs(request)
        let (figures, version) = try await load(request, query.year)
        // The answer depends only on the year's figures and the inputs: encoded once per version.
        let data = try request.aimaq.pages.document("api:what-if:\(query.query.encoded):\(request.language)",
                                                 version: version, partition: .variant) {
            try request.aimaq.limits.charge(.compute, request)
            return try JSONEncoder().encode(try BudgetReports.whatIf(query, year: figures, rules: request.aimaq.budget.rules, second: second,
                                                              tree: request.tree, language: request.language))
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = .json
        return response
    }

    // MARK: Export

    /// The most lines one export gives (a year of the whole country is about 400,000); a
    /// larger one asks to narrow it by territory.
    static let maxExportLines = 500_000

    @Sendable static func export(_ request: Request) async throws -> Response {
        let format = request.queryText("format") ?? "csv"
        guard format == "csv" || format == "json" else {
            throw Abort(.badRequest, reason: request.t("error.filter", ["name": "format", "value": format]))
        }
        try request.aimaq.limits.charge(.export, request)
        let (items, total) = try await lines(request, page: 1, per: maxExportLines)
        guard total <= maxExportLines else {
            throw Abort(.unprocessableEntity, reason: request.t("export.tooLarge", ["n": NumberFormat.integer(maxExportLines, request.language)]))
        }
        let response = Response()
        if format == "json" {
            try response.content.encode(ListDTO(items: items, total: items.count, page: 1, per: max(items.count, 1)))
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"budget-lines.json\"")
        } else {
            var csv = CSVWriter(header: BudgetImport.lineColumns + ["demo"])
            for line in items {
                csv.row([.text(line.kind), .number(line.territory), .integer(line.year), .integer(line.month), .text(line.code),
                         .integer(line.approved), .integer(line.adjusted), .integer(line.executed), .text(String(line.demo))])
            }
            response.setCSV(csv.text, filename: "budget-lines.csv")
        }
        return response
    }
}
