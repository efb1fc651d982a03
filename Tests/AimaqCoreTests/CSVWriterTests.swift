import AimaqCore
import Testing

@Suite struct CSVWriterTests {
    @Test func quotesOnlyWhatRFC4180Requires() {
        var csv = CSVWriter(header: ["a", "b"])
        csv.row(["plain", "with, comma"])
        csv.row(["say \"hi\"", "two\nlines"])
        #expect(csv.text == "a,b\r\nplain,\"with, comma\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
    }

    @Test func textThatASpreadsheetWouldRunIsNeutralised() {
        for start in ["=", "+", "-", "@", "\t", "\r"] {
            #expect(CSVWriter.neutralised(start + "SUM(A1)") == "'" + start + "SUM(A1)")
        }
        #expect(CSVWriter.neutralised("Almaty") == "Almaty")
        var csv = CSVWriter(header: ["text", "amount"])
        csv.row([.text("=HYPERLINK(\"x\")"), .integer(-5)])
        csv.row([.text("\rcmd"), .number("-0.250")])
        // A number stays a number; a text with a carriage return is neutralised, then quoted.
        #expect(csv.text == "text,amount\r\n\"'=HYPERLINK(\"\"x\"\")\",-5\r\n\"'\rcmd\",-0.250\r\n")
    }

    @Test func secretsCompareByContent() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd"))
        #expect(!ConstantTime.equal("abc", "abcd"))
        #expect(ConstantTime.equal([UInt8](), []))
    }
}
