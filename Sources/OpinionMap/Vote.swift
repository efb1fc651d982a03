/// A participant's reaction to a statement.
///
/// The raw values follow the Polis export convention: agree = 1, disagree = -1, pass = 0.
public enum VoteValue: Int8, Sendable, Hashable, Codable, CaseIterable {
    case agree = 1
    case disagree = -1
    case pass = 0
}

/// One vote event: who voted, on which statement, how, and when.
///
/// Participants and statements are identified by the caller's own integer identifiers (Polis uses
/// small non-negative integers). When the same participant votes on the same statement more than
/// once, only the latest vote counts: the one with the greatest `timestamp`, or among equal
/// timestamps the one that comes last.
public struct Vote: Sendable, Hashable, Codable {
    public var participant: Int
    public var statement: Int
    public var value: VoteValue
    /// Any monotonic time (Polis uses milliseconds since 1970). Only the order matters.
    public var timestamp: Int64

    public init(participant: Int, statement: Int, value: VoteValue, timestamp: Int64 = 0) {
        self.participant = participant
        self.statement = statement
        self.value = value
        self.timestamp = timestamp
    }
}
