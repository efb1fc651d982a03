import AimaqCore
import Crypto
import Foundation

/// The key that signs every entry of the audit log (HMAC-SHA-256), kept outside the database:
/// `AIMAQ_AUDIT_KEY` (64 hex digits), else `audit.key` in the data folder, made on first use
/// and readable by its owner only. Someone who can write to the database but has not the key
/// cannot add, change or rewrite entries so that `aimaq audit verify` passes. Several servers
/// on one database must share one key: the database keeps the key's fingerprint, and a server
/// with another key refuses to start.
public enum AuditKey {
    static let fileName = "audit.key"

    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    public static func load(_ config: AimaqConfiguration) throws -> [UInt8] {
        if let text = config.auditKey {
            guard let key = bytes(hex: text), key.count >= 32 else {
                throw Problem(description: "AIMAQ_AUDIT_KEY must be at least 64 hex digits (32 bytes); make one with `openssl rand -hex 32`")
            }
            return key
        }
        let path = URL(fileURLWithPath: config.dataDirectory).appendingPathComponent(fileName).path
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard let key = bytes(hex: text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
                throw Problem(description: "\(path) does not hold an audit key (64 hex digits); restore it from a backup")
            }
            return key
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data((hex(key) + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw Problem(description: "cannot write the audit key to \(path)")
        }
        return key
    }

    /// A short public name of the key (it reveals nothing of it).
    public static func fingerprint(_ key: [UInt8]) -> String {
        String(hex(Array(SHA256.hash(data: Array("aimaq audit key".utf8) + key))).prefix(16))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    static func bytes(hex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit - 48
        case 97...102: digit - 87
        case 65...70: digit - 55
        default: nil
        }
    }
}
