/// A reader of comma-separated values as written by spreadsheets and by Polis exports (RFC 4180):
/// fields may be quoted, a quoted field may hold commas, line breaks and doubled quotes (`""`),
/// and records end with LF, CRLF or CR. A UTF-8 byte order mark at the start is skipped.
public struct CSVReader: Sendable {
    private let bytes: [UInt8]
    private var index: Int
    private var line = 1

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    public init(text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// One record: its fields and the line it starts on (1-based).
    public struct Record: Sendable, Hashable {
        public var fields: [String]
        public var line: Int
    }

    /// The next record, or `nil` at the end of the input. Empty lines are skipped.
    public mutating func nextRecord() throws(CSVError) -> Record? {
        while index < bytes.count {
            let startLine = line
            var fields: [String] = []
            var field: [UInt8] = []
            var recordEnded = false
            while !recordEnded {
                guard index < bytes.count else {
                    fields.append(Self.string(field))
                    break
                }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    guard field.isEmpty else {
                        throw CSVError(line: line, field: fields.count + 1,
                                       message: "a quote inside an unquoted field")
                    }
                    try readQuoted(into: &field, field: fields.count + 1)
                case UInt8(ascii: ","):
                    fields.append(Self.string(field))
                    field.removeAll(keepingCapacity: true)
                    index += 1
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    fields.append(Self.string(field))
                    consumeLineBreak()
                    recordEnded = true
                default:
                    field.append(byte)
                    index += 1
                }
            }
            if fields.count == 1, fields[0].isEmpty { continue }  // blank line
            return Record(fields: fields, line: startLine)
        }
        return nil
    }

    /// All remaining records.
    public mutating func readAll() throws(CSVError) -> [Record] {
        var records: [Record] = []
        while let record = try nextRecord() { records.append(record) }
        return records
    }

    /// Reads a quoted field starting at the opening quote, leaving `index` after the closing one.
    private mutating func readQuoted(into field: inout [UInt8], field fieldNumber: Int) throws(CSVError) {
        let openingLine = line
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    field.append(byte)
                    index += 2
                    continue
                }
                index += 1
                if index < bytes.count {
                    let next = bytes[index]
                    if next != UInt8(ascii: ","), next != UInt8(ascii: "\n"), next != UInt8(ascii: "\r") {
                        throw CSVError(line: line, field: fieldNumber,
                                       message: "unexpected text after a closing quote")
                    }
                }
                return
            }
            if byte == UInt8(ascii: "\n") || (byte == UInt8(ascii: "\r")
                                              && !(index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\n"))) {
                line += 1
            }
            field.append(byte)
            index += 1
        }
        throw CSVError(line: openingLine, field: fieldNumber, message: "a quoted field is never closed")
    }

    private mutating func consumeLineBreak() {
        if bytes[index] == UInt8(ascii: "\r"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") {
            index += 2
        } else {
            index += 1
        }
        line += 1
    }

    private static func string(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// Malformed CSV: where (line and field number, both 1-based) and what.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var field: Int
    public var message: String

    public var description: String { "line \(line), field \(field): \(message)" }
}
