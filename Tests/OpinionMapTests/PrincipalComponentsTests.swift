import Testing
@testable import OpinionMap

@Suite struct PrincipalComponentsTests {
    @Test func jacobiFindsTheEigenpairsOfASmallSymmetricMatrix() {
        // [[2,1,0],[1,2,0],[0,0,5]] has eigenvalues 5, 3, 1 with vectors e₃, (1,1,0)/√2, (1,−1,0)/√2.
        let (values, vectors) = SymmetricEigen.decompose([2, 1, 0, 1, 2, 0, 0, 0, 5], size: 3)
        #expect(values.map { ($0 * 1e9).rounded() / 1e9 } == [5, 3, 1])
        let second = [vectors[1], vectors[4], vectors[7]]
        #expect(abs(abs(cosine(second, [1, 1, 0])) - 1) < 1e-12)
        let first = [vectors[0], vectors[3], vectors[6]]
        #expect(abs(abs(cosine(first, [0, 0, 1])) - 1) < 1e-12)
    }

    /// The components must be those of the mean-filled matrix: compare with a dense covariance
    /// matrix built here the slow way and diagonalised exactly.
    @Test func componentsMatchTheExactEigenvectorsOfTheMeanFilledCovariance() throws {
        let conversation = PlantedConversation.generate(participants: 300, statements: 30, density: 0.6,
                                                        groups: 3, seed: 11)
        let matrix = conversation.matrix
        let map = OpinionMapEngine().map(matrix)
        let m = matrix.statementCount

        // Dense mean-filled matrix of the clustered participants (all of them here).
        let clustered = map.participants.filter { $0.group != nil }.map(\.id)
        #expect(clustered.count == 300)
        var means = [Double](repeating: 0, count: m)
        var counts = [Double](repeating: 0, count: m)
        for id in clustered {
            for (statement, value) in matrix.votes(ofParticipant: id) {
                let column = try #require(matrix.column(ofStatement: statement))
                means[column] += Double(value.rawValue)
                counts[column] += 1
            }
        }
        for j in 0 ..< m { means[j] = counts[j] > 0 ? means[j] / counts[j] : 0 }
        var covariance = [Double](repeating: 0, count: m * m)
        for id in clustered {
            var row = means  // missing votes take the mean …
            for (statement, value) in matrix.votes(ofParticipant: id) {
                row[try #require(matrix.column(ofStatement: statement))] = Double(value.rawValue)
            }
            for a in 0 ..< m { for b in 0 ..< m { covariance[a * m + b] += (row[a] - means[a]) * (row[b] - means[b]) } }
        }
        let (values, vectors) = SymmetricEigen.decompose(covariance, size: m)
        let exactFirst = (0 ..< m).map { vectors[$0 * m] }
        let exactSecond = (0 ..< m).map { vectors[$0 * m + 1] }

        #expect(zip(means, map.components.means).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs(cosine(map.components.first, exactFirst)) > 0.9999)
        #expect(abs(cosine(map.components.second, exactSecond)) > 0.999)
        #expect(abs(map.components.variances[0] * 300 - values[0]) / values[0] < 1e-4)
        #expect(abs(map.components.variances[1] * 300 - values[1]) / values[1] < 1e-3)
        // Unit length and orthogonal.
        #expect(abs(cosine(map.components.first, map.components.first) - 1) < 1e-12)
        #expect(abs(map.components.first.reduce(0) { $0 + $1 * $1 } - 1) < 1e-9)
        #expect(abs(cosine(map.components.first, map.components.second)) < 1e-9)
    }

    @Test func positionsAreProjectionsScaledBySparsity() throws {
        let conversation = PlantedConversation.generate(participants: 120, statements: 20, density: 0.5,
                                                        groups: 2, seed: 3)
        let matrix = conversation.matrix
        let map = OpinionMapEngine().map(matrix)
        let components = map.components
        for placement in map.participants.prefix(10) {
            var x = 0.0, y = 0.0
            let votes = matrix.votes(ofParticipant: placement.id)
            for (statement, value) in votes {
                let j = try #require(components.statementIDs.firstIndex(of: statement))
                x += (Double(value.rawValue) - components.means[j]) * components.first[j]
                y += (Double(value.rawValue) - components.means[j]) * components.second[j]
            }
            let scale = (Double(matrix.statementCount) / Double(votes.count)).squareRoot()
            #expect(abs(placement.x - x * scale) < 1e-9)
            #expect(abs(placement.y - y * scale) < 1e-9)
        }
    }

    @Test func rowChunksCoverEveryRowOnce() {
        let rowStart = [0, 5, 5, 100, 120, 300, 301, 1_000]
        let chunks = RowChunks(rowStart: rowStart, minimumWork: 100)
        #expect(chunks.count > 1)
        #expect(chunks.ranges.first?.lowerBound == 0)
        #expect(chunks.ranges.last?.upperBound == 7)
        for (left, right) in zip(chunks.ranges, chunks.ranges.dropFirst()) { #expect(left.upperBound == right.lowerBound) }
        #expect(RowChunks(rowStart: [0], minimumWork: 10).ranges == [0 ..< 0])
    }
}
