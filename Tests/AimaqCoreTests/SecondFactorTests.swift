import AimaqCore
import Foundation
import Testing

@Suite struct SecondFactorTests {
    /// RFC 6238, appendix B (SHA-1, eight digits).
    @Test func codesMatchTheRFCTestVectors() {
        let secret = Array("12345678901234567890".utf8)
        let vectors: [(Int64, String)] = [(59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
                                          (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130")]
        for (time, code) in vectors {
            #expect(TOTP.code(secret: secret, time: time, digits: 8) == code, "at \(time)")
        }
        #expect(TOTP.code(secret: secret, time: 59) == "287082")
    }

    @Test func aCodeWorksInItsStepAndTheNeighboursOnceOnly() {
        let secret = Array("12345678901234567890".utf8)
        let now: Int64 = 1_234_567_890
        let code = TOTP.code(secret: secret, time: now)
        #expect(TOTP.matchingStep(code, secret: secret, time: now) == now / 30)
        #expect(TOTP.matchingStep(code, secret: secret, time: now + 30) == now / 30, "half a minute late still counts")
        #expect(TOTP.matchingStep(code, secret: secret, time: now + 90) == nil)
        #expect(TOTP.matchingStep(code, secret: secret, time: now, after: now / 30) == nil, "the same code again")
        #expect(TOTP.matchingStep("12 34", secret: secret, time: now) == nil)
    }

    /// RFC 4648, section 10.
    @Test func base32MatchesTheRFC() {
        let vectors = [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"),
                       ("foobar", "MZXW6YTBOI")]
        for (text, encoded) in vectors {
            #expect(Base32.encode(Array(text.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(text.utf8))
        }
        #expect(Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(Base32.decode("MZ1") == nil)
    }

    @Test func aQRCodeHasItsFixedPatterns() throws {
        let code = try QRCode(text: "otpauth://totp/Aimaq:aigerim%40akimat.kz?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Aimaq")
        #expect(code.size == code.version * 4 + 17)
        // The three finder patterns: a dark ring, a light ring, a dark 3×3 centre.
        for (row, column) in [(0, 0), (0, code.size - 7), (code.size - 7, 0)] {
            #expect(code.modules[row][column] && code.modules[row + 6][column + 6])
            #expect(!code.modules[row + 1][column + 1] && code.modules[row + 3][column + 3])
        }
        // Timing pattern between them.
        #expect((8..<(code.size - 8)).allSatisfy { code.modules[6][$0] == ($0 % 2 == 0) })
        #expect(throws: QRCode.TooLong.self) { try QRCode(text: String(repeating: "x", count: 300)) }
        #expect(code.svg(label: "a <code>").contains("aria-label=\"a &lt;code>\""))
    }

    /// Read back by a real decoder (zbar, from Debian's zbar-tools, which CI installs).
    @Test func aQRCodeReadsBackWithARealDecoder() throws {
        let zbar = "/usr/bin/zbarimg"
        guard FileManager.default.isExecutableFile(atPath: zbar) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("zbarimg is missing: install zbar-tools") }
            return
        }
        for text in ["A", "otpauth://totp/Aimaq:aigerim%40akimat.kz?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Aimaq&algorithm=SHA1&digits=6&period=30",
                     String(repeating: "Қазақстан ", count: 11)] {
            let code = try QRCode(text: text)
            // A plain greyscale image (PGM), 4 pixels a module, with the quiet zone.
            let scale = 4, side = (code.size + 8) * scale
            var pixels = [UInt8](repeating: 255, count: side * side)
            for row in 0..<code.size {
                for column in 0..<code.size where code.modules[row][column] {
                    for dy in 0..<scale {
                        for dx in 0..<scale { pixels[((row + 4) * scale + dy) * side + (column + 4) * scale + dx] = 0 }
                    }
                }
            }
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm").path
            try (Data("P5\n\(side) \(side)\n255\n".utf8) + Data(pixels)).write(to: URL(fileURLWithPath: path))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: zbar)
            process.arguments = ["--quiet", "--raw", "-Sbinary", path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            let read = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(read.trimmingCharacters(in: .newlines) == text, "version \(code.version)")
        }
    }
}
