/// The opinion map of a conversation: where participants stand, which groups they form, what each
/// group stands for, and what (nearly) everyone shares.
///
/// Produced by ``OpinionMapEngine``. All members are plain values, so a map can be stored, sent
/// between tasks, encoded as JSON, and handed back to the engine as the starting point of the next
/// computation.
public struct OpinionMap: Sendable, Codable, Hashable {
    /// The seed the map was computed with.
    public var seed: UInt64
    /// Every participant of the vote matrix, in matrix row order.
    public var participants: [ParticipantPlacement]
    /// Every statement of the vote matrix (moderated-out statements are not included).
    public var statements: [StatementPlacement]
    /// The opinion groups, largest first; empty when nobody could be clustered.
    public var groups: [OpinionGroup]
    /// Statements most of the clustered participants agree (or disagree) with.
    public var consensus: Consensus
    /// Every statement with the product over groups of each group's agreement (and disagreement)
    /// probability, ordered by agreement, highest first: high only where all groups agree.
    public var groupInformedConsensus: [GroupInformedConsensus]
    /// The two principal components the positions come from.
    public var components: PrincipalComponents
    /// The fine clusters (up to 100) that the groups are made of.
    public var baseClusters: [BaseCluster]
    /// Silhouette of the best grouping for each group count tried.
    public var groupCountScores: [GroupCountScore]
    /// Which group count is shown, and the run of computations behind it (Polis's rule: a new
    /// count is shown once it has been the best in `groupCountBuffer` computations in a row).
    public var groupCountState: GroupCountState?

    public init(seed: UInt64, participants: [ParticipantPlacement], statements: [StatementPlacement],
                groups: [OpinionGroup], consensus: Consensus,
                groupInformedConsensus: [GroupInformedConsensus], components: PrincipalComponents,
                baseClusters: [BaseCluster], groupCountScores: [GroupCountScore],
                groupCountState: GroupCountState? = nil) {
        self.seed = seed
        self.participants = participants
        self.statements = statements
        self.groups = groups
        self.consensus = consensus
        self.groupInformedConsensus = groupInformedConsensus
        self.components = components
        self.baseClusters = baseClusters
        self.groupCountScores = groupCountScores
        self.groupCountState = groupCountState
    }

    /// The number of participants placed in a group.
    public var clusteredParticipantCount: Int { participants.reduce(0) { $0 + ($1.group == nil ? 0 : 1) } }

    /// Group of each clustered participant, by participant identifier.
    public var groupByParticipant: [Int: Int] {
        var result: [Int: Int] = [:]
        for participant in participants {
            if let group = participant.group { result[participant.id] = group }
        }
        return result
    }
}

/// The group count of a conversation over its computations.
public struct GroupCountState: Sendable, Codable, Hashable {
    /// The count with the highest silhouette in the latest computation.
    public var best: Int
    /// How many computations in a row (this one included) had `best` as their best count.
    public var run: Int
    /// The count shown.
    public var shown: Int

    public init(best: Int, run: Int, shown: Int) {
        self.best = best
        self.run = run
        self.shown = shown
    }

    /// The state after a computation whose best count is `best`.
    public func next(best newBest: Int, buffer: Int) -> GroupCountState {
        let run = newBest == best ? run + 1 : 1
        return GroupCountState(best: newBest, run: run, shown: run >= buffer ? newBest : shown)
    }
}

/// A participant's place on the map.
public struct ParticipantPlacement: Sendable, Codable, Hashable {
    public var id: Int
    /// Position along the first and second principal components. Participants who voted on
    /// few statements are pushed outwards by √(statements / votes), so that missing votes do not
    /// pull everyone towards the centre.
    public var x: Double
    public var y: Double
    /// Statements voted on (passes included).
    public var voteCount: Int
    /// Index into ``OpinionMap/baseClusters``; `nil` for a participant who was not clustered.
    public var baseCluster: Int?
    /// Identifier of the participant's ``OpinionGroup``; `nil` for a participant who voted on too
    /// few statements to be clustered.
    public var group: Int?

    public init(id: Int, x: Double, y: Double, voteCount: Int, baseCluster: Int?, group: Int?) {
        self.id = id
        self.x = x
        self.y = y
        self.voteCount = voteCount
        self.baseCluster = baseCluster
        self.group = group
    }
}

/// A statement's direction on the map and its vote totals among all participants.
public struct StatementPlacement: Sendable, Codable, Hashable {
    public var id: Int
    /// The statement's loadings on the two principal components: a participant who agrees with it
    /// is moved in the direction (x, y), one who disagrees in the opposite direction.
    public var x: Double
    public var y: Double
    public var agrees: Int
    public var disagrees: Int
    public var passes: Int

    public var votes: Int { agrees + disagrees + passes }

    public init(id: Int, x: Double, y: Double, agrees: Int, disagrees: Int, passes: Int) {
        self.id = id
        self.x = x
        self.y = y
        self.agrees = agrees
        self.disagrees = disagrees
        self.passes = passes
    }
}

/// An opinion group: participants who vote alike.
public struct OpinionGroup: Sendable, Codable, Hashable {
    /// 0 for the largest group, 1 for the next, and so on.
    public var id: Int
    public var memberIDs: [Int]
    /// Weighted centre of the group's members on the map.
    public var x: Double
    public var y: Double
    /// What sets the group apart, most distinctive first (agreements before disagreements).
    public var representativeStatements: [RepresentativeStatement]

    public var memberCount: Int { memberIDs.count }

    public init(id: Int, memberIDs: [Int], x: Double, y: Double,
                representativeStatements: [RepresentativeStatement]) {
        self.id = id
        self.memberIDs = memberIDs
        self.x = x
        self.y = y
        self.representativeStatements = representativeStatements
    }
}

/// Whether a statement stands out (or is shared) through agreement or through disagreement.
public enum StatementStance: String, Sendable, Codable, Hashable {
    case agree
    case disagree
}

/// A statement on which a group differs from everyone else.
///
/// With `n` the group's votes on the statement (passes included) and `s` its agreements (or
/// disagreements, following ``stance``): `probability = (s + 1)/(n + 2)`; `probabilityZ` is the
/// one-proportion test of that share against one half; `representativeness` is the probability
/// over the same probability among the participants of the other groups; `representativenessZ`
/// is the two-proportion test of the group against the others; `score` is the product of the four.
public struct RepresentativeStatement: Sendable, Codable, Hashable {
    public var statementID: Int
    public var stance: StatementStance
    public var groupVotes: Int
    public var groupAgrees: Int
    public var groupDisagrees: Int
    public var probability: Double
    public var probabilityZ: Double
    public var representativeness: Double
    public var representativenessZ: Double
    public var score: Double
    /// Both z-scores pass the 90% test. A group with no significant statement is given its best
    /// candidate, marked not significant.
    public var isSignificant: Bool

    public init(statementID: Int, stance: StatementStance, groupVotes: Int, groupAgrees: Int,
                groupDisagrees: Int, probability: Double, probabilityZ: Double,
                representativeness: Double, representativenessZ: Double, score: Double,
                isSignificant: Bool) {
        self.statementID = statementID
        self.stance = stance
        self.groupVotes = groupVotes
        self.groupAgrees = groupAgrees
        self.groupDisagrees = groupDisagrees
        self.probability = probability
        self.probabilityZ = probabilityZ
        self.representativeness = representativeness
        self.representativenessZ = representativenessZ
        self.score = score
        self.isSignificant = isSignificant
    }
}

/// The statements that the clustered participants as a whole agree, or disagree, with.
public struct Consensus: Sendable, Codable, Hashable {
    public var agree: [ConsensusStatement]
    public var disagree: [ConsensusStatement]

    public init(agree: [ConsensusStatement], disagree: [ConsensusStatement]) {
        self.agree = agree
        self.disagree = disagree
    }
}

/// A statement shared by most clustered participants: `probability = (s + 1)/(n + 2)` is above one
/// half and its one-proportion z-score passes the 90% test. Ranked by `probability · probabilityZ`.
public struct ConsensusStatement: Sendable, Codable, Hashable {
    public var statementID: Int
    public var stance: StatementStance
    public var votes: Int
    public var agrees: Int
    public var disagrees: Int
    public var probability: Double
    public var probabilityZ: Double

    public init(statementID: Int, stance: StatementStance, votes: Int, agrees: Int, disagrees: Int,
                probability: Double, probabilityZ: Double) {
        self.statementID = statementID
        self.stance = stance
        self.votes = votes
        self.agrees = agrees
        self.disagrees = disagrees
        self.probability = probability
        self.probabilityZ = probabilityZ
    }
}

/// Group-informed consensus of one statement: the product over all groups of the group's smoothed
/// probability of agreeing, `(agrees + 1)/(votes + 2)` (and the same for disagreeing). A statement
/// scores high only when every group, small or large, agrees with it.
public struct GroupInformedConsensus: Sendable, Codable, Hashable {
    public var statementID: Int
    public var agree: Double
    public var disagree: Double

    public init(statementID: Int, agree: Double, disagree: Double) {
        self.statementID = statementID
        self.agree = agree
        self.disagree = disagree
    }
}

/// A fine cluster of participants, the building block of the groups.
public struct BaseCluster: Sendable, Codable, Hashable {
    public var id: Int
    public var x: Double
    public var y: Double
    public var memberCount: Int
    /// Identifier of the group the cluster belongs to.
    public var group: Int

    public init(id: Int, x: Double, y: Double, memberCount: Int, group: Int) {
        self.id = id
        self.x = x
        self.y = y
        self.memberCount = memberCount
        self.group = group
    }
}

/// How well a given number of groups separates the participants (silhouette, from -1 to 1).
public struct GroupCountScore: Sendable, Codable, Hashable {
    public var groupCount: Int
    public var silhouette: Double

    public init(groupCount: Int, silhouette: Double) {
        self.groupCount = groupCount
        self.silhouette = silhouette
    }
}
