import Testing
@testable import OpinionMap

@Suite struct StatementRoutingTests {
    @Test func aStatementWithFewVotesOutranksOneWithMany() {
        let fresh = StatementRouting.Candidate(id: 1)
        let worn = StatementRouting.Candidate(id: 2, agrees: 60, disagrees: 30, passes: 10)
        #expect(StatementRouting.priority(fresh) > 10 * StatementRouting.priority(worn))
        // The same shares of the votes: the boost fades as votes come in.
        let five = StatementRouting.Candidate(id: 3, agrees: 3, disagrees: 2)
        let fifty = StatementRouting.Candidate(id: 4, agrees: 30, disagrees: 20)
        #expect(StatementRouting.priority(five) > 2 * StatementRouting.priority(fifty))
    }

    @Test func passesAndLittleAgreementLowerThePriority() {
        let agreed = StatementRouting.Candidate(id: 1, agrees: 40, disagrees: 10, passes: 0)
        let passed = StatementRouting.Candidate(id: 2, agrees: 10, disagrees: 0, passes: 40)
        #expect(StatementRouting.priority(agreed) > StatementRouting.priority(passed))
        let divisive = StatementRouting.Candidate(id: 3, agrees: 40, disagrees: 10, extremity: 2)
        #expect(StatementRouting.priority(divisive) > StatementRouting.priority(agreed))
    }

    @Test func aParticipantNeverGetsAStatementTwiceAndEveryOneInTheEnd() {
        let candidates = (0 ..< 30).map { StatementRouting.Candidate(id: $0, agrees: $0 * 3, disagrees: $0, passes: $0 % 4) }
        var voted: Set<Int> = []
        for cast in 0 ..< 30 {
            let seed = StatementRouting.seed(participant: 7, votesCast: cast, conversation: 1)
            guard let next = StatementRouting.next(among: candidates, votedOn: voted, seed: seed) else {
                Issue.record("no statement after \(cast) votes")
                return
            }
            #expect(!voted.contains(next))
            voted.insert(next)
        }
        #expect(voted == Set(0 ..< 30))
        #expect(StatementRouting.next(among: candidates, votedOn: voted, seed: 1) == nil)
    }

    @Test func newStatementsAreShownFarMoreOftenThanWornOnes() {
        var candidates = (0 ..< 20).map { StatementRouting.Candidate(id: $0, agrees: 200, disagrees: 150, passes: 50) }
        candidates.append(StatementRouting.Candidate(id: 100))
        var newShown = 0
        for participant in 0 ..< 1_000 {
            let seed = StatementRouting.seed(participant: participant, votesCast: 0, conversation: 3)
            if StatementRouting.next(among: candidates, votedOn: [], seed: seed) == 100 { newShown += 1 }
        }
        // One statement in 21, yet shown to most participants first.
        #expect(newShown > 500)
    }

    @Test func theSameSeedGivesTheSameStatement() {
        let candidates = (0 ..< 10).map { StatementRouting.Candidate(id: $0, agrees: $0) }
        let seed = StatementRouting.seed(participant: 1, votesCast: 4, conversation: 2)
        let first = StatementRouting.next(among: candidates, votedOn: [1, 2], seed: seed)
        #expect(StatementRouting.next(among: candidates, votedOn: [1, 2], seed: seed) == first)
        #expect(StatementRouting.seed(participant: 1, votesCast: 5, conversation: 2) != seed)
    }
}
