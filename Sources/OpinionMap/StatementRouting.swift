import Foundation

/// Which statement a participant is shown next, chosen as Polis chooses it: at random, weighted
/// by a priority that favours statements few people have voted on (new ones above all) and
/// statements that divide people, and never one the participant has voted on.
///
/// With `S` the votes a statement has (passes included), `a = (agrees + 1)/(S + 2)` and
/// `p = (passes + 1)/(S + 2)`, and `E` the length of the statement's direction on the map:
///
///     importance = (1 − p) · (E + 1) · a
///     priority   = (importance · (1 + 8 · 2^(−S/5)))²
///
/// A statement nobody has voted on starts nine times more important than it will be once it has
/// many votes; the boost halves with every five votes.
public enum StatementRouting {
    /// A statement that can be shown, with what is known of its votes so far.
    public struct Candidate: Sendable, Hashable {
        public var id: Int
        public var agrees: Int
        public var disagrees: Int
        public var passes: Int
        /// Length of the statement's direction (its loadings) on the latest map; 0 when the map
        /// does not have it yet.
        public var extremity: Double

        public init(id: Int, agrees: Int = 0, disagrees: Int = 0, passes: Int = 0, extremity: Double = 0) {
            self.id = id
            self.agrees = agrees
            self.disagrees = disagrees
            self.passes = passes
            self.extremity = extremity
        }

        public var votes: Int { agrees + disagrees + passes }
    }

    /// The priority of a candidate (see the type's description).
    public static func priority(_ candidate: Candidate) -> Double {
        let seen = Double(candidate.votes)
        let agree = (Double(candidate.agrees) + 1) / (seen + 2)
        let pass = (Double(candidate.passes) + 1) / (seen + 2)
        let importance = (1 - pass) * (max(0, candidate.extremity) + 1) * agree
        let boosted = importance * (1 + 8 * pow(2, -seen / 5))
        return boosted * boosted
    }

    /// The statement to show next, or `nil` when the participant has voted on every candidate.
    ///
    /// The draw comes from `seed`: the same seed, candidates and votes give the same statement,
    /// so a participant who reloads the page sees the statement they were shown.
    public static func next(among candidates: [Candidate], votedOn voted: Set<Int>, seed: UInt64) -> Int? {
        let open = candidates.filter { !voted.contains($0.id) }
        guard !open.isEmpty else { return nil }
        let weights = open.map(priority)
        let total = weights.reduce(0, +)
        var generator = SeededGenerator(seed: seed)
        guard total > 0, total.isFinite else { return open[generator.nextIndex(below: open.count)].id }
        var target = generator.nextUnit() * total
        for (candidate, weight) in zip(open, weights) {
            if target < weight { return candidate.id }
            target -= weight
        }
        return open[open.count - 1].id
    }

    /// A seed for a participant's next draw: changes with every vote they cast.
    public static func seed(participant: Int, votesCast: Int, conversation: Int) -> UInt64 {
        var hasher = SeedMixer()
        hasher.mix(UInt64(bitPattern: Int64(conversation)))
        hasher.mix(UInt64(bitPattern: Int64(participant)))
        hasher.mix(UInt64(bitPattern: Int64(votesCast)))
        return hasher.value
    }
}

/// Mixes integers into a 64-bit seed (SplitMix64's finaliser), the same on every machine and
/// every run, unlike `Hasher`.
struct SeedMixer {
    private(set) var value: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func mix(_ word: UInt64) {
        var z = value &+ word &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        value = z ^ (z >> 31)
    }
}
