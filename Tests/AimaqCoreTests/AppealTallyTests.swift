import Testing
@testable import AimaqCore

@Suite struct AppealTallyTests {
    /// The counts recounted from every appeal, as the database counts them.
    static func recount(_ appeals: [Int: AppealTally.Appeal], region: Int?, topic: String?, today: CivilDate) -> [Int: AppealCounts] {
        var result: [Int: AppealCounts] = [:]
        for appeal in appeals.values where (topic == nil || appeal.topic == topic) && (region == nil || appeal.region == region) {
            var one = AppealCounts(total: 1)
            if appeal.status.awaitsAnswer {
                one.awaiting = 1
                one.overdue = appeal.deadline < today ? 1 : 0
            }
            if appeal.status == .answered {
                one.answered = 1
                one.answeredOnTime = appeal.answeredOn.map { $0 <= appeal.deadline ? 1 : 0 } ?? 0
            }
            if let rating = appeal.rating {
                one.ratings = 1
                one.ratingSum = rating
            }
            result[region == nil ? appeal.region : appeal.district, default: AppealCounts()].add(one)
        }
        return result
    }

    @Test func countsKeptOneChangeAtATimeAgreeWithARecountOfEveryAppeal() throws {
        var random = AssignmentIndexTests.Generator(state: 15)
        var tally = AppealTally()
        var appeals: [Int: AppealTally.Appeal] = [:]
        let topics = ["water", "roads", "heating"]
        let days = try (1...28).map { try CivilDate(year: 2026, month: 4, day: $0) }
        for step in 0..<3_000 {
            let id = random.next(400)
            let appeal: AppealTally.Appeal?
            if random.next(7) == 0 {
                appeal = nil
            } else {
                let region = [43, 71, 75][random.next(3)]
                let status = AppealStatus.allCases[random.next(AppealStatus.allCases.count)]
                appeal = AppealTally.Appeal(
                    region: region, district: region * 10_000_000 + random.next(3) * 100_000,
                    topic: topics[random.next(3)], status: status, deadline: days[random.next(28)],
                    answeredOn: status == .answered ? days[random.next(28)] : nil,
                    rating: random.next(2) == 0 ? random.next(5) + 1 : nil)
            }
            tally.set(id, appeal)
            appeals[id] = appeal
            guard step % 100 == 99 else { continue }
            #expect(tally.count == appeals.count)
            for region in [nil, 43, 71] as [Int?] {
                for topic in [nil, "water"] as [String?] {
                    for today in [days[0], days[13], days[27]] {
                        #expect(tally.counts(region: region, topic: topic, today: today)
                                == Self.recount(appeals, region: region, topic: topic, today: today))
                    }
                }
                var topicsCounted: [String: Int] = [:]
                for appeal in appeals.values where region == nil || appeal.region == region { topicsCounted[appeal.topic, default: 0] += 1 }
                #expect(tally.byTopic(region: region) == topicsCounted)
            }
        }
    }

    @Test func anAnswerIsOverdueFromTheDayAfterItsDeadlineAndOnTimeOnIt() throws {
        var tally = AppealTally()
        let deadline = try CivilDate("2026-04-08")
        tally.set(1, AppealTally.Appeal(region: 43, district: 435_200_000, topic: "water", status: .registered, deadline: deadline))
        #expect(tally.counts(region: nil, topic: nil, today: deadline)[43] == AppealCounts(total: 1, awaiting: 1))
        #expect(tally.counts(region: nil, topic: nil, today: try CivilDate("2026-04-09"))[43]
                == AppealCounts(total: 1, awaiting: 1, overdue: 1))
        tally.set(1, AppealTally.Appeal(region: 43, district: 435_200_000, topic: "water", status: .answered, deadline: deadline,
                                        answeredOn: deadline, rating: 4))
        #expect(tally.counts(region: 43, topic: "water", today: try CivilDate("2026-05-01"))
                == [435_200_000: AppealCounts(total: 1, answered: 1, answeredOnTime: 1, ratings: 1, ratingSum: 4)])
        tally.set(1, nil)
        #expect(tally.count == 0 && tally.counts(region: nil, topic: nil, today: deadline).isEmpty && tally.byTopic(region: nil).isEmpty)
    }
}
