import Foundation

/// A generated conversation with known ("planted") opinion groups, for tests and benchmarks.
///
/// The model: each group sits at its own angle on a circle, each divisive statement points in a
/// random direction, and a member of a group agrees with a statement with probability
/// `σ(3 · cos(group angle − statement angle))`, so groups far apart on the circle vote oppositely
/// and the groups are separable in two dimensions. One statement in ten is agreed by everyone
/// (probability 0.85) and one in twenty rejected by everyone, to give consensus something to find.
/// Every participant votes on each statement with probability `density`, and passes on 15% of
/// the votes. Group sizes are unequal (relative weights between 1 and 2).
public struct PlantedConversation: Sendable {
    /// The vote events, one per voted pair; participant identifiers are `0 ..< participantCount`,
    /// statement identifiers `0 ..< statementCount`. Kept unbuilt so that a benchmark can time the
    /// matrix construction on its own (and release the events afterwards).
    public var events: VoteMatrix.Builder
    /// The planted group of each participant, indexed by participant identifier.
    public var plantedGroups: [Int]
    public let participantCount: Int
    public let statementCount: Int
    public let groupCount: Int
    /// `agreeProbability[group * statementCount + statement]`: chance of agreeing, given not passing.
    private let agreeProbability: [Double]
    private static let passProbability = 0.15

    /// Generates the votes. The same arguments always give the same conversation.
    /// - Parameters:
    ///   - density: the expected fraction of statements each participant votes on, in `0 ... 1`.
    ///   - groups: the number of planted groups, at least 1.
    public static func generate(participants: Int, statements: Int, density: Double, groups: Int,
                                seed: UInt64) -> PlantedConversation {
        precondition(participants >= 0 && statements >= 0, "sizes must not be negative")
        precondition((0 ... 1).contains(density), "density must be between 0 and 1")
        precondition(groups >= 1, "at least one group")
        var generator = SeededGenerator(seed: seed)

        // Unequal group sizes: participant i belongs to group g with probability ∝ weight[g].
        let weights = (0 ..< groups).map { _ in 1 + generator.nextUnit() }
        let totalWeight = weights.reduce(0, +)
        var planted = [Int](repeating: 0, count: participants)
        for participant in 0 ..< participants {
            var target = generator.nextUnit() * totalWeight
            var group = 0
            while group < groups - 1, target >= weights[group] {
                target -= weights[group]
                group += 1
            }
            planted[participant] = group
        }

        // Each statement is a consensus one, or divisive along a random direction.
        var agreeProbability = [Double](repeating: 0, count: groups * statements)
        let groupAngles = (0 ..< groups).map { 2 * Double.pi * Double($0) / Double(groups) }
        for statement in 0 ..< statements {
            let kind = generator.nextUnit()
            let direction = generator.nextUnit() * 2 * Double.pi
            for group in 0 ..< groups {
                let probability: Double
                if kind < 0.10 {
                    probability = 0.85
                } else if kind < 0.15 {
                    probability = 0.15
                } else {
                    probability = 1 / (1 + exp(-3 * cos(groupAngles[group] - direction)))
                }
                agreeProbability[group * statements + statement] = probability
            }
        }

        var builder = VoteMatrix.Builder(
            expectedVotes: Int((Double(participants) * Double(statements) * density * 1.01).rounded(.up)) + 16)
        for participant in 0 ..< participants {
            let offset = planted[participant] * statements
            for statement in 0 ..< statements where generator.nextUnit() < density {
                let value = sample(agreeProbability[offset + statement], generator: &generator)
                builder.append(participant: participant, statement: statement, value: value)
            }
        }
        return PlantedConversation(events: builder, plantedGroups: planted,
                                   participantCount: participants, statementCount: statements,
                                   groupCount: groups, agreeProbability: agreeProbability)
    }

    /// The vote matrix of the events (built anew on every call).
    public var matrix: VoteMatrix { events.build() }

    /// A new vote by `participant` on `statement`, drawn from the same model (for update benchmarks).
    public func sampleVote(participant: Int, statement: Int, timestamp: Int64 = 0,
                           generator: inout SeededGenerator) -> Vote {
        let probability = agreeProbability[plantedGroups[participant] * statementCount + statement]
        return Vote(participant: participant, statement: statement,
                    value: Self.sample(probability, generator: &generator), timestamp: timestamp)
    }

    /// Planted groups in the order of the given participant identifiers.
    public func plantedGroups(of participantIDs: [Int]) -> [Int] {
        participantIDs.map { plantedGroups[$0] }
    }

    private static func sample(_ agreeProbability: Double, generator: inout SeededGenerator) -> VoteValue {
        let draw = generator.nextUnit()
        if draw < passProbability { return .pass }
        return (draw - passProbability) / (1 - passProbability) < agreeProbability ? .agree : .disagree
    }
}
