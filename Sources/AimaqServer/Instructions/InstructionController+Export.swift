import AimaqCore
import Fluent
import SQLKit
import Vapor

/// The register as CSV.
extension InstructionController {
    // MARK: Export

    /// The most rows one export of the register gives (the national register is about 52,000).
    static let maxExportRows = 200_000

    @Sendable static func export(_ request: Request) async throws -> Response {
        try request.authorize(.viewInstruction(isPublic: true))
        let filter = try RegisterFilter(request)
        let format = request.queryText("format") ?? "csv"
        guard format == "csv" || format == "json" else {
            throw Abort(.badRequest, reason: request.t("error.filter", ["name": "format", "value": format]))
        }
        try request.aimaq.limits.charge(.export, request)
        let (rows, total) = RegisterQuery.page(filter, today: today(request), page: 1, per: maxExportRows,
                                               in: try await request.registerSnapshot())
        guard total <= maxExportRows else {
            throw Abort(.unprocessableEntity, reason: request.t("export.tooLarge", ["n": NumberFormat.integer(maxExportRows, request.language)]))
        }
        let response = Response()
        if format == "json" {
            try response.content.encode(ListDTO(items: rows.map(AssignmentDTO.init), total: rows.count, page: 1, per: max(rows.count, 1)))
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"assignments.json\"")
        } else {
            response.setCSV(RegisterCSV.write(rows), filename: "assignments.csv")
        }
        return response
    }
}

struct AssignmentDTO: Content {
    var id: Int
    var instruction: Int
    var point: String
    var text: String
    var category: String
    var source: String
    var territory: String
    var body: Int?
    var deadline: String
    var status: String
    var completion: Double?

    init(_ row: RegisterRow) {
        id = row.id
        instruction = row.instructionID
        point = row.point
        text = row.text
        category = row.category
        source = row.sourceTitle
        territory = String(row.territory)
        body = row.bodyID
        deadline = row.deadline
        status = row.status
        completion = row.completion
    }
}

enum RegisterCSV {
    static let header = ["id", "instruction", "point", "text", "category", "source", "territory", "body",
                         "deadline", "status", "completion"]

    static func write(_ rows: [RegisterRow]) -> String {
        var csv = CSVWriter(header: header)
        for row in rows {
            csv.row([.integer(row.id), .integer(row.instructionID), .text(row.point), .text(row.text), .text(row.category),
                     .text(row.sourceTitle), .integer(row.territory), row.bodyID.map { .integer($0) } ?? .number(""),
                     .text(row.deadline), .text(row.status), .number(row.completion.map { String(format: "%.3f", $0) } ?? "")])
        }
        return csv.text
    }
}
