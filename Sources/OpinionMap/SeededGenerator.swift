/// A small, fast, seedable pseudo-random number generator (xoshiro256**, seeded through SplitMix64).
///
/// The opinion map must be reproducible: the same votes and the same seed give the same map on every
/// platform and every Swift version. The standard library's `SystemRandomNumberGenerator` cannot be
/// seeded, and the standard library's `random(in:using:)` helpers do not promise a stable mapping from
/// generator output to values, so the engine draws only through the helpers defined here.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var state = seed
        func splitMix() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// Creates a generator for one named use of a seed, so that independent phases of the pipeline
    /// do not share (and perturb) each other's random streams.
    init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD605_BBB5_8C8A_BBAB))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    /// A uniformly distributed double in `0 ..< 1` with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniformly distributed integer in `0 ..< bound` (`bound > 0`), without modulo bias.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64(bound)
        // Rejection sampling on the top of the range keeps every value equally likely.
        let threshold = (0 &- limit) % limit
        while true {
            let value = next()
            if value >= threshold { return Int(value % limit) }
        }
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
