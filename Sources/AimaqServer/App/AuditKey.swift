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
            guard let key = Hex.bytes(text), key.count >= 32 else {
                throw Problem(description: "AIMAQ_AUDIT_KEY must be at least 64 hex digits (32 bytes); make one with `openssl rand -hex 32`")
            }
            return key
        }
        let path = URL(fileURLWithPath: config.dataDirectory).appendingPathComponent(fileName).path
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard let key = Hex.bytes(text.trimmingCharacters(in: .whitespacesAndNewlines)), key.count >= 32 else {
                throw Problem(description: "\(path) does not hold an audit key (64 hex digits); restore it from a backup")
            }
            return key
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data((Hex.string(key) + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw Problem(description: "cannot write the audit key to \(path)")
        }
        return key
    }

    /// A short public name of the key (it reveals nothing of it).
    public static func fingerprint(_ key: [UInt8]) -> String {
        String(Hex.sha256(Array("aimaq audit key".utf8) + key).prefix(16))
    }
}
