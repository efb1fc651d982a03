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
        let bytes = Self.bytes(text)
        var rows: [Row] = []
        try bytes.withUnsafeBufferPointer { (buffer) throws(ParseError) in
            _ = try read(buffer) { rows.append($0); return true }
        }
        return rows
    }

    /// The text's bytes without a byte-order mark.
    public static func bytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes
    }

    /// Reads the records in `bytes[range]` one at a time, without keeping them: `body` sees
    /// each record (blank lines skipped) and returns false to stop. `firstLine` is the line
    /// number the range starts on. Answers where reading stopped: the byte after the last
    /// record read.
    public func read(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil, firstLine: Int = 1,
                     _ body: (Row) -> Bool) throws(ParseError) -> Int {
        try readFields(bytes, range: range, firstLine: firstLine) { body(Row(line: $0.line, fields: $0.strings)) }
    }

    /// One record's fields as bytes (quotes taken off, doubled quotes made single), for
    /// readers of large files that would rather not make a string of every field. Meant to be
    /// read inside the `body` it is given to: one kept after it makes the reader copy its storage.
    public struct Fields {
        /// 1-based line number where the record starts in the file.
        public let line: Int
        fileprivate let bytes: [UInt8]
        fileprivate let ends: [Int]

        public var count: Int { ends.count }
        public subscript(index: Int) -> ArraySlice<UInt8> { bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]] }
        public func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }
        public var strings: [String] { (0..<count).map(string) }
    }

    /// ``read(_:range:firstLine:_:)`` without strings: `body` sees each record's fields as bytes.
    public func readFields(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil, firstLine: Int = 1,
                           _ body: (Fields) -> Bool) throws(ParseError) -> Int {
        let range = range ?? 0..<bytes.count
        // The record's field bytes one after another, and where each field ends. Handed to
        // `body` and then emptied; when `body` kept nothing, the storage is used again.
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        var ends: [Int] = []
        ends.reserveCapacity(16)
        var fieldStart = 0
        var inQuotes = false
        var line = firstLine
        var recordLine = firstLine
        var lineStart = range.lowerBound
        var fieldWasQuoted = false
        var index = range.lowerBound
        let end = range.upperBound
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let delimiter = self.delimiter, quoting = self.quoting

        func finishField() {
            ends.append(scratch.count)
            fieldStart = scratch.count
            fieldWasQuoted = false
        }
        func finishRecord() -> Bool {
            finishField()
            var goOn = true
            if !(ends.count == 1 && ends[0] == 0) {
                goOn = body(Fields(line: recordLine, bytes: scratch, ends: ends))
            }
            scratch.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            fieldStart = 0
            return goOn
        }
        // Columns count bytes from the start of the line, from 1.
        func error(_ message: String, at position: Int) -> ParseError {
            ParseError(line: line, column: position - lineStart + 1, message: message)
        }

        while index < end {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < end, bytes[index + 1] == quote {
                        scratch.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == newline { line += 1; lineStart = index + 1 }
                    scratch.append(byte)
                }
            } else if byte == delimiter {
                finishField()
            } else if byte == quote, quoting {
                guard scratch.count == fieldStart, !fieldWasQuoted else {
                    throw error("a quote inside an unquoted field", at: index)
                }
                inQuotes = true
                fieldWasQuoted = true
            } else if byte == newline {
                let goOn = finishRecord()
                line += 1
                recordLine = line
                lineStart = index + 1
                if !goOn { return index + 1 }
            } else if byte == cr {
                // Part of a CRLF line end; a lone CR is dropped too.
            } else {
                if fieldWasQuoted {
                    throw error("text after the closing quote of a field", at: index)
                }
                // The rest of an unquoted run is copied at once.
                var stop = index + 1
                while stop < end {
                    let next = bytes[stop]
                    if next == delimiter || next == newline || next == cr || (next == quote && quoting) { break }
                    stop += 1
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<stop]))
                index = stop
                continue
            }
            index += 1
        }
        if inQuotes {
            throw ParseError(line: recordLine, column: 1, message: "a quoted field is never closed")
        }
        if scratch.count > fieldStart || !ends.isEmpty || fieldWasQuoted { _ = finishRecord() }
        return end
    }

    /// Cuts `bytes[range]` into at most `parts` runs of whole records of about equal size,
    /// each with the line number it starts on, so that they can be read on several cores at
    /// once. A cut is made only at a line end outside quotes.
    public func pieces(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, firstLine: Int,
                       parts: Int) -> [(range: Range<Int>, firstLine: Int)] {
        let parts = max(1, parts)
        let size = range.count / parts
        guard parts > 1, size > 0 else { return [(range, firstLine)] }
        var pieces: [(range: Range<Int>, firstLine: Int)] = []
        var start = range.lowerBound, startLine = firstLine
        var line = firstLine
        var inQuotes = false
        var index = range.lowerBound
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
        while index < range.upperBound {
            let byte = bytes[index]
            index += 1
            if byte == quote, quoting {
                inQuotes.toggle()
            } else if byte == newline {
                line += 1
                if !inQuotes, pieces.count < parts - 1, index - start >= size {
                    pieces.append((start..<index, startLine))
                    start = index
                    startLine = line
                }
            }
        }
        if start < range.upperBound || pieces.isEmpty { pieces.append((start..<range.upperBound, startLine)) }
        return pieces
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
