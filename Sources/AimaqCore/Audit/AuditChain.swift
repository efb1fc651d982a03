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
    /// Marks a hash made with the installation's key (HMAC-SHA-256); entries written before
    /// there was a key carry a plain SHA-256 of 64 hex digits.
    public static let keyedPrefix = "k1:"

    /// Builds the next entry after `previous` (or the first one), hash included: keyed with
    /// `key` (kept outside the database) so that nobody who can only write to the database can
    /// make an entry, or rewrite the chain, that verifies.
    public static func entry(after previous: AuditRecord?, timestamp: Int64, actor: String,
                             action: String, entity: String, entityID: String,
                             before: String?, after: String?, key: [UInt8]? = nil) -> AuditRecord {
        entry(following: previous.map { (sequence: $0.sequence, hash: $0.hash) }, timestamp: timestamp, actor: actor,
              action: action, entity: entity, entityID: entityID, before: before, after: after, key: key)
    }

    /// The same, after the head of the chain given by its sequence and hash (all an entry
    /// takes from the one before it).
    public static func entry(following previous: (sequence: Int, hash: String)?, timestamp: Int64, actor: String,
                             action: String, entity: String, entityID: String,
                             before: String?, after: String?, key: [UInt8]? = nil) -> AuditRecord {
        var record = AuditRecord(
            sequence: (previous?.sequence ?? 0) + 1, timestamp: timestamp, actor: actor,
            action: action, entity: entity, entityID: entityID, before: before, after: after,
            previousHash: previous?.hash ?? genesisHash, hash: "")
        record.hash = hash(of: record, key: key)
        return record
    }

    /// Every field but the hash itself, each written with its length so that no two
    /// different entries can share a canonical form.
    static func canonical(_ record: AuditRecord) -> [UInt8] {
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
        return Array(canonical.utf8)
    }

    /// HMAC-SHA-256 of the canonical form with `key` (marked `k1:`), or its plain SHA-256.
    public static func hash(of record: AuditRecord, key: [UInt8]? = nil) -> String {
        let bytes: [UInt8]
        if let key {
            bytes = Array(HMAC<SHA256>.authenticationCode(for: canonical(record), using: SymmetricKey(data: key)))
        } else {
            bytes = Array(SHA256.hash(data: canonical(record)))
        }
        let hex = Hex.string(bytes)
        return key == nil ? hex : keyedPrefix + hex
    }

    /// What is wrong with the first entry that breaks the chain.
    public enum Break: Equatable, Sendable, CustomStringConvertible {
        case sequenceGap(expected: Int, found: Int)
        case wrongPreviousHash(sequence: Int)
        case wrongHash(sequence: Int)
        /// An entry without the key's mark after entries with it: written by someone without the key.
        case unkeyed(sequence: Int)
        /// The log ends before the anchor an operator kept: newer entries were removed.
        case truncated(anchor: Int, last: Int)
        /// The entry at the anchor is not the one the operator kept: the log was rewritten.
        case anchorMismatch(sequence: Int)

        public var sequence: Int {
            switch self {
            case .sequenceGap(_, let found): found
            case .wrongPreviousHash(let sequence), .wrongHash(let sequence), .unkeyed(let sequence),
                 .anchorMismatch(let sequence): sequence
            case .truncated(_, let last): last + 1
            }
        }

        /// How many entries before the break are intact (the chain is checked from the start).
        public var intactBefore: Int {
            switch self {
            case .sequenceGap(let expected, _): expected - 1
            case .wrongPreviousHash(let sequence), .wrongHash(let sequence), .unkeyed(let sequence),
                 .anchorMismatch(let sequence): sequence - 1
            case .truncated(_, let last): last
            }
        }

        public var description: String {
            switch self {
            case .sequenceGap(let expected, let found):
                "entry \(found): expected entry \(expected) here; entries are missing"
            case .wrongPreviousHash(let sequence):
                "entry \(sequence): does not point to the hash of the entry before it"
            case .wrongHash(let sequence):
                "entry \(sequence): its content does not match its hash (changed after writing, or written without the key)"
            case .unkeyed(let sequence):
                "entry \(sequence): not signed with the key, after entries that are (written without the key)"
            case .truncated(let anchor, let last):
                "the log ends at entry \(last), but the anchor kept entry \(anchor): newer entries were removed"
            case .anchorMismatch(let sequence):
                "entry \(sequence) is not the entry the anchor kept: the log was rewritten"
            }
        }
    }

    /// Where a check of the chain has got to, so that a long log is checked in pages.
    public struct Progress: Sendable {
        public var last: AuditRecord?
        /// Whether a keyed entry has been seen: after one, every entry must be keyed.
        public var keyedSeen = false

        public init(last: AuditRecord? = nil, keyedSeen: Bool = false) {
            self.last = last
            self.keyedSeen = keyedSeen
        }
    }

    /// Checks entries in order, continuing from `previous` (so a long log can be checked
    /// in pages); returns the first break, or `nil` when the part checked is whole. Keyed
    /// entries are checked with `key`; without it they cannot verify.
    public static func verify(_ records: [AuditRecord], after previous: AuditRecord? = nil, key: [UInt8]? = nil) -> Break? {
        var progress = Progress(last: previous, keyedSeen: previous?.hash.hasPrefix(keyedPrefix) ?? false)
        return verify(records, progress: &progress, key: key)
    }

    public static func verify(_ records: [AuditRecord], progress: inout Progress, key: [UInt8]?) -> Break? {
        var expectedSequence = (progress.last?.sequence ?? 0) + 1
        var expectedPrevious = progress.last?.hash ?? genesisHash
        for record in records {
            if record.sequence != expectedSequence {
                return .sequenceGap(expected: expectedSequence, found: record.sequence)
            }
            if record.previousHash != expectedPrevious {
                return .wrongPreviousHash(sequence: record.sequence)
            }
            let keyed = record.hash.hasPrefix(keyedPrefix)
            if !keyed && progress.keyedSeen { return .unkeyed(sequence: record.sequence) }
            if keyed {
                guard let key, hash(of: record, key: key) == record.hash else { return .wrongHash(sequence: record.sequence) }
                progress.keyedSeen = true
            } else if hash(of: record) != record.hash {
                return .wrongHash(sequence: record.sequence)
            }
            expectedSequence += 1
            expectedPrevious = record.hash
            progress.last = record
        }
        return nil
    }
}
