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

@Suite struct FileSignatureTests {
    @Test func aFileIsWhatItsFirstBytesSay() {
        #expect(FileSignature.matches(extension: "pdf", bytes: Array("%PDF-1.7\n".utf8)))
        #expect(!FileSignature.matches(extension: "pdf", bytes: Array("MZ\u{90}".utf8)))
        #expect(FileSignature.matches(extension: "PNG", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]))
        #expect(FileSignature.matches(extension: "jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0]))
        #expect(FileSignature.matches(extension: "docx", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14]))
        #expect(!FileSignature.matches(extension: "xlsx", bytes: Array("not a zip".utf8)))
        #expect(FileSignature.matches(extension: "csv", bytes: Array("a,b\r\n1,қала\r\n".utf8)))
        #expect(!FileSignature.matches(extension: "txt", bytes: [0x41, 0x00, 0x42]))
        #expect(!FileSignature.matches(extension: "exe", bytes: Array("MZ".utf8)))
    }
}
