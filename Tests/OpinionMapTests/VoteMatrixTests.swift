import Testing
@testable import OpinionMap

@Suite struct VoteMatrixTests {
    @Test func latestVoteOnAPairWinsWhateverTheInputOrder() {
        let matrix = VoteMatrix(votes: [
            Vote(participant: 7, statement: 1, value: .agree, timestamp: 30),
            Vote(participant: 7, statement: 1, value: .disagree, timestamp: 10),
            Vote(participant: 7, statement: 2, value: .pass, timestamp: 20),
            Vote(participant: 7, statement: 2, value: .agree, timestamp: 20),  // same time, later in the list
            Vote(participant: 9, statement: 1, value: .disagree, timestamp: 5),
        ])
        #expect(matrix.participantCount == 2)
        #expect(matrix.statementCount == 2)
        #expect(matrix.voteCount == 3)
        #expect(matrix.value(participant: 7, statement: 1) == .agree)
        #expect(matrix.value(participant: 7, statement: 2) == .agree)
        #expect(matrix.value(participant: 9, statement: 1) == .disagree)
        #expect(matrix.value(participant: 9, statement: 2) == nil)
        #expect(matrix.voteCount(ofParticipant: 7) == 2)
        #expect(matrix.voteCount(ofParticipant: 42) == 0)
    }

    @Test func moderatedOutStatementsAreNotColumnsAndTheirVotesDoNotCount() {
        let matrix = VoteMatrix(votes: [
            Vote(participant: 1, statement: 10, value: .agree),
            Vote(participant: 1, statement: 11, value: .agree),
            Vote(participant: 2, statement: 11, value: .disagree),
        ], moderatedOut: [11])
        #expect(matrix.statementIDs == [10])
        #expect(matrix.voteCount(ofParticipant: 1) == 1)
        #expect(matrix.voteCount(ofParticipant: 2) == 0)
        #expect(matrix.value(participant: 1, statement: 11) == nil)
    }

    @Test func identifiersNeedNotBeSmallOrPositive() {
        let matrix = VoteMatrix(votes: [
            Vote(participant: -5, statement: 1 << 40, value: .agree),
            Vote(participant: Int.max, statement: 3, value: .disagree),
            Vote(participant: -5, statement: 3, value: .pass),
        ])
        #expect(matrix.participantIDs == [-5, Int.max])
        #expect(matrix.statementIDs == [1 << 40, 3])
        #expect(matrix.value(participant: -5, statement: 1 << 40) == .agree)
        #expect(matrix.value(participant: Int.max, statement: 3) == .disagree)
    }

    @Test(arguments: [1, 100])  // a few votes go in place; many are merged in one pass
    func applyingVotesReplacesRepeatedPairsAndAddsNewOnes(batchSize: Int) {
        var matrix = VoteMatrix(votes: votes([[1, -1, nil], [0, nil, 1]]))
        var newVotes = [
            Vote(participant: 0, statement: 1, value: .agree),  // replaces
            Vote(participant: 1, statement: 1, value: .disagree),  // new pair
            Vote(participant: 5, statement: 0, value: .pass),  // new participant
            Vote(participant: 0, statement: 9, value: .agree),  // new statement
        ]
        // Pad with repeats of the same final votes to reach the batch size.
        while newVotes.count < batchSize { newVotes.append(newVotes[newVotes.count % 4]) }
        matrix.apply(newVotes)
        #expect(matrix.participantIDs == [0, 1, 5])
        #expect(matrix.statementIDs == [0, 1, 2, 9])
        #expect(matrix.value(participant: 0, statement: 0) == .agree)
        #expect(matrix.value(participant: 0, statement: 1) == .agree)
        #expect(matrix.value(participant: 1, statement: 1) == .disagree)
        #expect(matrix.value(participant: 1, statement: 2) == .agree)
        #expect(matrix.value(participant: 5, statement: 0) == .pass)
        #expect(matrix.value(participant: 0, statement: 9) == .agree)
        #expect(matrix.voteCount == 7)
    }

    @Test func applyIgnoresVotesOnModeratedOutStatements() {
        var matrix = VoteMatrix(votes: votes([[1, 1]]), moderatedOut: [3])
        matrix.apply([Vote(participant: 0, statement: 3, value: .agree)])
        #expect(matrix.statementIDs == [0, 1])
        #expect(matrix.voteCount == 2)
    }

    @Test func moderatingOutLaterRemovesTheColumnAndItsVotes() {
        var matrix = VoteMatrix(votes: votes([[1, -1, 0], [nil, 1, 1]]))
        matrix.moderateOut([1])
        #expect(matrix.statementIDs == [0, 2])
        #expect(matrix.voteCount(ofParticipant: 0) == 2)
        #expect(matrix.voteCount(ofParticipant: 1) == 1)
        #expect(matrix.value(participant: 0, statement: 2) == .pass)
        matrix.apply([Vote(participant: 0, statement: 1, value: .agree)])
        #expect(matrix.value(participant: 0, statement: 1) == nil)
    }

    @Test func builderAndVoteListGiveTheSameMatrix() {
        let events = votes([[1, nil, -1], [0, 1, nil], [nil, nil, 1]])
        var builder = VoteMatrix.Builder()
        for vote in events { builder.append(participant: vote.participant, statement: vote.statement, value: vote.value) }
        let built = builder.build()
        let listed = VoteMatrix(votes: events)
        #expect(built.allVotes() == listed.allVotes())
        #expect(built.allVotes().count == 5)
    }
}
