import Testing
@testable import AimaqCore

@Suite struct CSVReaderTests {
    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let rows = try CSVReader().rows("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\r\n")
        #expect(rows.map(\.fields) == [["a", "b"], ["x, y", "say \"hi\""], ["two\nlines", "z"]])
        #expect(rows.map(\.line) == [1, 2, 3])
    }

    @Test func namesTheLineOfAnUnclosedQuote() {
        #expect(throws: CSVReader.ParseError(line: 2, column: 1, message: "a quoted field is never closed")) {
            try CSVReader().rows("a,b\n\"open,b\n")
        }
    }

    @Test func recordsCheckTheHeaderAndFieldCount() throws {
        #expect(throws: CSVReader.ParseError(line: 1, column: 1, message: "the header lacks the column \"code\"")) {
            try CSVReader().records("name\nx\n", required: ["code"])
        }
        #expect(throws: CSVReader.ParseError(line: 3, column: 1, message: "expected 2 fields as in the header, found 1")) {
            try CSVReader().records("code,name\n1,a\n2\n", required: ["code"])
        }
        let records = try CSVReader(delimiter: ";").records("\u{FEFF}code;name\n1;a\n", required: ["code"])
        #expect(records.first?["name"] == "a")
        #expect(records.first?.column(of: "name") == 2)
    }

    @Test func literalQuotesWhenQuotingIsOff() throws {
        let rows = try CSVReader(delimiter: ";", quoting: false).rows("1;центр\"Сункар\"\n")
        #expect(rows.first?.fields == ["1", "центр\"Сункар\""])
    }

    @Test func piecesCutOnlyBetweenRecordsAndKeepLineNumbers() throws {
        // Quoted line ends and commas must never be cut; every piece knows its first line.
        let text = "h,v\n" + (1...40).map { $0 % 7 == 0 ? "\"two\nlines \($0)\",\"a \"\"q\"\" \($0)\"\n" : "r\($0),\($0)\n" }.joined()
        let reader = CSVReader()
        let whole = try reader.rows(text)
        let bytes = CSVReader.bytes(text)
        for parts in [1, 2, 3, 5, 16] {
            var rows: [CSVReader.Row] = []
            try bytes.withUnsafeBufferPointer { (buffer) throws(CSVReader.ParseError) in
                let pieces = reader.pieces(buffer, range: 0..<buffer.count, firstLine: 1, parts: parts)
                #expect(pieces.count == min(parts, pieces.count) && pieces.count >= 1)
                #expect(pieces.first?.range.lowerBound == 0 && pieces.last?.range.upperBound == buffer.count)
                for piece in pieces {
                    _ = try reader.read(buffer, range: piece.range, firstLine: piece.firstLine) { rows.append($0); return true }
                }
            }
            #expect(rows.map(\.fields) == whole.map(\.fields), "parts \(parts)")
            #expect(rows.map(\.line) == whole.map(\.line), "parts \(parts)")
        }
        #expect(whole.count == 41 && whole[7].fields == ["two\nlines 7", "a \"q\" 7"] && whole[8].line == 10)
    }

    @Test func readingStopsWhereTheBodySays() throws {
        let bytes = CSVReader.bytes("\u{FEFF}a,b\n1,2\n3,4\n")
        var seen: [[String]] = []
        let stop = try bytes.withUnsafeBufferPointer { (buffer) throws(CSVReader.ParseError) in
            try CSVReader().read(buffer) { seen.append($0.fields); return false }
        }
        #expect(seen == [["a", "b"]] && stop == 4)
    }
}
