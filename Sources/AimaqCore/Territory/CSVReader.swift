/// A small RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes, a
/// byte-order mark, any one-byte delimiter. Errors name the line and column.
public struct CSVReader: Sendable {
    public struct Row: Sendable {
        /// 1-based line number where the record starts in the file.
        public let line: Int
        public let fields: [String]
    }

    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let column: Int
        public let message: String
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    public let delimiter: UInt8
    /// When false, quotes are ordinary characters (files that never quote their fields but
    /// have quotes inside names, like the KATO snapshot).
    public let quoting: Bool

    public init(delimiter: Character = ",", quoting: Bool = true) {
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
        self.quoting = quoting
    }

    /// Reads every record, the header included; blank lines are skipped.
    public func rows(_ text: String) throws(ParseError) -> [Row] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var column = 1
        var fieldWasQuoted = false
        var index = 0

        func finishField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func finishRecord() {
            finishField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                rows.append(Row(line: recordLine, fields: fields))
            }
            fields = []
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                        column += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1; column = 0 }
                    field.append(byte)
                }
            } else if byte == delimiter {
                finishField()
            } else if byte == UInt8(ascii: "\""), quoting {
                guard field.isEmpty, !fieldWasQuoted else {
                    throw ParseError(line: line, column: column,
                                     message: "a quote inside an unquoted field")
                }
                inQuotes = true
                fieldWasQuoted = true
            } else if byte == UInt8(ascii: "\n") {
                finishRecord()
                line += 1
                recordLine = line
                column = 0
            } else if byte == UInt8(ascii: "\r") {
                // Part of a CRLF line end; a lone CR is dropped too.
            } else {
                if fieldWasQuoted {
                    throw ParseError(line: line, column: column,
                                     message: "text after the closing quote of a field")
                }
                field.append(byte)
            }
            index += 1
            column += 1
        }
        if inQuotes {
            throw ParseError(line: recordLine, column: 1, message: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { finishRecord() }
        return rows
    }

    /// Reads a file with a header line into records keyed by column name. Every record must
    /// have as many fields as the header; the error names the line.
    public func records(_ text: String, required: [String]) throws(ParseError) -> [Record] {
        let all = try rows(text)
        guard let header = all.first else {
            throw ParseError(line: 1, column: 1, message: "the file is empty; expected a header line")
        }
        let names = header.fields.map { $0.trimmingPrefixAndSuffixSpaces() }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        for name in required where index[name] == nil {
            throw ParseError(line: 1, column: 1, message: "the header lacks the column \"\(name)\"")
        }
        var records: [Record] = []
        records.reserveCapacity(all.count - 1)
        for row in all.dropFirst() {
            guard row.fields.count == names.count else {
                throw ParseError(line: row.line, column: 1, message:
                    "expected \(names.count) fields as in the header, found \(row.fields.count)")
            }
            records.append(Record(line: row.line, fields: row.fields, columns: index))
        }
        return records
    }

    /// One data line of a file with a header.
    public struct Record: Sendable {
        public let line: Int
        public let fields: [String]
        let columns: [String: Int]

        public subscript(name: String) -> String {
            columns[name].map { fields[$0] } ?? ""
        }

        /// The 1-based column number of a field, for error messages.
        public func column(of name: String) -> Int { (columns[name] ?? 0) + 1 }
    }
}
