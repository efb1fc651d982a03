/// Writes CSV as RFC 4180 describes it (comma-separated, CRLF line ends, a field quoted when
/// it holds a comma, a quote or a line break, quotes doubled), and keeps spreadsheets from
/// running what a text field holds: a text that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is written with a leading apostrophe (OWASP's advice on CSV injection).
/// Every export of Aimaq goes through here.
public struct CSVWriter: Sendable {
    /// A field: text (neutralised when it could be read as a formula) or a number as written.
    public enum Field: Sendable, ExpressibleByStringLiteral {
        case text(String)
        case number(String)

        public init(stringLiteral value: String) { self = .text(value) }

        public static func integer<T: BinaryInteger>(_ value: T) -> Field { .number(String(value)) }
    }

    public private(set) var text = ""

    public init(header: [String]) {
        row(header.map(Field.text))
    }

    public mutating func row(_ fields: [Field]) {
        var first = true
        for field in fields {
            if !first { text += "," }
            first = false
            switch field {
            case .text(let value): text += Self.quoted(Self.neutralised(value))
            case .number(let value): text += Self.quoted(value)
            }
        }
        text += "\r\n"
    }

    /// The text with an apostrophe before a leading character a spreadsheet takes as the start
    /// of a formula.
    public static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return value }
        return "'" + value
    }

    /// The field as RFC 4180 writes it: quoted (with inner quotes doubled) only when needed.
    public static func quoted(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return value
        }
        var output = "\""
        for character in value {
            if character == "\"" { output += "\"\"" } else { output.append(character) }
        }
        return output + "\""
    }
}
