import Crypto

/// One entry of the append-only audit log. Each entry carries the hash of the one before,
/// so changing or removing any entry breaks every hash after it.
public struct AuditRecord: Hashable, Sendable, Codable {
    public var sequence: Int
    /// Milliseconds since 1970 (UTC): an integer, so the hash never depends on date formatting.
    public var timestamp: Int64
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String
    public var before: String?
    public var after: String?
    public var previousHash: String
    public var hash: String

    public init(sequence: Int, timestamp: Int64, actor: String, action: String, entity: String,
                entityID: String, before: String?, after: String?, previousHash: String, hash: String) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.before = before
        self.after = after
        self.previousHash = previousHash
        self.hash = hash
    }
}

public enum AuditChain {
    /// The hash that the first entry points back to.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Builds the next entry after `previous` (or the first one), hash included.
    public static func entry(after previous: AuditRecord?, timestamp: Int64, actor: String,
                             action: String, entity: String, entityID: String,
                             before: String?, after: String?) -> AuditRecord {
        var record = AuditRecord(
            sequence: (previous?.sequence ?? 0) + 1, timestamp: timestamp, actor: actor,
            action: action, entity: entity, entityID: entityID, before: before, after: after,
            previousHash: previous?.hash ?? genesisHash, hash: "")
        record.hash = hash(of: record)
        return record
    }

    /// SHA-256 over every field but the hash itself, each written with its length so that
    /// no two different entries can share a canonical form.
    public static func hash(of record: AuditRecord) -> String {
        var canonical = ""
        func add(_ field: String?) {
            guard let field else {
                canonical += "-;"
                return
            }
            canonical += "\(field.utf8.count):\(field);"
        }
        add(String(record.sequence))
        add(String(record.timestamp))
        add(record.actor)
        add(record.action)
        add(record.entity)
        add(record.entityID)
        add(record.before)
        add(record.after)
        add(record.previousHash)
        let digest = SHA256.hash(data: Array(canonical.utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// What is wrong with the first entry that breaks the chain.
    public enum Break: Equatable, Sendable, CustomStringConvertible {
        case sequenceGap(expected: Int, found: Int)
        case wrongPreviousHash(sequence: Int)
        case wrongHash(sequence: Int)

        public var sequence: Int {
            switch self {
            case .sequenceGap(_, let found): found
            case .wrongPreviousHash(let sequence), .wrongHash(let sequence): sequence
            }
        }

        /// How many entries before the break are intact (the chain is checked from the start).
        public var intactBefore: Int {
            switch self {
            case .sequenceGap(let expected, _): expected - 1
            case .wrongPreviousHash(let sequence), .wrongHash(let sequence): sequence - 1
            }
        }

        public var description: String {
            switch self {
            case .sequenceGap(let expected, let found):
                "entry \(found): expected entry \(expected) here; entries are missing"
            case .wrongPreviousHash(let sequence):
                "entry \(sequence): does not point to the hash of the entry before it"
            case .wrongHash(let sequence):
                "entry \(sequence): its content does not match its hash (changed after writing)"
            }
        }
    }

    /// Checks entries in order, continuing from `previous` (so a long log can be checked
    /// in pages); returns the first break, or `nil` when the part checked is whole.
    public static func verify(_ records: [AuditRecord], after previous: AuditRecord? = nil) -> Break? {
        var expectedSequence = (previous?.sequence ?? 0) + 1
        var expectedPrevious = previous?.hash ?? genesisHash
        for record in records {
            if record.sequence != expectedSequence {
                return .sequenceGap(expected: expectedSequence, found: record.sequence)
            }
            if record.previousHash != expectedPrevious {
                return .wrongPreviousHash(sequence: record.sequence)
            }
            if hash(of: record) != record.hash {
                return .wrongHash(sequence: record.sequence)
            }
            expectedSequence += 1
            expectedPrevious = record.hash
        }
        return nil
    }
}
