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
}
