import Testing
@testable import OpinionMap

@Suite struct PlantedGroupTests {
    @Test(arguments: [2, 3, 4])
    func plantedGroupsAreRecovered(groups: Int) {
        let conversation = PlantedConversation.generate(participants: 2_000, statements: 300, density: 0.3,
                                                        groups: groups, seed: 42)
        let map = OpinionMapEngine(configuration: OpinionMapConfiguration(seed: 7)).map(conversation.matrix)
        #expect(map.groups.count == groups)
        #expect(map.clusteredParticipantCount == 2_000)
        let found = map.participants.map { $0.group ?? -1 }
        let planted = conversation.plantedGroups(of: map.participants.map(\.id))
        #expect(PartitionAgreement.adjustedRandIndex(found, planted) >= 0.95)
    }

    @Test func consensusFindsThePlantedConsensusStatements() {
        let conversation = PlantedConversation.generate(participants: 600, statements: 60, density: 0.5,
                                                        groups: 3, seed: 8)
        let map = OpinionMapEngine().map(conversation.matrix)
        // Planted consensus statements are agreed by 85% of the non-passing votes in every group;
        // the top group-informed consensus statements must be among the most agreed overall.
        #expect(!map.consensus.agree.isEmpty)
        for statement in map.consensus.agree {
            #expect(statement.probability > 0.5 && statement.probabilityZ > ProportionTests.significanceThreshold)
        }
        let top = map.groupInformedConsensus.prefix(3).map(\.statementID)
        let agreedShare = Dictionary(uniqueKeysWithValues: map.statements.map {
            ($0.id, Double($0.agrees) / Double(max($0.votes, 1)))
        })
        for id in top { #expect((agreedShare[id] ?? 0) > 0.6) }
    }

    @Test func theSameSeedGivesTheSameMapBitForBit() {
        let matrix = PlantedConversation.generate(participants: 1_500, statements: 200, density: 0.3,
                                                  groups: 3, seed: 1).matrix
        let engine = OpinionMapEngine(configuration: OpinionMapConfiguration(seed: 99))
        let first = engine.map(matrix)
        let second = engine.map(matrix)
        #expect(first == second)
        // Another seed may number things differently but finds the same groups.
        let other = OpinionMapEngine(configuration: OpinionMapConfiguration(seed: 100)).map(matrix)
        #expect(PartitionAgreement.adjustedRandIndex(first.participants.map { $0.group ?? -1 },
                                                     other.participants.map { $0.group ?? -1 }) > 0.99)
    }

    @Test func groupsAreNumberedLargestFirstAndPartitionTheClusteredParticipants() {
        let matrix = PlantedConversation.generate(participants: 800, statements: 80, density: 0.4,
                                                  groups: 3, seed: 4).matrix
        let map = OpinionMapEngine().map(matrix)
        let sizes = map.groups.map(\.memberCount)
        #expect(sizes == sizes.sorted(by: >))
        #expect(map.groups.map(\.id) == Array(0 ..< map.groups.count))
        #expect(sizes.reduce(0, +) == map.clusteredParticipantCount)
        #expect(map.baseClusters.map(\.memberCount).reduce(0, +) == map.clusteredParticipantCount)
        #expect(map.baseClusters.count <= 100)
        for participant in map.participants {
            guard let group = participant.group, let base = participant.baseCluster else { continue }
            #expect(map.baseClusters[base].group == group)
        }
        for group in map.groups {
            for statement in group.representativeStatements where statement.isSignificant {
                #expect(statement.probabilityZ > 1.2816 && statement.representativenessZ > 1.2816)
            }
        }
    }
}

@Suite struct UpdateTests {
    @Test func anUpdateStartsFromThePreviousSolution() {
        let conversation = PlantedConversation.generate(participants: 2_000, statements: 300, density: 0.3,
                                                        groups: 3, seed: 21)
        var matrix = conversation.matrix
        let engine = OpinionMapEngine()
        let before = engine.map(matrix)
        var generator = SeededGenerator(seed: 5)
        let vote = conversation.sampleVote(participant: 17, statement: 250, generator: &generator)
        let after = engine.update(before, matrix: &matrix, newVotes: [vote])
        let cold = engine.map(matrix)

        // One vote barely moves the components: the warm start is already converged.
        #expect(after.components.iterations == 1)
        #expect(cold.components.iterations > 1)
        // The axes keep their orientation and the groups stay the same.
        #expect(cosine(before.components.first, after.components.first) > 0.999)
        #expect(cosine(before.components.second, after.components.second) > 0.999)
        #expect(after.groups.count == before.groups.count)
        #expect(PartitionAgreement.adjustedRandIndex(before.participants.map { $0.group ?? -1 },
                                                     after.participants.map { $0.group ?? -1 }) > 0.99)
        #expect(PartitionAgreement.adjustedRandIndex(cold.participants.map { $0.group ?? -1 },
                                                     after.participants.map { $0.group ?? -1 }) > 0.99)
        #expect(matrix.value(participant: 17, statement: 250) == vote.value)
    }

    @Test func participantsOnTheMapStayOnItAfterModeration() {
        // Twenty participants vote on eight statements; participant 0 only on statements 0–6.
        var table = (0 ..< 20).map { p -> [Int?] in (0 ..< 8).map { s in (p + s) % 3 == 0 ? -1 : 1 } }
        table[0][7] = nil
        var matrix = VoteMatrix(votes: votes(table))
        let engine = OpinionMapEngine()
        let before = engine.map(matrix)
        #expect(before.participants.first { $0.id == 0 }?.group != nil)

        // Moderation removes one of participant 0's statements: 6 votes stay in the matrix, but
        // as in Polis the vote on the moderated-out statement still counts towards the threshold
        // of 7, so participant 0 stays on the map computed afresh as well as on the update.
        matrix.moderateOut([3])
        #expect(matrix.voteCount(ofParticipant: 0) == 6)
        #expect(matrix.moderatedVoteCounts()[matrix.row(ofParticipant: 0)!] == 1)
        let cold = engine.map(matrix)
        let updated = engine.map(matrix, startingFrom: before)
        #expect(cold.participants.first { $0.id == 0 }?.group != nil)
        #expect(updated.participants.first { $0.id == 0 }?.group != nil)
        #expect(updated.statements.map(\.id) == [0, 1, 2, 4, 5, 6, 7])
    }
}

@Suite struct SmallConversationTests {
    let engine = OpinionMapEngine()

    @Test func twoCampsAreSeparatedAndDescribedExactly() throws {
        let map = engine.map(VoteMatrix(votes: votes(twoCampsTable())))
        #expect(map.groups.count == 2)
        #expect(map.groups.map(\.memberCount) == [10, 10])
        let campA = try #require(map.groups.first { $0.memberIDs.contains(0) })
        let campB = try #require(map.groups.first { $0.memberIDs.contains(10) })
        #expect(Set(campA.memberIDs) == Set(0 ..< 10))
        #expect(Set(campB.memberIDs) == Set(10 ..< 20))

        // Camp A stands out by agreeing with 0–3; camp B by disagreeing with them and agreeing
        // with 7 (which camp A passed), agreements listed first.
        #expect(campA.representativeStatements.map(\.statementID) == [0, 1, 2, 3])
        #expect(campA.representativeStatements.allSatisfy { $0.stance == .agree && $0.isSignificant })
        #expect(campB.representativeStatements.map(\.statementID) == [7, 0, 1, 2, 3])
        #expect(campB.representativeStatements.map(\.stance) == [.agree, .disagree, .disagree, .disagree, .disagree])

        // By hand: 10 of 10 in the group against 0 of 10 outside.
        let statement = campA.representativeStatements[0]
        #expect(statement.groupVotes == 10 && statement.groupAgrees == 10 && statement.groupDisagrees == 0)
        #expect(abs(statement.probability - 11.0 / 12) < 1e-12)
        #expect(abs(statement.probabilityZ - 11.0.squareRoot()) < 1e-12)
        #expect(abs(statement.representativeness - 11) < 1e-12)
        #expect(abs(statement.representativenessZ - 10 * (11.0 / 60).squareRoot()) < 1e-12)
        #expect(abs(statement.score - 11 * 10 * (11.0 / 60).squareRoot() * 11 / 12 * 11.0.squareRoot()) < 1e-9)

        // Everyone agrees with 4 and 5 and rejects 6.
        #expect(map.consensus.agree.map(\.statementID) == [4, 5])
        #expect(map.consensus.disagree.map(\.statementID) == [6])
        #expect(abs(map.consensus.agree[0].probability - 21.0 / 22) < 1e-12)
        #expect(abs(map.consensus.agree[0].probabilityZ - 21.0.squareRoot()) < 1e-12)

        // Group-informed consensus: (11/12)² for 4 and 5, (11/12)(1/12) for the divisive ones.
        #expect(map.groupInformedConsensus.map(\.statementID) == [4, 5, 0, 1, 2, 3, 7, 6])
        #expect(abs(map.groupInformedConsensus[0].agree - 121.0 / 144) < 1e-12)
        #expect(abs(map.groupInformedConsensus[2].agree - 11.0 / 144) < 1e-12)
        #expect(abs(map.groupInformedConsensus[7].disagree - 121.0 / 144) < 1e-12)

        // The divisive statements carry the first component; the unanimous ones do not move anyone.
        let loadings = Dictionary(uniqueKeysWithValues: map.statements.map { ($0.id, $0) })
        #expect(try abs(#require(loadings[0]).x) > 0.4)
        #expect(try abs(#require(loadings[4]).x) < 1e-9)
        #expect(try #require(loadings[4]).agrees == 20)
    }

    @Test func noVotesGiveAnEmptyMap() {
        let map = engine.map(VoteMatrix())
        #expect(map.participants.isEmpty)
        #expect(map.statements.isEmpty)
        #expect(map.groups.isEmpty)
        #expect(map.baseClusters.isEmpty)
        #expect(map.consensus == Consensus(agree: [], disagree: []))
        #expect(map.groupInformedConsensus.isEmpty)
    }

    @Test func oneParticipantFormsOneGroup() {
        let map = engine.map(VoteMatrix(votes: votes([[1, -1, 0, 1]])))
        #expect(map.groups.count == 1)
        #expect(map.groups[0].memberIDs == [0])
        #expect(map.groups[0].representativeStatements.isEmpty)
        #expect(map.participants[0].x == 0 && map.participants[0].y == 0)
        #expect(map.groupCountScores.isEmpty)
    }

    @Test func everyonePassingGivesOneGroupAndNoConsensus() {
        let table = [[Int?]](repeating: [0, 0, 0, 0, 0, 0, 0, 0], count: 30)
        let map = engine.map(VoteMatrix(votes: votes(table)))
        #expect(map.groups.count == 1)
        #expect(map.groups[0].memberCount == 30)
        #expect(map.components.first.allSatisfy { $0 == 0 })
        #expect(map.consensus.agree.isEmpty && map.consensus.disagree.isEmpty)
        #expect(map.groupInformedConsensus.allSatisfy { abs($0.agree - 1.0 / 32) < 1e-12 })
    }

    @Test func repeatedVotesCountOnceWithTheLatestValue() throws {
        // The two camps, but camp A first voted the other way on statement 0 and changed its mind.
        var events = votes(twoCampsTable()).map { vote -> Vote in
            var later = vote
            later.timestamp = 1_000
            return later
        }
        for participant in 0 ..< 10 {
            events.insert(Vote(participant: participant, statement: 0, value: .disagree, timestamp: 1), at: 0)
        }
        let map = engine.map(VoteMatrix(votes: events))
        let statement0 = try #require(map.statements.first { $0.id == 0 })
        #expect(statement0.votes == 20)
        #expect(statement0.agrees == 10)
        #expect(map.groups.map(\.memberCount) == [10, 10])
    }

    @Test func aModeratedOutStatementIsIgnored() {
        // Statement 8 would split the camps differently, but it is moderated out.
        let table = twoCampsTable().enumerated().map { index, row in row + [index % 2 == 0 ? 1 : -1] }
        let map = engine.map(VoteMatrix(votes: votes(table), moderatedOut: [8]))
        #expect(!map.statements.contains { $0.id == 8 })
        #expect(map.groups.flatMap { $0.representativeStatements.map(\.statementID) }.allSatisfy { $0 != 8 })
        #expect(Set(map.groups[0].memberIDs) == Set(0 ..< 10) || Set(map.groups[0].memberIDs) == Set(10 ..< 20))
        #expect(map.participants.allSatisfy { $0.voteCount == 8 })
    }

    @Test func withFewerThanFifteenVotersTheMostActiveAreToppedUp() {
        // Participants 0–4 vote on all 8 statements; 5–19 on fewer, below the threshold of 7.
        let counts = [6, 5, 4, 3, 2, 1, 6, 5, 4, 3, 2, 1, 1, 1, 1]
        var table: [[Int?]] = (0 ..< 5).map { p in (0 ..< 8).map { s in (p * s) % 2 == 0 ? 1 : -1 } }
        for (index, count) in counts.enumerated() {
            table.append((0 ..< 8).map { s in s < count ? ((index + s) % 2 == 0 ? 1 : -1) : nil })
        }
        let map = engine.map(VoteMatrix(votes: votes(table)))
        let clustered = Set(map.participants.filter { $0.group != nil }.map(\.id))
        #expect(clustered == Set(0 ..< 10).union(11 ... 15))
        #expect(map.participants.count == 20)
    }

    @Test func aFewParticipantsAreAllClusteredAndVoterlessOnesAreNot() {
        // Six participants, three statements; participant 6 voted only on a moderated-out statement.
        var events = votes([[1, 1, -1], [1, 1, -1], [1, 0, -1], [-1, -1, 1], [-1, -1, 1], [-1, nil, 1]])
        events.append(Vote(participant: 6, statement: 3, value: .agree))
        let map = engine.map(VoteMatrix(votes: events, moderatedOut: [3]))
        #expect(map.clusteredParticipantCount == 6)
        #expect(map.participants.first { $0.id == 6 }?.group == nil)
        #expect(map.participants.first { $0.id == 6 }?.voteCount == 0)
        #expect(map.groups.count == 2)
        #expect(Set(map.groups.map { Set($0.memberIDs) }) == [[0, 1, 2], [3, 4, 5]])
    }
}
