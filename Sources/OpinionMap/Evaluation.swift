#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How closely two partitions of the same items agree.
public enum PartitionAgreement {
    /// The adjusted Rand index of two labelings of the same items: 1 for identical partitions
    /// (whatever the label names), about 0 for unrelated ones, negative for worse than chance.
    /// When both partitions are trivial in the same way (one cluster, or all singletons) it is 1.
    public static func adjustedRandIndex(_ first: [Int], _ second: [Int]) -> Double {
        precondition(first.count == second.count, "both labelings must cover the same items")
        let n = first.count
        guard n > 1 else { return 1 }
        var pairCounts: [SIMD2<Int>: Int] = [:]
        var firstCounts: [Int: Int] = [:]
        var secondCounts: [Int: Int] = [:]
        for (a, b) in zip(first, second) {
            pairCounts[SIMD2(a, b), default: 0] += 1
            firstCounts[a, default: 0] += 1
            secondCounts[b, default: 0] += 1
        }
        func pairs(_ count: Int) -> Double { Double(count) * Double(count - 1) / 2 }
        let index = pairCounts.values.reduce(0) { $0 + pairs($1) }
        let firstPairs = firstCounts.values.reduce(0) { $0 + pairs($1) }
        let secondPairs = secondCounts.values.reduce(0) { $0 + pairs($1) }
        let expected = firstPairs * secondPairs / pairs(n)
        let maximum = (firstPairs + secondPairs) / 2
        guard maximum != expected else { return 1 }
        return (index - expected) / (maximum - expected)
    }
}

/// Memory use of the running process.
public enum ProcessMemory {
    /// The peak resident set size so far, in bytes (0 where the system does not report it).
    public static func peakResidentBytes() -> Int {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        var usage = rusage()
        #if canImport(Glibc)
        let who = __rusage_who_t(RUSAGE_SELF.rawValue)
        #else
        let who = RUSAGE_SELF
        #endif
        guard getrusage(who, &usage) == 0 else { return 0 }
        #if canImport(Darwin)
        return Int(usage.ru_maxrss)  // bytes on Darwin
        #else
        return Int(usage.ru_maxrss) * 1024  // KiB on Linux
        #endif
        #else
        return 0
        #endif
    }
}

/// How a map's groups compare with reference groups (Polis's own, or planted ones).
public struct GroupComparison: Sendable, Codable, Hashable {
    /// Distinct groups in the reference.
    public var referenceGroupCount: Int
    /// Groups in the map.
    public var groupCount: Int
    /// Participants placed in a group both by the map and by the reference.
    public var commonParticipants: Int
    /// Adjusted Rand index of the two groupings over the common participants.
    public var adjustedRandIndex: Double

    /// Compares the map's groups with `reference` (group by participant identifier).
    public init(map: OpinionMap, reference: [Int: Int]) {
        var ours: [Int] = []
        var theirs: [Int] = []
        for participant in map.participants {
            if let group = participant.group, let other = reference[participant.id] {
                ours.append(group)
                theirs.append(other)
            }
        }
        referenceGroupCount = Set(reference.values).count
        groupCount = map.groups.count
        commonParticipants = ours.count
        adjustedRandIndex = ours.isEmpty ? 0 : PartitionAgreement.adjustedRandIndex(ours, theirs)
    }
}
