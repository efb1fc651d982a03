import Crypto

/// Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA-1 of the 30-second step,
/// six digits, what every authenticator app makes from a shared secret.
public enum TOTP {
    public static let step: Int64 = 30
    public static let digits = 6

    /// The code for the step holding `time` (seconds since 1970).
    public static func code(secret: [UInt8], time: Int64, digits: Int = digits) -> String {
        code(secret: secret, counter: UInt64(time / step), digits: digits)
    }

    public static func code(secret: [UInt8], counter: UInt64, digits: Int = digits) -> String {
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * $0)) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step a code belongs to, if it is the current one or one next to it (a phone's clock
    /// may be half a minute off), and later than `after` (a code works once).
    public static func matchingStep(_ code: String, secret: [UInt8], time: Int64, after: Int64? = nil) -> Int64? {
        let code = code.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return nil }
        let current = time / step
        for candidate in [current, current - 1, current + 1] {
            if let after, candidate <= after { continue }
            if constantTimeEqual(TOTP.code(secret: secret, counter: UInt64(candidate)), code) { return candidate }
        }
        return nil
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool { ConstantTime.equal(a, b) }

    /// The address an authenticator app reads from the QR code.
    public static func provisioningURI(secret: [UInt8], account: String, issuer: String) -> String {
        func encode(_ text: String) -> String {
            var output = ""
            for byte in text.utf8 {
                switch byte {
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: output.unicodeScalars.append(Unicode.Scalar(byte))
                default: output += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                }
            }
            return output
        }
        return "otpauth://totp/\(encode(issuer)):\(encode(account))?secret=\(Base32.encode(secret))&issuer=\(encode(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(step)"
    }
}

/// Base32 of RFC 4648 without padding, the form authenticator apps take secrets in.
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var output = ""
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = buffer << 8 | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }

    /// nil when the text holds something else than base32 (spaces and case do not matter).
    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.uppercased() where character != " " && character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = buffer << 5 | value
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return output
    }
}
