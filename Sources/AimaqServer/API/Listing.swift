import Vapor

/// The shape of every list answer of the API.
struct ListDTO<Item: Content>: Content {
    var items: [Item]
    var total: Int
    var page: Int
    var per: Int
}

/// `page` (from 1) and `per` (1 to 500, 50 by default) from the query, checked.
struct Paging {
    static let maxPer = 500
    var page: Int
    var per: Int

    init(_ request: Request) throws {
        page = 1
        per = 50
        if let text = request.queryText("page") {
            guard let value = Int(text), (1...1_000_000).contains(value) else {
                throw Abort(.badRequest, reason: request.t("error.paging.page"))
            }
            page = value
        }
        if let text = request.queryText("per") {
            guard let value = Int(text), (1...Self.maxPer).contains(value) else {
                throw Abort(.badRequest, reason: request.t("error.paging.per", ["max": String(Self.maxPer)]))
            }
            per = value
        }
    }

    func slice<T>(_ all: [T]) -> [T] {
        let start = (page - 1) * per
        guard start < all.count else { return [] }
        return Array(all[start..<min(all.count, start + per)])
    }
}

extension Response {
    /// Makes this answer a CSV download (UTF-8) named `filename`.
    func setCSV(_ text: String, filename: String) {
        body = .init(string: text)
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
    }
}
