import Foundation
import Vapor

extension RoutesBuilder {
    /// A route that takes a file: `gate` decides who may send one before a byte of the body
    /// is read (a visitor who may not is answered at once and sends nothing into memory);
    /// then the body is read, up to `maxBytes` (413 beyond), and `handler` runs. With `toDisk`
    /// the body goes to a temporary file as it arrives (never whole in memory), which the
    /// handler reads as `request.uploadedBody` and which is removed afterwards.
    func upload(_ url: SiteURL, maxBytes: Int, toDisk: Bool = false, gate: @escaping @Sendable (Request) async throws -> Void,
                use handler: @escaping @Sendable (Request) async throws -> Response) {
        on(.POST, url.pathComponents, body: .stream) { request async throws -> Response in
            try await gate(request)
            guard toDisk else {
                if let data = request.body.data {
                    // Already gathered (an in-process test): the limit holds all the same.
                    guard data.readableBytes <= maxBytes else { throw Abort(.payloadTooLarge) }
                } else {
                    _ = try await request.body.collect(max: maxBytes).get()
                }
                return try await handler(request)
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("aimaq-upload-\(UUID().uuidString)")
            guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: file.path) else {
                throw Abort(.internalServerError, reason: "cannot write a temporary file for the upload")
            }
            defer { try? FileManager.default.removeItem(at: file) }
            var size = 0
            do {
                func write(_ chunk: ByteBuffer) throws {
                    size += chunk.readableBytes
                    guard size <= maxBytes else { throw Abort(.payloadTooLarge) }
                    try handle.write(contentsOf: chunk.readableBytesView)
                }
                if let data = request.body.data {
                    try write(data)
                } else {
                    for try await chunk in request.body { try write(chunk) }
                }
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            request.storage[UploadedBody.Key.self] = UploadedBody(file: file, size: size)
            return try await handler(request)
        }
    }
}

/// A multipart body kept in a temporary file (`upload(…, toDisk: true)`), read through a
/// memory map: its parts are ranges of the file, never copies of the whole body.
struct UploadedBody: Sendable {
    let file: URL
    let size: Int

    struct Key: StorageKey { typealias Value = UploadedBody }

    struct Part {
        var name: String
        var fileName: String?
        var data: Data
    }

    /// The parts of the body (RFC 7578) with the request's boundary.
    func parts(boundary: String) throws -> [Part] {
        let body = try Data(contentsOf: file, options: .alwaysMapped)
        let delimiter = Data(("--" + boundary).utf8)
        let headerEnd = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        guard var start = body.range(of: delimiter)?.upperBound else { return [] }
        while true {
            // After a delimiter: "--" ends the body, a line end starts a part.
            guard body.count >= start + 2 else { break }
            if body[start] == 0x2D, body[start + 1] == 0x2D { break }
            let partStart = start + 2
            guard let headersEnd = body.range(of: headerEnd, in: partStart..<body.count),
                  let next = body.range(of: Data("\r\n".utf8) + delimiter, in: headersEnd.upperBound..<body.count) else { break }
            let headers = String(decoding: body[partStart..<headersEnd.lowerBound], as: UTF8.self)
            if let (name, fileName) = Self.disposition(headers) {
                // A slice of the map: no copy of the part is made here.
                parts.append(Part(name: name, fileName: fileName, data: body[headersEnd.upperBound..<next.lowerBound]))
            }
            start = next.upperBound
        }
        return parts
    }

    /// The field name and file name of a part's `Content-Disposition: form-data` header.
    static func disposition(_ headers: String) -> (String, String?)? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            func value(_ key: String) -> String? {
                guard let range = line.range(of: key + "=\"") else { return nil }
                let rest = line[range.upperBound...]
                return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
            }
            // `filename="…"` also holds `name="`: look for the field name before it.
            let withoutFile = line.replacingOccurrences(of: "filename=\"", with: "file-name=\"")
            guard let range = withoutFile.range(of: " name=\"") ?? withoutFile.range(of: ";name=\"") else { return nil }
            let rest = withoutFile[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return (String(rest[..<end]), value("filename"))
        }
        return nil
    }
}

extension Request {
    /// The body an upload route kept on disk.
    var uploadedBody: UploadedBody? { storage[UploadedBody.Key.self] }

    /// The non-empty file part of that name in the body kept on disk.
    func uploadedFile(named name: String) throws -> UploadedBody.Part? {
        guard let body = uploadedBody else { return nil }
        let parts = try body.parts(boundary: headers.contentType?.parameters["boundary"] ?? "")
        return parts.first { $0.name == name && !$0.data.isEmpty }
    }
}
