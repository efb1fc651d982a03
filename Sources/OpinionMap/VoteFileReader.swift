/// Reads a Polis `votes.csv` straight from its bytes: the four columns it needs become whole
/// numbers without a string being made for any field, so an export of 8 million votes reads
/// in well under a second. Quoted fields (in columns it skips, such as `datetime`) are
/// understood; any problem is reported with the file, line and column, as `CSVReader` would.
enum VoteFileReader {
    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""),
                       newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

    static func parse(_ bytes: [UInt8], file: String) throws(PolisExportError) -> [Vote] {
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        // The header: the first record, read by the general reader.
        var headerEnd = start
        var inQuotes = false
        while headerEnd < bytes.count {
            let byte = bytes[headerEnd]
            if byte == quote { inQuotes.toggle() } else if !inQuotes && (byte == newline || byte == carriageReturn) { break }
            headerEnd += 1
        }
        var headerReader = CSVReader(bytes: Array(bytes[start..<headerEnd]))
        let headerRecord: CSVReader.Record?
        do throws(CSVError) {
            headerRecord = try headerReader.nextRecord()
        } catch {
            throw PolisExportError(file: file, line: 1, column: nil, message: error.message)
        }
        guard let headerRecord else {
            throw PolisExportError(file: file, line: 1, column: nil, message: "the file is empty")
        }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) throws(PolisExportError) -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw PolisExportError(file: file, line: 1, column: name, message: "missing column \"\(name)\" in the header")
            }
            return index
        }
        // What each field is for: 0 skipped, 1 timestamp, 2 statement, 3 participant, 4 vote.
        var roles = [UInt8](repeating: 0, count: header.count)
        roles[try column("timestamp")] = 1
        roles[try column("comment-id")] = 2
        roles[try column("voter-id")] = 3
        roles[try column("vote")] = 4
        var position = headerEnd
        if position < bytes.count, bytes[position] == carriageReturn { position += 1 }
        if position < bytes.count, bytes[position] == newline { position += 1 }

        var votes: [Vote] = []
        votes.reserveCapacity(bytes.count / 24)
        var line = 2
        let result: Result<[Vote], PolisExportError> = bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            func failure(_ line: Int, _ field: Int?, _ message: String) -> Result<[Vote], PolisExportError> {
                .failure(PolisExportError(file: file, line: line, column: field.flatMap { $0 < header.count ? header[$0] : nil },
                                          message: message))
            }
            while position < count {
                // A blank line is skipped.
                if buffer[position] == newline || buffer[position] == carriageReturn {
                    if buffer[position] == carriageReturn, position + 1 < count, buffer[position + 1] == newline { position += 1 }
                    position += 1
                    line += 1
                    continue
                }
                let recordLine = line
                var field = 0
                var numbers: (timestamp: Int, statement: Int, participant: Int, value: Int) = (0, 0, 0, 0)
                while true {
                    var first = position, last = position
                    if position < count, buffer[position] == quote {
                        position += 1
                        first = position
                        var closed = false
                        while position < count {
                            let byte = buffer[position]
                            if byte == quote {
                                if position + 1 < count, buffer[position + 1] == quote { position += 2; continue }
                                closed = true
                                break
                            }
                            if byte == newline { line += 1 }
                            position += 1
                        }
                        guard closed else { return failure(recordLine, field, "a quoted field is never closed") }
                        last = position
                        position += 1
                        if position < count, buffer[position] != comma, buffer[position] != newline, buffer[position] != carriageReturn {
                            return failure(line, field, "unexpected text after a closing quote")
                        }
                    } else {
                        while position < count, buffer[position] != comma, buffer[position] != newline,
                              buffer[position] != carriageReturn {
                            position += 1
                        }
                        last = position
                    }
                    let role = field < roles.count ? roles[field] : 0
                    if role != 0 {
                        guard let number = integer(buffer, first, last) else {
                            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[first..<last]), as: UTF8.self)
                                .trimmingCharacters(in: .whitespaces)
                            return failure(recordLine, field, "expected a whole number, found \"\(text)\"")
                        }
                        switch role {
                        case 1: numbers.timestamp = number
                        case 2: numbers.statement = number
                        case 3: numbers.participant = number
                        default: numbers.value = number
                        }
                    }
                    field += 1
                    if position >= count { break }
                    if buffer[position] == comma {
                        position += 1
                        if position >= count { field += 1; break }  // a last, empty field
                        continue
                    }
                    if buffer[position] == carriageReturn, position + 1 < count, buffer[position + 1] == newline { position += 1 }
                    position += 1
                    line += 1
                    break
                }
                guard field == header.count else {
                    return failure(recordLine, nil, "\(field) fields where the header has \(header.count)")
                }
                guard (-1...1).contains(numbers.value), let value = VoteValue(rawValue: Int8(numbers.value)) else {
                    return failure(recordLine, roles.firstIndex(of: 4),
                                   "vote must be 1 (agree), -1 (disagree) or 0 (pass), not \(numbers.value)")
                }
                votes.append(Vote(participant: numbers.participant, statement: numbers.statement, value: value,
                                  timestamp: Int64(numbers.timestamp)))
            }
            return .success(votes)
        }
        return try result.get()
    }

    /// The whole number written in `buffer[first..<last]` (spaces around it allowed), or nil.
    private static func integer(_ buffer: UnsafeBufferPointer<UInt8>, _ first: Int, _ last: Int) -> Int? {
        var start = first, end = last
        while start < end, buffer[start] == UInt8(ascii: " ") || buffer[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, buffer[end - 1] == UInt8(ascii: " ") || buffer[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard start < end else { return nil }
        var negative = false
        if buffer[start] == UInt8(ascii: "-") || buffer[start] == UInt8(ascii: "+") {
            negative = buffer[start] == UInt8(ascii: "-")
            start += 1
        }
        guard start < end, end - start <= 18 else { return nil }
        var number = 0
        for index in start..<end {
            let digit = Int(buffer[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            number = number * 10 + digit
        }
        return negative ? -number : number
    }
}
