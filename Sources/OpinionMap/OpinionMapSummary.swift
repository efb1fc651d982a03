import Foundation

/// The opinion map as a person reads it in a terminal: sizes, the groups with their
/// representative statements, consensus, and the agreement with Polis's own groups.
public enum OpinionMapSummary {
    public static func text(source: String, export: PolisExport, matrix: VoteMatrix, map: OpinionMap,
                            comparison: GroupComparison?, seconds: Double, seed: UInt64) -> String {
        var lines: [String] = []
        func print(_ line: String) { lines.append(line) }
        let texts = export.statementTexts
        func quote(_ id: Int) -> String {
            let text = (texts[id] ?? "").replacingOccurrences(of: "\n", with: " ")
            return "#\(id) \"\(text.count > 90 ? String(text.prefix(89)) + "…" : text)\""
        }
        func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

        print("Opinion map of \(source)")
        print("  \(export.votes.count) vote events, \(matrix.voteCount) latest votes; "
              + "\(matrix.participantCount) participants, \(matrix.statementCount) statements "
              + "(\(export.moderatedOutStatementIDs.count) moderated out)")
        let explained = map.components.totalVariance > 0
            ? map.components.variances.map { percent($0 / map.components.totalVariance) }.joined(separator: " + ")
            : "n/a"
        print("  clustered participants: \(map.clusteredParticipantCount); "
              + "variance explained by the two components: \(explained)")
        let scores = map.groupCountScores
            .map { "k=\($0.groupCount): \(String(format: "%.3f", $0.silhouette))" }.joined(separator: ", ")
        print("  groups: \(map.groups.count)" + (scores.isEmpty ? "" : " (silhouette \(scores))"))
        for group in map.groups {
            print("")
            print("Group \(group.id): \(group.memberCount) participants")
            for statement in group.representativeStatements {
                let mark = statement.isSignificant ? "" : " (not significant)"
                print("  \(statement.stance == .agree ? "agree   " : "disagree") "
                      + "\(percent(statement.probability)) of the group\(mark): \(quote(statement.statementID))")
            }
        }
        print("")
        print("Consensus")
        for statement in map.consensus.agree + map.consensus.disagree {
            print("  \(statement.stance == .agree ? "agree   " : "disagree") "
                  + "\(percent(statement.probability)): \(quote(statement.statementID))")
        }
        if map.consensus.agree.isEmpty && map.consensus.disagree.isEmpty { print("  (none)") }
        if map.groups.count > 1 {
            print("")
            print("Group-informed consensus (top 5)")
            for statement in map.groupInformedConsensus.prefix(5) {
                print("  \(String(format: "%.3f", statement.agree)): \(quote(statement.statementID))")
            }
        }
        if let comparison {
            print("")
            print("Polis groups (participants-votes.csv): \(comparison.referenceGroupCount); ours: "
                  + "\(comparison.groupCount); adjusted Rand index over \(comparison.commonParticipants) "
                  + "participants in both: \(String(format: "%.3f", comparison.adjustedRandIndex))")
        }
        print("")
        print("Computed in \(String(format: "%.1f", seconds * 1000)) ms (seed \(seed)).")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The JSON of `aimaq opinion-map --json`.
public struct OpinionMapReport: Encodable {
    public var source: String
    public var voteEvents: Int
    public var moderatedOutStatementIDs: [Int]
    public var statementTexts: [String: String]
    public var polisComparison: GroupComparison?
    public var map: OpinionMap

    public init(source: String, voteEvents: Int, moderatedOutStatementIDs: [Int], statementTexts: [String: String],
                polisComparison: GroupComparison?, map: OpinionMap) {
        self.source = source
        self.voteEvents = voteEvents
        self.moderatedOutStatementIDs = moderatedOutStatementIDs
        self.statementTexts = statementTexts
        self.polisComparison = polisComparison
        self.map = map
    }
}

