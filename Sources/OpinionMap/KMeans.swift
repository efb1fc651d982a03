/// Weighted k-means on points of the plane, with seeded k-means++ starts and a weighted silhouette.
///
/// Used twice by the pipeline: with unit weights on participants' positions (base clusters), and
/// with member counts as weights on the base-cluster centres (groups).
struct PlaneKMeans {
    let points: [SIMD2<Double>]
    let weights: [Double]

    struct Solution {
        /// Centres of the non-empty clusters.
        var centres: [SIMD2<Double>]
        /// Cluster of each point, an index into `centres`.
        var assignment: [Int]
        /// Sum of weighted squared distances to the assigned centres.
        var inertia: Double
    }

    /// k-means++ seeding: each new centre is a point drawn with probability proportional to its
    /// weight times its squared distance to the nearest centre so far. Starts from `existing`
    /// centres when given; stops early when every point already coincides with a centre, so the
    /// result may hold fewer than `count` centres.
    func plusPlusCentres(count: Int, existing: [SIMD2<Double>] = [],
                         generator: inout SeededGenerator) -> [SIMD2<Double>] {
        var centres = Array(existing.prefix(count))
        guard !points.isEmpty, centres.count < count else { return centres }
        var nearest = [Double](repeating: .infinity, count: points.count)
        if centres.isEmpty {
            let first = draw(using: weights, generator: &generator)
            centres.append(points[first])
        }
        points.withUnsafeBufferPointer { points in
            for centre in centres { updateNearest(&nearest, points: points, centre: centre) }
            while centres.count < count {
                var chances = [Double](repeating: 0, count: points.count)
                for i in 0 ..< points.count { chances[i] = weights[i] * nearest[i] }
                guard chances.contains(where: { $0 > 0 }) else { break }
                let chosen = draw(using: chances, generator: &generator)
                centres.append(points[chosen])
                updateNearest(&nearest, points: points, centre: points[chosen])
            }
        }
        return centres
    }

    /// Lloyd's iterations from the given centres until no point changes cluster (or the iteration
    /// limit). Clusters left empty are dropped from the solution, and the centres returned are the
    /// weighted means of their members.
    ///
    /// Hamerly's bounds skip most distance computations once the centres settle: each point keeps
    /// an upper bound on the distance to its centre and a lower bound on the distance to any other,
    /// moved by how far the centres moved; only a point whose bounds overlap is examined again.
    /// The clusters are those of plain Lloyd iterations.
    func refine(from initial: [SIMD2<Double>], maximumIterations: Int) -> Solution {
        var centres = initial
        let k = centres.count
        let n = points.count
        var assignment = [Int](repeating: 0, count: n)
        guard k > 0, n > 0 else { return Solution(centres: n == 0 ? [] : centres, assignment: assignment, inertia: 0) }
        var upper = [Double](repeating: 0, count: n)
        var lower = [Double](repeating: 0, count: n)
        var moves = [Double](repeating: 0, count: k)
        var halfSeparation = [Double](repeating: 0, count: k)

        points.withUnsafeBufferPointer { points in
            weights.withUnsafeBufferPointer { weights in
                assignment.withUnsafeMutableBufferPointer { assignment in
                    upper.withUnsafeMutableBufferPointer { upper in
                        lower.withUnsafeMutableBufferPointer { lower in
                            centres.withUnsafeBufferPointer { centres in
                                for i in 0 ..< n {
                                    let (best, nearest, second) = Self.twoNearest(to: points[i], among: centres)
                                    assignment[i] = best
                                    upper[i] = nearest
                                    lower[i] = second
                                }
                            }
                            for _ in 0 ..< max(maximumIterations, 1) {
                                // Move each centre to the weighted mean of its points (an empty one stays).
                                let moved = Self.means(points: points, weights: weights,
                                                       assignment: UnsafeBufferPointer(assignment), fallback: centres)
                                var largestMove = 0.0, secondMove = 0.0, largestIndex = -1
                                for c in 0 ..< k {
                                    let d = moved[c] - centres[c]
                                    moves[c] = (d * d).sum().squareRoot()
                                    if moves[c] > largestMove {
                                        secondMove = largestMove
                                        largestMove = moves[c]
                                        largestIndex = c
                                    } else if moves[c] > secondMove {
                                        secondMove = moves[c]
                                    }
                                }
                                centres = moved
                                if largestMove == 0 { break }
                                for c in 0 ..< k {
                                    var closest = Double.infinity
                                    for other in 0 ..< k where other != c {
                                        let d = centres[c] - centres[other]
                                        closest = min(closest, (d * d).sum())
                                    }
                                    halfSeparation[c] = closest.squareRoot() / 2
                                }
                                var changed = false
                                centres.withUnsafeBufferPointer { centres in
                                    for i in 0 ..< n {
                                        let own = assignment[i]
                                        upper[i] += moves[own]
                                        lower[i] -= own == largestIndex ? secondMove : largestMove
                                        let bound = max(halfSeparation[own], lower[i])
                                        if upper[i] <= bound { continue }
                                        let d = points[i] - centres[own]
                                        upper[i] = (d * d).sum().squareRoot()
                                        if upper[i] <= bound { continue }
                                        let (best, nearest, second) = Self.twoNearest(to: points[i], among: centres)
                                        if best != own {
                                            assignment[i] = best
                                            changed = true
                                        }
                                        upper[i] = nearest
                                        lower[i] = second
                                    }
                                }
                                if !changed { break }
                            }
                        }
                    }
                }
            }
        }

        // Drop empty clusters, renumber the others in order, and centre each on its members.
        var used = [Bool](repeating: false, count: k)
        for c in assignment { used[c] = true }
        var renumber = [Int](repeating: -1, count: k)
        var keptCount = 0
        for c in 0 ..< k where used[c] {
            renumber[c] = keptCount
            keptCount += 1
        }
        for i in 0 ..< n { assignment[i] = renumber[assignment[i]] }
        let kept = points.withUnsafeBufferPointer { points in
            weights.withUnsafeBufferPointer { weights in
                assignment.withUnsafeBufferPointer { assignment in
                    Self.means(points: points, weights: weights, assignment: assignment,
                               fallback: [SIMD2<Double>](repeating: .zero, count: keptCount))
                }
            }
        }
        var inertia = 0.0
        for i in 0 ..< n {
            let d = points[i] - kept[assignment[i]]
            inertia += weights[i] * (d * d).sum()
        }
        return Solution(centres: kept, assignment: assignment, inertia: inertia)
    }

    /// The mean silhouette over all weight, where a point of weight `w` stands for `w` coinciding
    /// members: within its own cluster, its `w - 1` companions are at distance zero.
    ///
    /// For base clusters this is exactly the silhouette of the participants with each one moved
    /// to its base-cluster centre. A member alone in its cluster scores 0, as usual.
    func silhouette(assignment: [Int], clusterCount k: Int) -> Double {
        guard k > 1 else { return 0 }
        var clusterWeight = [Double](repeating: 0, count: k)
        for i in points.indices { clusterWeight[assignment[i]] += weights[i] }
        var total = 0.0
        var weightSum = 0.0
        var distanceSums = [Double](repeating: 0, count: k)
        for i in points.indices {
            for c in 0 ..< k { distanceSums[c] = 0 }
            for j in points.indices where j != i {
                let d = points[i] - points[j]
                distanceSums[assignment[j]] += weights[j] * (d * d).sum().squareRoot()
            }
            let own = assignment[i]
            weightSum += weights[i]
            let companions = clusterWeight[own] - 1
            guard companions > 0 else { continue }  // scores 0
            let a = distanceSums[own] / companions
            var b = Double.infinity
            for c in 0 ..< k where c != own && clusterWeight[c] > 0 {
                b = min(b, distanceSums[c] / clusterWeight[c])
            }
            let spread = max(a, b)
            if spread > 0, b.isFinite { total += weights[i] * (b - a) / spread }
        }
        return weightSum > 0 ? total / weightSum : 0
    }

    /// The nearest centre (lowest index among equals), its distance, and the distance to the
    /// second nearest (infinity when there is only one centre).
    static func twoNearest(to point: SIMD2<Double>,
                           among centres: UnsafeBufferPointer<SIMD2<Double>>) -> (Int, Double, Double) {
        var best = 0
        var nearest = Double.infinity
        var second = Double.infinity
        for c in 0 ..< centres.count {
            let d = point - centres[c]
            let distance = d.x * d.x + d.y * d.y
            if distance < nearest {
                second = nearest
                nearest = distance
                best = c
            } else if distance < second {
                second = distance
            }
        }
        return (best, nearest.squareRoot(), second.squareRoot())
    }

    /// Weighted mean of each cluster's points; `fallback[c]` for a cluster with no weight.
    static func means(points: UnsafeBufferPointer<SIMD2<Double>>, weights: UnsafeBufferPointer<Double>,
                      assignment: UnsafeBufferPointer<Int>, fallback: [SIMD2<Double>]) -> [SIMD2<Double>] {
        let k = fallback.count
        var sums = [SIMD2<Double>](repeating: .zero, count: k)
        var totals = [Double](repeating: 0, count: k)
        for i in 0 ..< points.count {
            sums[assignment[i]] += weights[i] * points[i]
            totals[assignment[i]] += weights[i]
        }
        return (0 ..< k).map { totals[$0] > 0 ? sums[$0] / totals[$0] : fallback[$0] }
    }

    private func updateNearest(_ nearest: inout [Double], points: UnsafeBufferPointer<SIMD2<Double>>,
                               centre: SIMD2<Double>) {
        nearest.withUnsafeMutableBufferPointer { nearest in
            for i in 0 ..< points.count {
                let d = points[i] - centre
                let distance = d.x * d.x + d.y * d.y
                if distance < nearest[i] { nearest[i] = distance }
            }
        }
    }

    /// An index drawn with probability proportional to `chances` (non-negative, not all zero).
    private func draw(using chances: [Double], generator: inout SeededGenerator) -> Int {
        let total = chances.reduce(0, +)
        guard total > 0 else { return 0 }
        let target = generator.nextUnit() * total
        var running = 0.0
        var lastPositive = 0
        for (index, chance) in chances.enumerated() where chance > 0 {
            running += chance
            lastPositive = index
            if target < running { return index }
        }
        return lastPositive
    }
}
