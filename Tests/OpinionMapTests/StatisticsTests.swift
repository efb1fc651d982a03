import Testing
@testable import OpinionMap

/// Values worked out by hand from the formulas in the documentation of `ProportionTests`.
@Suite struct ProportionTestsTests {
    @Test func smoothedProbabilityAddsOneSuccessAndTwoTrials() {
        #expect(ProportionTests.probability(successes: 3, trials: 8) == 0.4)  // 4 / 10
        #expect(ProportionTests.probability(successes: 0, trials: 0) == 0.5)
        #expect(ProportionTests.probability(successes: 10, trials: 10) == 11.0 / 12.0)
    }

    @Test func oneProportionTestMatchesHandComputedValues() {
        // 8 of 10: 2·√11·(9/11 − 1/2) = 7/√11
        #expect(abs(ProportionTests.oneProportionZ(successes: 8, trials: 10) - 7 / 11.0.squareRoot()) < 1e-12)
        #expect(abs(ProportionTests.oneProportionZ(successes: 8, trials: 10) - 2.1105794) < 1e-6)
        // 10 of 10: 2·√11·(1 − 1/2) = √11
        #expect(abs(ProportionTests.oneProportionZ(successes: 10, trials: 10) - 3.3166248) < 1e-6)
        // 2 of 10: 2·√11·(3/11 − 1/2) = −5/√11
        #expect(abs(ProportionTests.oneProportionZ(successes: 2, trials: 10) + 1.5075567) < 1e-6)
        // No data: 2·1·(1 − 1/2) = 1
        #expect(ProportionTests.oneProportionZ(successes: 0, trials: 0) == 1)
    }

    @Test func twoProportionTestMatchesHandComputedValues() {
        // 8 of 10 against 2 of 10: p₁ = 9/11, p₂ = 3/11, p̂ = 12/22,
        // z = (6/11) / √((6/11)(5/11)(2/11)) = 2.5690465
        #expect(abs(ProportionTests.twoProportionZ(successes: 8, trials: 10, otherSuccesses: 2, otherTrials: 10)
                    - 2.5690465) < 1e-6)
        // 10 of 10 against 0 of 10: z = (10/11) / √(60/1331) = 10·√(11/60)
        #expect(abs(ProportionTests.twoProportionZ(successes: 10, trials: 10, otherSuccesses: 0, otherTrials: 10)
                    - 10 * (11.0 / 60).squareRoot()) < 1e-12)
        // 3 of 5 against 12 of 20: p₁ = 4/6, p₂ = 13/21, p̂ = 17/27 → 0.2130215
        #expect(abs(ProportionTests.twoProportionZ(successes: 3, trials: 5, otherSuccesses: 12, otherTrials: 20)
                    - 0.2130215) < 1e-6)
        // Symmetric: swapping the samples flips the sign.
        #expect(ProportionTests.twoProportionZ(successes: 2, trials: 10, otherSuccesses: 8, otherTrials: 10)
                == -ProportionTests.twoProportionZ(successes: 8, trials: 10, otherSuccesses: 2, otherTrials: 10))
        // Everyone succeeded everywhere: the pooled proportion is 1 and the test says nothing.
        #expect(ProportionTests.twoProportionZ(successes: 5, trials: 5, otherSuccesses: 0, otherTrials: 0) == 0)
    }

    @Test func significanceIsTheOneSidedNinetyPercentThreshold() {
        #expect(ProportionTests.significanceThreshold == 1.2816)
        #expect(ProportionTests.isSignificant(1.29))
        #expect(!ProportionTests.isSignificant(1.2816))
        #expect(!ProportionTests.isSignificant(-3))
    }
}

@Suite struct PartitionAgreementTests {
    @Test func identicalPartitionsUnderOtherLabelsAgreeFully() {
        #expect(PartitionAgreement.adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, 3, 3, 9]) == 1)
    }

    @Test func adjustedRandIndexMatchesKnownValues() {
        // Contingency [[2,1,0],[0,1,2]]: Σ C(nᵢⱼ,2) = 1 + 1 = 2; Σ C(aᵢ,2) = 3 + 3 = 6; Σ C(bⱼ,2) = 1 + 1 + 1 = 3;
        // expected = 6·3/15 = 1.2; maximum = 4.5; ARI = (2 − 1.2)/(4.5 − 1.2) = 0.2424…
        #expect(abs(PartitionAgreement.adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) - 8.0 / 33) < 1e-12)
        // Crossed halves: (0 − 1/3)/(1 − 1/3) = −0.5
        #expect(abs(PartitionAgreement.adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) + 0.5) < 1e-12)
    }
}

@Suite struct SilhouetteTests {
    @Test func unitWeightSilhouetteMatchesTheTextbookDefinition() {
        // Cluster {(0,0),(0,1),(1,0)} and {(5,5),(5,6),(9,0)}: mean silhouette 0.6076942
        // (each point: (b − a)/max(a, b) with a the mean distance within, b to the other cluster).
        let points: [SIMD2<Double>] = [[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [9, 0]]
        let kMeans = PlaneKMeans(points: points, weights: [1, 1, 1, 1, 1, 1])
        let value = kMeans.silhouette(assignment: [0, 0, 0, 1, 1, 1], clusterCount: 2)
        #expect(abs(value - 0.6076942) < 1e-6)
    }

    @Test func aWeightStandsForThatManyCoincidingMembers() {
        // Three members at (0,0) and one at (1,0) against two at (4,0): the same as listing them.
        let weighted = PlaneKMeans(points: [[0, 0], [1, 0], [4, 0]], weights: [3, 1, 2])
            .silhouette(assignment: [0, 0, 1], clusterCount: 2)
        let listed = PlaneKMeans(points: [[0, 0], [0, 0], [0, 0], [1, 0], [4, 0], [4, 0]],
                                 weights: [1, 1, 1, 1, 1, 1])
            .silhouette(assignment: [0, 0, 0, 0, 1, 1], clusterCount: 2)
        #expect(abs(weighted - listed) < 1e-12)
        #expect(abs(weighted - 0.9027778) < 1e-6)
    }

    /// Plain Lloyd iterations, the slow way: the bounded version must give the same clusters.
    private func plainLloyd(_ points: [SIMD2<Double>], _ weights: [Double], from start: [SIMD2<Double>]) -> [Int] {
        var centres = start
        var assignment = [Int](repeating: -1, count: points.count)
        while true {
            let next = points.map { point in
                centres.indices.min { a, b in
                    let da = ((point - centres[a]) * (point - centres[a])).sum()
                    let db = ((point - centres[b]) * (point - centres[b])).sum()
                    return da != db ? da < db : a < b
                }!
            }
            if next == assignment { return assignment }
            assignment = next
            for c in centres.indices {
                let members = points.indices.filter { assignment[$0] == c }
                let total = members.reduce(0.0) { $0 + weights[$1] }
                if total > 0 { centres[c] = members.reduce(SIMD2<Double>.zero) { $0 + weights[$1] * points[$1] } / total }
            }
        }
    }

    @Test func boundedKMeansGivesTheSameClustersAsPlainLloyd() {
        var generator = SeededGenerator(seed: 3)
        let points = (0 ..< 600).map { i -> SIMD2<Double> in
            let blob = Double(i % 6)
            return SIMD2(blob * 2 + generator.nextUnit() * 3, (blob * 7).truncatingRemainder(dividingBy: 5) + generator.nextUnit() * 3)
        }
        let weights = points.indices.map { Double(1 + $0 % 3) }
        let kMeans = PlaneKMeans(points: points, weights: weights)
        for k in [2, 5, 12] {
            let start = kMeans.plusPlusCentres(count: k, generator: &generator)
            let bounded = kMeans.refine(from: start, maximumIterations: 1_000)
            let plain = plainLloyd(points, weights, from: start)
            #expect(bounded.assignment == plain)
            #expect(bounded.centres.count == k)
        }
    }

    @Test func kMeansFindsObviousClustersAndDropsDuplicateStarts() {
        let points: [SIMD2<Double>] = [[0, 0], [0.1, 0], [10, 10], [10, 10.1]]
        let kMeans = PlaneKMeans(points: points, weights: [1, 1, 1, 1])
        var generator = SeededGenerator(seed: 1)
        let starts = kMeans.plusPlusCentres(count: 2, generator: &generator)
        let solution = kMeans.refine(from: starts, maximumIterations: 10)
        #expect(solution.assignment[0] == solution.assignment[1])
        #expect(solution.assignment[2] == solution.assignment[3])
        #expect(solution.assignment[0] != solution.assignment[2])
        // A starting centre that no point is nearest to stays empty and is dropped.
        let collapsed = kMeans.refine(from: [[5, 5], [100, 100]], maximumIterations: 10)
        #expect(collapsed.centres.count == 1)
        #expect(collapsed.assignment == [0, 0, 0, 0])
        // k-means++ cannot pick more distinct centres than there are distinct points.
        let twoDistinct = PlaneKMeans(points: [[1, 1], [1, 1], [2, 2]], weights: [1, 1, 1])
        #expect(twoDistinct.plusPlusCentres(count: 3, generator: &generator).count == 2)
    }
}
