/// Computes opinion maps from vote matrices, following the Polis method:
///
/// 1. **Who is clustered**: participants who voted on at least `min(7, statements)` statements,
///    topped up to 15 with the most active others (and, on an update, everyone clustered before).
///    As in Polis, a moderated-out statement stays a column of zeros: votes on it count here, and
///    it counts among the statements and every participant's votes in step 3.
/// 2. **Principal components**: the top two eigenvectors of the covariance of the clustered
///    participants' votes, missing votes filled with the statement's mean, by block power iteration.
/// 3. **Positions**: each participant's centred votes projected on the components and scaled by
///    √(statements / votes cast).
/// 4. **Base clusters**: k-means (k up to 100) on the clustered positions.
/// 5. **Groups**: weighted k-means on the base-cluster centres for 2 to min(5, 2 + base / 12)
///    groups; the count with the highest silhouette (a larger one by `groupCountMargin`) is the
///    best, and a map computed from an earlier one shows a new best only after
///    `groupCountBuffer` computations in a row (Polis's rule).
/// 6. **Statements**: representative statements per group, consensus statements, and
///    group-informed consensus.
///
/// The engine is a value with no state of its own: the same matrix, configuration and starting
/// map always give the same result. Passing the previous map as the starting point makes an update
/// fast (the power iteration and k-means start from the previous solution) and keeps the picture
/// stable (axes keep their orientation, groups their centres).
public struct OpinionMapEngine: Sendable {
    public var configuration: OpinionMapConfiguration

    public init(configuration: OpinionMapConfiguration = OpinionMapConfiguration()) {
        self.configuration = configuration
    }

    /// The opinion map of `matrix`, optionally starting from an earlier map of the same conversation.
    public func map(_ matrix: VoteMatrix, startingFrom previous: OpinionMap? = nil) -> OpinionMap {
        measuredMap(matrix, startingFrom: previous).map
    }

    /// Adds new votes to `matrix` and recomputes the map, starting from `previous`.
    public func update(_ previous: OpinionMap, matrix: inout VoteMatrix, newVotes: [Vote]) -> OpinionMap {
        matrix.apply(newVotes)
        return map(matrix, startingFrom: previous)
    }

    /// Like ``map(_:startingFrom:)``, also reporting the time spent in each phase.
    public func measuredMap(_ matrix: VoteMatrix,
                            startingFrom previous: OpinionMap? = nil) -> (map: OpinionMap, timings: PhaseTimings) {
        var timings = PhaseTimings()
        let clock = ContinuousClock()
        var lapStart = clock.now
        func lap() -> Double {
            let now = clock.now
            let elapsed = lapStart.duration(to: now)
            lapStart = now
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }

        let selection = ClusteredSelection(matrix: matrix, configuration: configuration,
                                           previouslyClustered: previous?.participants)
        let centred = selection.centredRows(of: matrix)
        timings.selection = lap()

        let components = principalComponents(of: centred, selection: selection, matrix: matrix,
                                             previous: previous?.components)
        timings.principalComponents = lap()

        let positions = project(matrix, on: components)
        timings.projection = lap()

        let base = baseClusters(positions: positions, selection: selection, previous: previous)
        timings.baseClusters = lap()

        let grouping = groups(of: base, previous: previous)
        timings.groups = lap()

        let map = assemble(matrix: matrix, selection: selection, components: components,
                           positions: positions, base: base, grouping: grouping)
        timings.statistics = lap()
        return (map, timings)
    }

    // MARK: Principal components

    private func principalComponents(of centred: CentredRows, selection: ClusteredSelection,
                                     matrix: VoteMatrix, previous: PrincipalComponents?) -> PrincipalComponents {
        let statementIDs = matrix.statementIDs
        let m = statementIDs.count
        // Start from the previous components, carried over by statement identifier.
        var start: [[Double]] = []
        if let previous {
            var previousColumn: [Int: Int] = [:]
            for (column, id) in previous.statementIDs.enumerated() { previousColumn[id] = column }
            for vector in [previous.first, previous.second] {
                var carried = [Double](repeating: 0, count: m)
                for (column, id) in statementIDs.enumerated() {
                    if let old = previousColumn[id], old < vector.count { carried[column] = vector[old] }
                }
                start.append(carried)
            }
        }
        var generator = SeededGenerator(seed: configuration.seed, stream: 1)
        let solver = SubspaceIteration(matrix: centred,
                                       maximumIterations: max(1, configuration.powerIterationLimit),
                                       tolerance: configuration.powerIterationTolerance)
        let solution = solver.solve(start: start, generator: &generator)

        // Eigenvectors have no sign of their own: keep the previous orientation when there is one,
        // otherwise make the largest loading positive.
        var vectors = solution.vectors
        for k in 0 ..< 2 where !vectors[k].isEmpty {
            let alignment = k < start.count ? zip(vectors[k], start[k]).reduce(0) { $0 + $1.0 * $1.1 } : 0
            var flip = alignment < 0
            if alignment == 0, let largest = vectors[k].indices.max(by: { abs(vectors[k][$0]) < abs(vectors[k][$1]) }) {
                flip = vectors[k][largest] < 0
            }
            if flip { vectors[k] = vectors[k].map { -$0 } }
        }
        let participants = Double(max(selection.rows.count, 1))
        return PrincipalComponents(statementIDs: statementIDs, means: selection.means,
                                   first: vectors[0], second: vectors[1],
                                   variances: solution.eigenvalues.map { $0 / participants },
                                   totalVariance: solution.trace / participants,
                                   iterations: solution.iterations)
    }

    /// Every participant's position: centred votes times the components, scaled by
    /// √(statements / votes cast) so that a sparse voter is not pulled to the centre. Polis keeps a
    /// moderated-out statement as a column of zeros for everyone: it adds nothing to the position
    /// but counts among both the statements and every participant's votes.
    private func project(_ matrix: VoteMatrix, on components: PrincipalComponents) -> [SIMD2<Double>] {
        let m = matrix.statementCount
        let zeroColumns = matrix.moderatedStatementCount
        var loadings = [SIMD2<Double>](repeating: .zero, count: m)
        var meanShift = [Double](repeating: 0, count: m)
        for j in 0 ..< m {
            loadings[j] = SIMD2(components.first[j], components.second[j])
            meanShift[j] = components.means[j]
        }
        var positions = [SIMD2<Double>](repeating: .zero, count: matrix.participantCount)
        let chunks = RowChunks(rowStart: matrix.rowStart, minimumWork: 262_144)
        positions.withUnsafeMutableBufferPointer { positions in
            let output = UnsafeSendable(positions.baseAddress!)
            loadings.withUnsafeBufferPointer { loadings in
                meanShift.withUnsafeBufferPointer { means in
                    matrix.rowStart.withUnsafeBufferPointer { rowStart in
                        matrix.columns.withUnsafeBufferPointer { columns in
                            matrix.values.withUnsafeBufferPointer { values in
                                chunks.forEach { _, rows in
                                    for row in rows {
                                        let range = rowStart[row] ..< rowStart[row + 1]
                                        guard !range.isEmpty else { continue }
                                        var sum = SIMD2<Double>.zero
                                        for position in range {
                                            let column = Int(columns[position])
                                            sum += (Double(values[position]) - means[column]) * loadings[column]
                                        }
                                        let cast = range.count + zeroColumns
                                        output.pointer[row] = sum * (Double(m + zeroColumns) / Double(cast)).squareRoot()
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return positions
    }

    // MARK: Clustering

    private struct BaseClustering {
        /// Rows of the clustered participants, ascending.
        var rows: [Int]
        var centres: [SIMD2<Double>]
        var memberCounts: [Int]
        /// Base cluster of each clustered participant (parallel to `rows`).
        var assignment: [Int]
    }

    private func baseClusters(positions: [SIMD2<Double>], selection: ClusteredSelection,
                              previous: OpinionMap?) -> BaseClustering {
        let rows = selection.rows
        let points = rows.map { positions[$0] }
        let kMeans = PlaneKMeans(points: points, weights: [Double](repeating: 1, count: points.count))
        let k = min(max(configuration.baseClusterCount, 1), points.count)
        var generator = SeededGenerator(seed: configuration.seed, stream: 2)
        let carried = previous?.baseClusters.map { SIMD2($0.x, $0.y) } ?? []
        let start = kMeans.plusPlusCentres(count: k, existing: carried, generator: &generator)
        let solution = kMeans.refine(from: start, maximumIterations: configuration.baseClusterIterations)
        var counts = [Int](repeating: 0, count: solution.centres.count)
        for c in solution.assignment { counts[c] += 1 }
        return BaseClustering(rows: rows, centres: solution.centres, memberCounts: counts,
                              assignment: solution.assignment)
    }

    private struct Grouping {
        /// Group of each base cluster; groups are numbered largest first.
        var groupOfBase: [Int]
        var centres: [SIMD2<Double>]
        var scores: [GroupCountScore]
        var state: GroupCountState?
    }

    private func groups(of base: BaseClustering, previous: OpinionMap?) -> Grouping {
        let baseCount = base.centres.count
        guard baseCount > 0 else { return Grouping(groupOfBase: [], centres: [], scores: []) }
        let weights = base.memberCounts.map(Double.init)
        let kMeans = PlaneKMeans(points: base.centres, weights: weights)
        var generator = SeededGenerator(seed: configuration.seed, stream: 3)
        let previousCentres = previous?.groups.map { SIMD2($0.x, $0.y) } ?? []

        var candidates: [(assignment: [Int], centres: [SIMD2<Double>], silhouette: Double)] = []
        var scores: [GroupCountScore] = []
        let lowest = max(configuration.minimumGroupCount, 2)
        // Polis tries no more groups than the base clusters can tell apart.
        let highest = min(configuration.maximumGroupCount, baseCount,
                          2 + baseCount / max(configuration.baseClustersPerExtraGroup, 1))
        if lowest <= highest {
            for k in lowest ... highest {
                var candidate: PlaneKMeans.Solution?
                func consider(_ start: [SIMD2<Double>]) {
                    guard start.count == k else { return }
                    let solution = kMeans.refine(from: start, maximumIterations: configuration.groupIterations)
                    guard solution.centres.count == k else { return }
                    if let current = candidate, solution.inertia >= current.inertia * (1 - 1e-12) { return }
                    candidate = solution
                }
                if previousCentres.count == k { consider(previousCentres) }
                for _ in 0 ..< max(configuration.groupRestarts, 1) {
                    consider(kMeans.plusPlusCentres(count: k, generator: &generator))
                }
                guard let solution = candidate else { continue }
                let silhouette = kMeans.silhouette(assignment: solution.assignment, clusterCount: k)
                scores.append(GroupCountScore(groupCount: k, silhouette: silhouette))
                candidates.append((solution.assignment, solution.centres, silhouette))
            }
        }
        // The best: the fewest groups whose silhouette is within the margin of the highest. The
        // count shown follows Polis's smoothing over the conversation's computations.
        let bestSilhouette = candidates.map(\.silhouette).max() ?? 0
        let best = candidates.first { $0.silhouette >= bestSilhouette - max(configuration.groupCountMargin, 0) }
        var state: GroupCountState?
        if let best {
            let count = best.centres.count
            state = previous?.groupCountState?.next(best: count, buffer: max(configuration.groupCountBuffer, 1))
                ?? GroupCountState(best: count, run: 1, shown: count)
        }
        let shown = state.flatMap { state in candidates.first { $0.centres.count == state.shown } } ?? best
        if let shownCount = shown?.centres.count, let current = state, current.shown != shownCount {
            state?.shown = shownCount  // the count shown before cannot be made now: the best is shown
        }
        // Fewer than two distinct base clusters (or no group count allowed): one group of everyone.
        let chosen = shown ?? (assignment: [Int](repeating: 0, count: baseCount),
                              centres: [weightedCentre(base.centres, weights: weights)], silhouette: 0)

        // Number the groups largest first (ties: leftmost, then lowest), for a stable presentation.
        let k = chosen.centres.count
        var sizes = [Int](repeating: 0, count: k)
        for (b, g) in chosen.assignment.enumerated() { sizes[g] += base.memberCounts[b] }
        let order = (0 ..< k).sorted { a, b in
            if sizes[a] != sizes[b] { return sizes[a] > sizes[b] }
            if chosen.centres[a].x != chosen.centres[b].x { return chosen.centres[a].x < chosen.centres[b].x }
            if chosen.centres[a].y != chosen.centres[b].y { return chosen.centres[a].y < chosen.centres[b].y }
            return a < b
        }
        var rank = [Int](repeating: 0, count: k)
        for (position, g) in order.enumerated() { rank[g] = position }
        return Grouping(groupOfBase: chosen.assignment.map { rank[$0] },
                        centres: order.map { chosen.centres[$0] },
                        scores: scores, state: state)
    }

    private func weightedCentre(_ points: [SIMD2<Double>], weights: [Double]) -> SIMD2<Double> {
        var sum = SIMD2<Double>.zero
        var total = 0.0
        for (point, weight) in zip(points, weights) {
            sum += weight * point
            total += weight
        }
        return total > 0 ? sum / total : .zero
    }

    // MARK: Result

    private func assemble(matrix: VoteMatrix, selection: ClusteredSelection,
                          components: PrincipalComponents, positions: [SIMD2<Double>],
                          base: BaseClustering, grouping: Grouping) -> OpinionMap {
        let participantIDs = matrix.participantIDs
        let n = matrix.participantCount
        let groupCount = grouping.centres.count

        var baseOfRow = [Int?](repeating: nil, count: n)
        var groupOfRow = [Int32](repeating: -1, count: n)
        var members = [[Int]](repeating: [], count: groupCount)
        for (index, row) in base.rows.enumerated() {
            let cluster = base.assignment[index]
            let group = grouping.groupOfBase[cluster]
            baseOfRow[row] = cluster
            groupOfRow[row] = Int32(group)
            members[group].append(participantIDs[row])
        }

        let tally = VoteTally(matrix: matrix, groupOfRow: groupOfRow, groupCount: groupCount)
        let statistics = StatementStatistics(tally: tally, statementIDs: matrix.statementIDs,
                                             configuration: configuration)

        let participants = (0 ..< n).map { row in
            ParticipantPlacement(id: participantIDs[row], x: positions[row].x, y: positions[row].y,
                                 voteCount: matrix.rowStart[row + 1] - matrix.rowStart[row],
                                 baseCluster: baseOfRow[row],
                                 group: groupOfRow[row] < 0 ? nil : Int(groupOfRow[row]))
        }
        let statements = matrix.statementIDs.enumerated().map { column, id in
            let total = tally.allParticipants(column)
            return StatementPlacement(id: id, x: components.first[column], y: components.second[column],
                                      agrees: total.agrees, disagrees: total.disagrees, passes: total.passes)
        }
        let groups = (0 ..< groupCount).map { g in
            OpinionGroup(id: g, memberIDs: members[g], x: grouping.centres[g].x, y: grouping.centres[g].y,
                         representativeStatements: statistics.representativeStatements(ofGroup: g))
        }
        let baseClusters = base.centres.indices.map { c in
            BaseCluster(id: c, x: base.centres[c].x, y: base.centres[c].y,
                        memberCount: base.memberCounts[c], group: grouping.groupOfBase[c])
        }
        return OpinionMap(seed: configuration.seed, participants: participants, statements: statements,
                          groups: groups, consensus: statistics.consensus(),
                          groupInformedConsensus: statistics.groupInformedConsensus(),
                          components: components, baseClusters: baseClusters,
                          groupCountScores: grouping.scores, groupCountState: grouping.state)
    }
}

/// The participants who take part in clustering, and the statement means among them.
struct ClusteredSelection {
    /// Rows of the clustered participants, ascending.
    let rows: [Int]
    /// Mean vote of the clustered participants on each statement (0 when none voted on it).
    let means: [Double]
    /// Cumulative vote counts of `rows` (see ``CentredRows/work``).
    let work: [Int]
    /// Sum over the clustered votes of (vote − statement mean)².
    let sumOfSquares: Double

    /// - Parameter previouslyClustered: the participants of an earlier map of the conversation;
    ///   those who were clustered then stay clustered (while they have a vote), so nobody drops off
    ///   the map from one update to the next.
    init(matrix: VoteMatrix, configuration: OpinionMapConfiguration,
         previouslyClustered: [ParticipantPlacement]? = nil) {
        let n = matrix.participantCount
        let rowStart = matrix.rowStart
        // As in Polis, votes on moderated-out statements still count, and so do those statements.
        let moderatedVotes = matrix.moderatedVoteCounts()
        func votesCast(_ row: Int) -> Int { rowStart[row + 1] - rowStart[row] + moderatedVotes[row] }
        let threshold = max(1, min(configuration.minimumVotesToCluster,
                                   matrix.statementCount + matrix.moderatedStatementCount))
        var isClustered = [Bool](repeating: false, count: n)
        for row in 0 ..< n where votesCast(row) >= threshold {
            isClustered[row] = true
        }
        for participant in previouslyClustered ?? [] where participant.group != nil {
            if let row = matrix.row(ofParticipant: participant.id), rowStart[row + 1] > rowStart[row] {
                isClustered[row] = true
            }
        }
        let clusteredCount = isClustered.reduce(0) { $0 + ($1 ? 1 : 0) }
        if clusteredCount < configuration.minimumClusteredParticipants {
            // Top up with the most active of the others (earliest first among equals).
            let others = (0 ..< n).filter { !isClustered[$0] && rowStart[$0 + 1] > rowStart[$0] }
                .sorted { a, b in
                    let countA = votesCast(a), countB = votesCast(b)
                    return countA != countB ? countA > countB : a < b
                }
            for row in others.prefix(configuration.minimumClusteredParticipants - clusteredCount) {
                isClustered[row] = true
            }
        }
        let clusteredRows = (0 ..< n).filter { isClustered[$0] }
        rows = clusteredRows
        var work = [Int](repeating: 0, count: clusteredRows.count + 1)
        for (index, row) in clusteredRows.enumerated() {
            work[index + 1] = work[index] + rowStart[row + 1] - rowStart[row]
        }
        self.work = work

        // Per statement: sum of votes, number of votes, number of non-pass votes. Integer sums are
        // exact, so splitting the rows among cores cannot change them.
        let m = matrix.statementCount
        let chunks = RowChunks(rowStart: work, minimumWork: 262_144)
        var tallies = [Int](repeating: 0, count: 3 * m * chunks.count)
        tallies.withUnsafeMutableBufferPointer { tallies in
            let base = UnsafeSendable(tallies.baseAddress!)
            rowStart.withUnsafeBufferPointer { rowStart in
                matrix.columns.withUnsafeBufferPointer { columns in
                    matrix.values.withUnsafeBufferPointer { values in
                        clusteredRows.withUnsafeBufferPointer { clusteredRows in
                            chunks.forEach { chunk, taken in
                                let out = base.pointer + 3 * m * chunk
                                for index in taken {
                                    let row = clusteredRows[index]
                                    for position in rowStart[row] ..< rowStart[row + 1] {
                                        let slot = 3 &* Int(columns[position])
                                        let value = Int(values[position])
                                        out[slot] &+= value
                                        out[slot + 1] &+= 1
                                        out[slot + 2] &+= value & 1  // 1 for agree and disagree
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var means = [Double](repeating: 0, count: m)
        var sumOfSquares = 0.0
        for column in 0 ..< m {
            var sum = 0, count = 0, nonPass = 0
            for chunk in 0 ..< chunks.count {
                let slot = 3 * (m * chunk + column)
                sum += tallies[slot]
                count += tallies[slot + 1]
                nonPass += tallies[slot + 2]
            }
            guard count > 0 else { continue }
            let mean = Double(sum) / Double(count)
            means[column] = mean
            // Σ (v − mean)² = Σ v² − count · mean², and v² is 1 except for passes.
            sumOfSquares += max(0, Double(nonPass) - Double(count) * mean * mean)
        }
        self.means = means
        self.sumOfSquares = sumOfSquares
    }

    /// The clustered rows centred on the statement means (the centred, mean-filled matrix),
    /// sharing the vote matrix's storage.
    func centredRows(of matrix: VoteMatrix) -> CentredRows {
        CentredRows(rowStart: matrix.rowStart, columns: matrix.columns, values: matrix.values,
                    rows: rows, work: work, means: means, sumOfSquares: sumOfSquares)
    }
}
