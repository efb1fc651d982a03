import Foundation
import Testing
@testable import OpinionMap

/// The folder of the real Polis conversations copied into the test bundle.
func polisFixture(_ name: String) throws -> URL {
    let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return fixtures.appendingPathComponent("polis").appendingPathComponent(name)
}

/// Votes from rows of a small table: `table[p][s]` is participant p's vote on statement s
/// (1, -1, 0) or `nil` for no vote. Participant and statement identifiers are the indices.
func votes(_ table: [[Int?]]) -> [Vote] {
    var result: [Vote] = []
    for (participant, row) in table.enumerated() {
        for (statement, value) in row.enumerated() {
            if let value, let vote = VoteValue(rawValue: Int8(value)) {
                result.append(Vote(participant: participant, statement: statement, value: vote))
            }
        }
    }
    return result
}

/// Two camps of ten participants on eight statements, everyone voting on everything:
/// camp A (participants 0–9) agrees with statements 0–3 and camp B (10–19) disagrees with them;
/// everyone agrees with 4 and 5; everyone disagrees with 6; statement 7 gets passes from camp A
/// and agreement from camp B.
func twoCampsTable() -> [[Int?]] {
    let campA: [Int?] = [1, 1, 1, 1, 1, 1, -1, 0]
    let campB: [Int?] = [-1, -1, -1, -1, 1, 1, -1, 1]
    return Array(repeating: campA, count: 10) + Array(repeating: campB, count: 10)
}

/// Cosine of the angle between two vectors.
func cosine(_ a: [Double], _ b: [Double]) -> Double {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    let norms = (a.reduce(0) { $0 + $1 * $1 } * b.reduce(0) { $0 + $1 * $1 }).squareRoot()
    return norms > 0 ? dot / norms : 0
}
