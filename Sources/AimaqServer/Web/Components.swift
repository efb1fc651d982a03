import AimaqCore
import Vapor

/// The pieces every capability's pages share: table headers, percentages, pagers, times and
/// the options of a select. A capability's views use these and never each other's.
enum Components {
    /// A column header.
    static func th(_ text: String, _ extra: Attribute...) -> Node {
        el("th", attributes: [Attribute("scope", "col")] + extra) { text }
    }

    /// A share as a whole percentage, or a dash when there is none.
    static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        return "\(Int((value * 100).rounded()))%"
    }

    /// Previous and next links around "page N of M"; `link` makes the address of a page.
    static func pager(total: Int, paging: Paging, _ page: PageContext, link: (Int) -> String) -> Node {
        let pages = max(1, (total + paging.per - 1) / paging.per)
        return el("nav", .class("pager"), .aria("label", page.t("nav.pages"))) {
            if paging.page > 1 {
                el("a", .href(link(paging.page - 1)), Attribute("rel", "prev")) { page.t("nav.previous") }
            }
            el("span") { page.t("nav.pageOf", ["page": String(paging.page), "pages": String(pages)]) }
            if paging.page < pages {
                el("a", .href(link(paging.page + 1)), Attribute("rel", "next")) { page.t("nav.next") }
            }
        }
    }

    /// A stored moment as people read it: the date and time in Kazakhstan, the month in the
    /// visitor's language (`1 Dec 2025, 16:06`), with the exact UTC moment for machines.
    static func time(_ milliseconds: Int64, _ page: PageContext) -> Node {
        el("time", Attribute("datetime", UTCTime.iso8601(milliseconds: milliseconds))) {
            timeText(milliseconds, page)
        }
    }

    static func timeText(_ milliseconds: Int64, _ page: PageContext) -> String {
        let (date, hour, minute) = KazakhstanTime.local(milliseconds: milliseconds)
        return "\(dateText(date, page)), \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }

    /// A date with its month named: `1 Dec 2025`.
    static func dateText(_ date: CivilDate, _ page: PageContext) -> String {
        let month = page.months.count == 12 ? page.months[date.month - 1] : String(date.month)
        return "\(date.day) \(month) \(date.year)"
    }

    /// A person as pages show them: the name and, when known, the role in the visitor's
    /// language; never an e-mail address.
    static func person(_ name: String, role: String?, _ page: PageContext) -> String {
        guard let role, !role.isEmpty else { return name }
        return "\(name) (\(page.t("role.\(role)")))"
    }

    /// A checkbox that sends `name=value`, ticked when `checked`.
    static func checkbox(_ name: String, value: String, checked: Bool) -> Node {
        checked ? void("input", .name(name), .type("checkbox"), .value(value), .flag("checked"))
            : void("input", .name(name), .type("checkbox"), .value(value))
    }

    /// An `option` of a `select`, chosen when `selected`.
    static func option(_ value: String, _ label: String, selected: Bool) -> Node {
        selected ? el("option", .value(value), .flag("selected")) { label } : el("option", .value(value)) { label }
    }
}

/// A query string made of named values, each encoded; links never join one by hand.
struct SiteQuery: Sendable, Equatable {
    /// The names of query parameters the site reads.
    enum Name: String, Sendable {
        case year, rules, share, code, from, to, territory, instruction, source, status, body, category, overdue
        case dueWithin = "due_within"
        case roadMap = "road_map"
        case sort, page, per, format, account, key, next, lang, topic, group, meeting, channel, deputy
        case csrf = "_csrf"
    }

    private(set) var items: [Item] = []

    struct Item: Sendable, Equatable {
        var name: String
        var value: String
    }

    init() {}

    init(_ pairs: [(Name, String)]) {
        for (name, value) in pairs { add(name, value) }
    }

    /// Adds `name=value`; a nil value adds nothing.
    mutating func add(_ name: Name, _ value: (any CustomStringConvertible)?) {
        guard let value else { return }
        items.append(Item(name: name.rawValue, value: value.description))
    }

    func adding(_ name: Name, _ value: (any CustomStringConvertible)?) -> SiteQuery {
        var copy = self
        copy.add(name, value)
        return copy
    }

    /// `name=value&…`, percent-encoded (RFC 3986 unreserved characters stay as they are).
    var encoded: String {
        items.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// Percent-encodes every byte of the UTF-8 but the unreserved ones, byte by byte (Foundation's
    /// `addingPercentEncoding` with a character set cost more than the rest of a page's links).
    static func encode(_ text: String) -> String {
        func isUnreserved(_ byte: UInt8) -> Bool {
            switch byte {
            case 65 ... 90, 97 ... 122, 48 ... 57, 45, 46, 95, 126: true  // A-Z a-z 0-9 - . _ ~
            default: false
            }
        }
        if text.utf8.allSatisfy(isUnreserved) { return text }
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                bytes.append(37)  // %
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 15)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension SiteURL {
    /// The path with a query: `SiteURL.register.link(SiteQuery([(.territory, "430000000")]))`.
    func link(_ query: SiteQuery) -> String {
        query.items.isEmpty ? path : path + "?" + query.encoded
    }

    func link(_ pairs: (SiteQuery.Name, String)...) -> String { link(SiteQuery(pairs)) }
}

extension SiteQuery {
    /// The pairs of a query string as a browser sends them (`+` is a space, `%XX` a byte),
    /// in order. A value whose escapes are not valid UTF-8 is kept as written, so that the
    /// reader's check names it.
    static func parse(_ query: String?) -> [Item] {
        guard let query, !query.isEmpty else { return [] }
        return query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return Item(name: decoded(parts[0]), value: parts.count > 1 ? decoded(parts[1]) : "")
        }
    }
}

extension Request {
    private struct ParsedQueryKey: StorageKey { typealias Value = [SiteQuery.Item] }

    /// The pairs of the query string, parsed once per request (Vapor's decoder parsed it again
    /// for every parameter read).
    var queryItems: [SiteQuery.Item] {
        if let items = storage[ParsedQueryKey.self] { return items }
        let items = SiteQuery.parse(url.query)
        storage[ParsedQueryKey.self] = items
        return items
    }

    /// The first value of query parameter `name`.
    func queryText(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}
