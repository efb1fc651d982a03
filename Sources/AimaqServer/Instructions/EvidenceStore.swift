import AimaqCore
import Crypto
import Foundation
import SQLKit
import Vapor

/// Evidence files of reports, kept under random names in a folder (`<data>/evidence/`, or
/// `AIMAQ_EVIDENCE_DIR` when several servers share a file system) or, on PostgreSQL, in the
/// database, so that every server reads what any server stored. Served only through the
/// evidence route, which checks who may see them.
final class EvidenceStore: Sendable {
    static let maxFileBytes = 10 * 1024 * 1024
    static let maxFiles = 5
    static let maxRequestBytes = maxFiles * maxFileBytes + 1024 * 1024

    /// Allowed kinds of file, by extension, with the type they are served as.
    static let allowedTypes: [String: String] = [
        "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "txt": "text/plain", "csv": "text/csv",
    ]

    struct Upload: Sendable {
        var fileName: String
        var data: Data
    }

    struct Stored: Sendable {
        var fileName: String
        var contentType: String
        var size: Int
        var storedName: String
        var sha256: String
    }

    enum Place: Sendable {
        case folder(URL)
        case database
    }

    let place: Place

    init(dataDirectory: String, folder: String? = nil, inDatabase: Bool = false) {
        if let folder {
            place = .folder(URL(fileURLWithPath: folder))
        } else if inDatabase {
            place = .database
        } else {
            place = .folder(URL(fileURLWithPath: dataDirectory).appendingPathComponent("evidence"))
        }
    }

    /// The type to serve a file name as, or nil when the kind is not allowed.
    static func contentType(of fileName: String) -> String? {
        let ext = (fileName as NSString).pathExtension.lowercased()
        return allowedTypes[ext]
    }

    /// Files sent with a form, checked one by one (kind, size, that the content is what the
    /// name says): the uploads to keep and, in the reader's language, every problem found.
    static func checked(_ files: [File]?, _ request: Request) -> (uploads: [Upload], problems: [String]) {
        let files = (files ?? []).filter { !$0.filename.isEmpty && $0.data.readableBytes > 0 }
        var problems: [String] = []
        if files.count > maxFiles {
            problems.append(request.t("report.error.fileCount", ["n": String(maxFiles)]))
        }
        var uploads: [Upload] = []
        for file in files {
            if contentType(of: file.filename) == nil {
                problems.append(request.t("report.error.fileType", ["name": file.filename]))
            } else if file.data.readableBytes > maxFileBytes {
                problems.append(request.t("report.error.fileSize", ["name": file.filename, "mb": "10"]))
            } else if !FileSignature.matches(extension: (file.filename as NSString).pathExtension, bytes: file.data.readableBytesView) {
                problems.append(request.t("report.error.fileContent", ["name": file.filename]))
            } else {
                uploads.append(.init(fileName: file.filename, data: Data(buffer: file.data)))
            }
        }
        return (uploads, problems)
    }

    func store(_ uploads: [Upload], db: any SQLDatabase) async throws -> [Stored] {
        guard !uploads.isEmpty else { return [] }
        if case .folder(let folder) = place {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        var stored: [Stored] = []
        do {
            for upload in uploads {
                let name = UUID().uuidString
                switch place {
                case .folder(let folder):
                    try upload.data.write(to: folder.appendingPathComponent(name), options: .atomic)
                case .database:
                    try await db.insert(into: "evidence_blobs").columns("stored_name", "data")
                        .values(SQLBind(name), SQLBind(upload.data)).run()
                }
                let digest = Hex.string(SHA256.hash(data: upload.data))
                stored.append(Stored(fileName: upload.fileName, contentType: Self.contentType(of: upload.fileName) ?? "application/octet-stream",
                                     size: upload.data.count, storedName: name, sha256: digest))
            }
        } catch {
            await discard(stored, db: db)
            throw error
        }
        return stored
    }

    func discard(_ files: [Stored], db: any SQLDatabase) async {
        guard !files.isEmpty else { return }
        switch place {
        case .folder(let folder):
            for file in files { try? FileManager.default.removeItem(at: folder.appendingPathComponent(file.storedName)) }
        case .database:
            _ = try? await db.delete(from: "evidence_blobs").where("stored_name", .in, SQLBind.group(files.map(\.storedName))).run()
        }
    }

    /// How many files are kept (for checks that a refused report kept none).
    func count(db: any SQLDatabase) async throws -> Int {
        switch place {
        case .folder(let folder):
            return (try? FileManager.default.contentsOfDirectory(atPath: folder.path).count) ?? 0
        case .database:
            struct Row: Decodable { var n: Int }
            return try await db.select().column(SQLAlias(SQLFunction("COUNT", args: SQLLiteral.all), as: SQLIdentifier("n")))
                .from("evidence_blobs").first(decoding: Row.self)?.n ?? 0
        }
    }

    private struct Blob: Decodable {
        var data: Data
    }

    func contents(of storedName: String, db: any SQLDatabase) async throws -> Data? {
        switch place {
        case .folder(let folder):
            return FileManager.default.contents(atPath: folder.appendingPathComponent(storedName).path)
        case .database:
            return try await db.select().column("data").from("evidence_blobs").where("stored_name", .equal, SQLBind(storedName))
                .first(decoding: Blob.self)?.data
        }
    }

    func response(for file: EvidenceFile, _ request: Request) async throws -> Response {
        try await response(storedName: file.storedName, fileName: file.fileName, contentType: file.contentType, request)
    }

    /// A kept file as a download, whatever it is attached to (a report, an expert opinion).
    func response(storedName: String, fileName: String, contentType: String, _ request: Request) async throws -> Response {
        guard let data = try await contents(of: storedName, db: request.sql) else {
            throw Abort(.notFound, reason: request.t("error.fileNotFound"))
        }
        let response = Response(body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        let safeName = fileName.filter { $0.isLetter || $0.isNumber || ".-_ ".contains($0) }
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(safeName.isEmpty ? "evidence" : safeName)\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}

/// A report as sent by the form or the API, checked field by field.
struct ReportSubmission {
    var period: String
    var text: String
    var values: [(Int, Double)]
    var files: [EvidenceStore.Upload]
    /// The instruction's indicators the values were checked against.
    var indicators: [IndicatorRecord] = []

    struct Form: Content {
        var period: String?
        var text: String?
        var files: [File]?
    }

    /// Reads the multipart form of the assignment page.
    static func parse(_ request: Request, indicators: [IndicatorRecord], period: ReportingPeriod,
                      today: CivilDate) throws -> ReportSubmission {
        let form = try request.content.decode(Form.self)
        var problems: [String] = []
        var values: [Int: Double] = [:]
        for indicator in indicators {
            guard let id = indicator.id else { continue }
            let field = (try? request.content.get(String.self, at: "value_\(id)")) ?? ""
            let raw = field.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            if raw.isEmpty { continue }
            guard let number = Double(raw) else {
                problems.append(request.t("report.error.value", ["name": indicator.name]))
                continue
            }
            values[id] = number
        }
        let (uploads, fileProblems) = EvidenceStore.checked(form.files, request)
        problems += fileProblems
        return try validated(text: form.text, periodLabel: form.period, values: values, files: uploads,
                             indicators: indicators, period: period, today: today, problems: problems, request)
    }

    /// The rules every report meets, whether it came from the page or the API: text present
    /// and at most 20,000 characters, values only for the instruction's indicators, finite and
    /// not negative, a period label of at most 40 characters (the current period when empty).
    /// Every problem is listed at once, after those the caller found while reading its input.
    static func validated(text: String?, periodLabel: String?, values: [Int: Double], files: [EvidenceStore.Upload],
                          indicators: [IndicatorRecord], period: ReportingPeriod, today: CivilDate,
                          problems found: [String], _ request: Request) throws -> ReportSubmission {
        var problems = found
        let text = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { problems.append(request.t("report.error.text")) }
        if text.count > 20_000 { problems.append(request.t("report.error.textLong")) }
        var checked: [(Int, Double)] = []
        for (id, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let indicator = indicators.first(where: { $0.id == id }) else {
                problems.append(request.t("error.filter", ["name": "values", "value": String(id)]))
                continue
            }
            guard value.isFinite, value >= 0 else {
                problems.append(request.t("report.error.value", ["name": indicator.name]))
                continue
            }
            checked.append((id, value))
        }
        guard problems.isEmpty else {
            throw Abort(.unprocessableEntity, reason: problems.joined(separator: " "))
        }
        let label = (periodLabel ?? "").trimmingCharacters(in: .whitespaces)
        return ReportSubmission(period: label.isEmpty ? period.label(for: today) : String(label.prefix(40)),
                                text: text, values: checked, files: files, indicators: indicators)
    }
}
