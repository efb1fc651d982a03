/// Agree, disagree and pass counts per statement, per group (plus one bucket for participants
/// who are in no group), gathered in one pass over the votes.
struct VoteTally {
    struct Counts {
        var agrees = 0
        var disagrees = 0
        var passes = 0
        var votes: Int { agrees + disagrees + passes }

        static func + (left: Counts, right: Counts) -> Counts {
            Counts(agrees: left.agrees + right.agrees, disagrees: left.disagrees + right.disagrees,
                   passes: left.passes + right.passes)
        }
        static func - (left: Counts, right: Counts) -> Counts {
            Counts(agrees: left.agrees - right.agrees, disagrees: left.disagrees - right.disagrees,
                   passes: left.passes - right.passes)
        }
    }

    let groupCount: Int
    let statementCount: Int
    /// `counts[3 * (bucket * statementCount + column) + vote + 1]`, bucket `groupCount` being
    /// "in no group": disagree, pass and agree counts side by side, so counting needs no branch.
    private let counts: [Int32]

    init(matrix: VoteMatrix, groupOfRow: [Int32], groupCount: Int) {
        self.groupCount = groupCount
        let m = matrix.statementCount
        statementCount = m
        // Each chunk of rows counts into its own table; integer sums do not depend on the split.
        let size = 3 * (groupCount + 1) * m
        let chunks = RowChunks(rowStart: matrix.rowStart, minimumWork: 262_144)
        var tables = [Int32](repeating: 0, count: size * chunks.count)
        tables.withUnsafeMutableBufferPointer { tables in
            let base = UnsafeSendable(tables.baseAddress!)
            groupOfRow.withUnsafeBufferPointer { groupOfRow in
                matrix.rowStart.withUnsafeBufferPointer { rowStart in
                    matrix.columns.withUnsafeBufferPointer { columns in
                        matrix.values.withUnsafeBufferPointer { values in
                            chunks.forEach { chunk, rows in
                                let counts = base.pointer + size * chunk
                                for row in rows {
                                    let group = Int(groupOfRow[row])
                                    let offset = 3 * (group < 0 ? groupCount : group) * m + 1
                                    for position in rowStart[row] ..< rowStart[row + 1] {
                                        let index = offset &+ 3 &* Int(columns[position]) &+ Int(values[position])
                                        counts[index] &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var counts = Array(tables.prefix(size))
        for chunk in 1 ..< max(chunks.count, 1) {
            for index in 0 ..< size { counts[index] &+= tables[chunk * size + index] }
        }
        self.counts = counts
    }

    func group(_ group: Int, _ column: Int) -> Counts {
        let base = 3 * (group * statementCount + column)
        return Counts(agrees: Int(counts[base + 2]), disagrees: Int(counts[base]), passes: Int(counts[base + 1]))
    }

    /// Counts over all groups (the clustered participants).
    func clustered(_ column: Int) -> Counts {
        var total = Counts()
        for group in 0 ..< groupCount { total = total + self.group(group, column) }
        return total
    }

    /// Counts over everyone, clustered or not.
    func allParticipants(_ column: Int) -> Counts {
        clustered(column) + group(groupCount, column)
    }
}

/// Representative statements, consensus and group-informed consensus from a ``VoteTally``.
struct StatementStatistics {
    let tally: VoteTally
    let statementIDs: [Int]
    let configuration: OpinionMapConfiguration

    /// The statements on which a group differs most from the participants of the other groups.
    ///
    /// For each statement the stance is the one whose two-proportion test against the other groups
    /// is stronger. Statements whose one-proportion and two-proportion z-scores both pass the 90%
    /// test are ranked by the product of probability, its z-score, representativeness and its
    /// z-score; the best few are kept, agreements listed before disagreements. A group with no
    /// significant statement gets its single best candidate, marked as not significant.
    /// With only one group there is nobody to differ from, and the list is empty.
    func representativeStatements(ofGroup group: Int) -> [RepresentativeStatement] {
        guard tally.groupCount >= 2 else { return [] }
        var significant: [RepresentativeStatement] = []
        var fallback: RepresentativeStatement?
        for column in 0 ..< tally.statementCount {
            let inside = tally.group(group, column)
            guard inside.votes > 0 else { continue }
            let outside = tally.clustered(column) - inside
            let agree = measure(.agree, column: column, inside: inside, outside: outside)
            let disagree = measure(.disagree, column: column, inside: inside, outside: outside)
            let candidate = agree.representativenessZ >= disagree.representativenessZ ? agree : disagree
            if candidate.isSignificant {
                significant.append(candidate)
            } else if candidate.probabilityZ > 0, candidate.representativenessZ > 0,
                      fallback == nil || Self.ranksBefore(candidate, fallback!) {
                fallback = candidate
            }
        }
        if significant.isEmpty { return fallback.map { [$0] } ?? [] }
        let kept = significant.sorted(by: Self.ranksBefore).prefix(max(configuration.representativeStatementCount, 0))
        return kept.filter { $0.stance == .agree } + kept.filter { $0.stance == .disagree }
    }

    private func measure(_ stance: StatementStance, column: Int,
                         inside: VoteTally.Counts, outside: VoteTally.Counts) -> RepresentativeStatement {
        let successes = stance == .agree ? inside.agrees : inside.disagrees
        let otherSuccesses = stance == .agree ? outside.agrees : outside.disagrees
        let probability = ProportionTests.probability(successes: successes, trials: inside.votes)
        let probabilityZ = ProportionTests.oneProportionZ(successes: successes, trials: inside.votes)
        let otherProbability = ProportionTests.probability(successes: otherSuccesses, trials: outside.votes)
        let representativeness = probability / otherProbability
        let representativenessZ = ProportionTests.twoProportionZ(
            successes: successes, trials: inside.votes,
            otherSuccesses: otherSuccesses, otherTrials: outside.votes)
        return RepresentativeStatement(
            statementID: statementIDs[column], stance: stance, groupVotes: inside.votes,
            groupAgrees: inside.agrees, groupDisagrees: inside.disagrees,
            probability: probability, probabilityZ: probabilityZ,
            representativeness: representativeness, representativenessZ: representativenessZ,
            score: representativeness * representativenessZ * probability * probabilityZ,
            isSignificant: ProportionTests.isSignificant(probabilityZ)
                && ProportionTests.isSignificant(representativenessZ))
    }

    private static func ranksBefore(_ a: RepresentativeStatement, _ b: RepresentativeStatement) -> Bool {
        a.score != b.score ? a.score > b.score : a.statementID < b.statementID
    }

    /// Statements that the clustered participants as a whole agree (disagree) with: smoothed
    /// probability above one half and a significant one-proportion test, ranked by
    /// probability × z-score.
    func consensus() -> Consensus {
        var agree: [ConsensusStatement] = []
        var disagree: [ConsensusStatement] = []
        for column in 0 ..< tally.statementCount {
            let counts = tally.clustered(column)
            guard counts.votes > 0 else { continue }
            for stance in [StatementStance.agree, .disagree] {
                let successes = stance == .agree ? counts.agrees : counts.disagrees
                let probability = ProportionTests.probability(successes: successes, trials: counts.votes)
                let z = ProportionTests.oneProportionZ(successes: successes, trials: counts.votes)
                guard probability > 0.5, ProportionTests.isSignificant(z) else { continue }
                let statement = ConsensusStatement(
                    statementID: statementIDs[column], stance: stance, votes: counts.votes,
                    agrees: counts.agrees, disagrees: counts.disagrees,
                    probability: probability, probabilityZ: z)
                if stance == .agree { agree.append(statement) } else { disagree.append(statement) }
            }
        }
        func best(_ statements: [ConsensusStatement]) -> [ConsensusStatement] {
            let sorted = statements.sorted { a, b in
                let scoreA = a.probability * a.probabilityZ, scoreB = b.probability * b.probabilityZ
                return scoreA != scoreB ? scoreA > scoreB : a.statementID < b.statementID
            }
            return Array(sorted.prefix(max(configuration.consensusStatementCount, 0)))
        }
        return Consensus(agree: best(agree), disagree: best(disagree))
    }

    /// Every statement's product over groups of the smoothed agreement (and disagreement)
    /// probability, highest agreement first. Empty when there are no groups.
    func groupInformedConsensus() -> [GroupInformedConsensus] {
        guard tally.groupCount > 0 else { return [] }
        var result: [GroupInformedConsensus] = []
        result.reserveCapacity(tally.statementCount)
        for column in 0 ..< tally.statementCount {
            var agree = 1.0
            var disagree = 1.0
            for group in 0 ..< tally.groupCount {
                let counts = tally.group(group, column)
                agree *= ProportionTests.probability(successes: counts.agrees, trials: counts.votes)
                disagree *= ProportionTests.probability(successes: counts.disagrees, trials: counts.votes)
            }
            result.append(GroupInformedConsensus(statementID: statementIDs[column], agree: agree, disagree: disagree))
        }
        return result.sorted { a, b in a.agree != b.agree ? a.agree > b.agree : a.statementID < b.statementID }
    }
}
