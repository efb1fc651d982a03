import Testing
@testable import OpinionMap

/// The three real conversations of the public Polis data set (see Fixtures/polis/README.md):
/// the number of groups must match the `group-id` column that Polis exported, and the agreement
/// with Polis's assignment (adjusted Rand index over participants both place in a group) is
/// printed. Polis's own groups come from a long history of incremental updates (its clustered
/// set and group count are "sticky"), which a single computation cannot replay, so agreement is
/// not expected to be perfect; the floors below hold for the two larger conversations whatever
/// the seed (seeds 0–9 give 0.50–0.83 and 0.86–0.90).
@Suite struct PolisConversationTests {
    @Test(arguments: [
        ("15-per-hour-seattle", 0.45),
        ("brexit-consensus", 0.8),
        ("london.youth.policing", -1.0),  // 24 participants: reported, no floor
    ])
    func groupCountMatchesPolis(conversation: String, agreementFloor: Double) throws {
        let export = try PolisExport.load(from: polisFixture(conversation))
        let map = OpinionMapEngine().map(export.voteMatrix())
        let comparison = GroupComparison(map: map, reference: export.referenceGroups)
        print("\(conversation): Polis groups \(comparison.referenceGroupCount), ours \(comparison.groupCount), "
              + "adjusted Rand index \((comparison.adjustedRandIndex * 1000).rounded() / 1000) over "
              + "\(comparison.commonParticipants) participants")
        #expect(comparison.groupCount == comparison.referenceGroupCount)
        #expect(comparison.adjustedRandIndex >= agreementFloor)
        // Everyone Polis clustered with at least 7 votes is clustered here too.
        for (participant, _) in export.referenceGroups
        where map.participants.first(where: { $0.id == participant })?.voteCount ?? 0 >= 7 {
            #expect(map.participants.first { $0.id == participant }?.group != nil)
        }
        // Every group is described by at least one statement.
        for group in map.groups { #expect(!group.representativeStatements.isEmpty) }
    }
}
