import AimaqCore
import Crypto
import Foundation
import Vapor

/// Evidence files of reports, kept in `<data>/evidence/` under random names; served only
/// through the evidence route, which checks who may see them.
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

    let folder: URL

    init(dataDirectory: String) {
        folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("evidence")
    }

    /// The type to serve a file name as, or nil when the kind is not allowed.
    static func contentType(of fileName: String) -> String? {
        let ext = (fileName as NSString).pathExtension.lowercased()
        return allowedTypes[ext]
    }

    func store(_ uploads: [Upload]) async throws -> [Stored] {
        guard !uploads.isEmpty else { return [] }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var stored: [Stored] = []
        do {
            for upload in uploads {
                let name = UUID().uuidString
                try upload.data.write(to: folder.appendingPathComponent(name), options: .atomic)
                let digest = SHA256.hash(data: upload.data).map { String(format: "%02x", $0) }.joined()
                stored.append(Stored(fileName: upload.fileName, contentType: Self.contentType(of: upload.fileName) ?? "application/octet-stream",
                                     size: upload.data.count, storedName: name, sha256: digest))
            }
        } catch {
            discard(stored)
            throw error
        }
        return stored
    }

    func discard(_ files: [Stored]) {
        for file in files { try? FileManager.default.removeItem(at: folder.appendingPathComponent(file.storedName)) }
    }

    func response(for file: EvidenceFile, _ request: Request) async throws -> Response {
        let url = folder.appendingPathComponent(file.storedName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Abort(.notFound, reason: request.t("error.fileNotFound"))
        }
        let response = Response(body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: file.contentType)
        let safeName = file.fileName.filter { $0.isLetter || $0.isNumber || ".-_ ".contains($0) }
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
        let files = (form.files ?? []).filter { !$0.filename.isEmpty && $0.data.readableBytes > 0 }
        if files.count > EvidenceStore.maxFiles {
            problems.append(request.t("report.error.fileCount", ["n": String(EvidenceStore.maxFiles)]))
        }
        var uploads: [EvidenceStore.Upload] = []
        for file in files {
            if EvidenceStore.contentType(of: file.filename) == nil {
                problems.append(request.t("report.error.fileType", ["name": file.filename]))
            } else if file.data.readableBytes > EvidenceStore.maxFileBytes {
                problems.append(request.t("report.error.fileSize", ["name": file.filename, "mb": "10"]))
            } else {
                uploads.append(.init(fileName: file.filename, data: Data(buffer: file.data)))
            }
        }
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
                                text: text, values: checked, files: files)
    }
}
