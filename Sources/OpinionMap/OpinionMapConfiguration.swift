/// The knobs of the opinion-map pipeline. The defaults are those of the Polis method.
public struct OpinionMapConfiguration: Sendable, Hashable, Codable {
    /// Seed of every random choice (starting vectors, k-means++ starts): the same votes and the
    /// same seed always give the same map.
    public var seed: UInt64
    /// A participant is clustered after voting on this many statements (or on every statement,
    /// when there are fewer).
    public var minimumVotesToCluster: Int
    /// When fewer participants reach the vote threshold, the most active others are added until
    /// this many are clustered (or everyone who voted is).
    public var minimumClusteredParticipants: Int
    /// Number of base clusters: the participants are first summarised by this many k-means centres.
    public var baseClusterCount: Int
    /// Lloyd iterations for the base clusters (they stop earlier when nothing changes).
    public var baseClusterIterations: Int
    /// The group counts tried; the one with the highest silhouette is the best of a computation.
    /// As in Polis, no more than 2 + (base clusters / `baseClustersPerExtraGroup`) are tried.
    public var minimumGroupCount: Int
    public var maximumGroupCount: Int
    public var baseClustersPerExtraGroup: Int
    /// A larger number of groups must raise the silhouette by more than this to be the best: the
    /// smallest count within this margin of the highest silhouette wins. Polis has none (0); the
    /// leave-one-out table in docs/BENCHMARKS.md is what this default stands on.
    public var groupCountMargin: Double
    /// Polis's smoothing of the group count over a conversation's computations: a new best count
    /// is shown only after it has been the best this many times in a row (the first
    /// computation shows its best at once). A map computed alone shows its best count.
    public var groupCountBuffer: Int
    /// k-means++ starts per group count; the grouping with the least inertia is kept.
    public var groupRestarts: Int
    /// Lloyd iterations limit for the groups.
    public var groupIterations: Int
    /// Representative statements kept per group.
    public var representativeStatementCount: Int
    /// Consensus statements kept per stance (agree, disagree).
    public var consensusStatementCount: Int
    /// Limit on block power iterations for the principal components.
    public var powerIterationLimit: Int
    /// Power iteration stops when each of the two components has a residual ‖Cv − λv‖ below
    /// this fraction of its own eigenvalue λ: a measure that does not grow with the number of
    /// statements. Components that stand out from the rest converge in a few iterations; when
    /// the votes have no structure the leading eigenvalues are nearly equal, their eigenvectors
    /// are not well defined, and `powerIterationLimit` ends the iteration.
    public var powerIterationTolerance: Double

    public init(seed: UInt64 = 0,
                minimumVotesToCluster: Int = 7,
                minimumClusteredParticipants: Int = 15,
                baseClusterCount: Int = 100,
                baseClusterIterations: Int = 50,
                minimumGroupCount: Int = 2,
                maximumGroupCount: Int = 5,
                baseClustersPerExtraGroup: Int = 12,
                groupCountMargin: Double = 0.06,
                groupCountBuffer: Int = 4,
                groupRestarts: Int = 10,
                groupIterations: Int = 100,
                representativeStatementCount: Int = 5,
                consensusStatementCount: Int = 5,
                powerIterationLimit: Int = 100,
                powerIterationTolerance: Double = 1e-3) {
        self.seed = seed
        self.minimumVotesToCluster = minimumVotesToCluster
        self.minimumClusteredParticipants = minimumClusteredParticipants
        self.baseClusterCount = baseClusterCount
        self.baseClusterIterations = baseClusterIterations
        self.minimumGroupCount = minimumGroupCount
        self.maximumGroupCount = maximumGroupCount
        self.baseClustersPerExtraGroup = baseClustersPerExtraGroup
        self.groupCountMargin = groupCountMargin
        self.groupCountBuffer = groupCountBuffer
        self.groupRestarts = groupRestarts
        self.groupIterations = groupIterations
        self.representativeStatementCount = representativeStatementCount
        self.consensusStatementCount = consensusStatementCount
        self.powerIterationLimit = powerIterationLimit
        self.powerIterationTolerance = powerIterationTolerance
    }
}

/// Wall-clock seconds spent in each phase of one computation.
public struct PhaseTimings: Sendable, Hashable, Codable {
    /// Choosing who is clustered and centring their votes.
    public var selection: Double = 0
    public var principalComponents: Double = 0
    public var projection: Double = 0
    public var baseClusters: Double = 0
    public var groups: Double = 0
    /// Representative statements, consensus and group-informed consensus.
    public var statistics: Double = 0

    public init() {}

    public var total: Double {
        selection + principalComponents + projection + baseClusters + groups + statistics
    }
}
