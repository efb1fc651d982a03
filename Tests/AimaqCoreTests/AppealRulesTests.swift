import Testing
@testable import AimaqCore

@Suite struct AppealRulesTests {
    let calendar = WorkingCalendar([
        .init(date: try! CivilDate("2026-03-23"), kind: .holiday, name: "Nauryz"),
        .init(date: try! CivilDate("2026-03-24"), kind: .dayOff, name: "Nauryz (moved)"),
    ])

    @Test func theAnswerIsDueFifteenWorkingDaysAfterRegistrationAndAnExtensionCountsFromTheDeadline() throws {
        let terms = AppealTerms()
        // Registered on Monday 16 March: three weekends and the two Nauryz days push the term.
        let deadline = terms.deadline(registeredOn: try CivilDate("2026-03-16"), calendar: calendar)
        #expect(deadline == (try CivilDate("2026-04-08")))
        #expect(calendar.workingDays(from: try CivilDate("2026-03-16"), to: deadline) == 15)
        #expect(terms.extended(deadline, calendar: calendar) == (try CivilDate("2026-04-29")))
        let shorter = AppealTerms(answerDays: 10)
        #expect(shorter.deadline(registeredOn: try CivilDate("2026-03-16"), calendar: calendar) == (try CivilDate("2026-04-01")))
    }

    @Test func anExtensionIsGivenOnceWithAReasonAndOnlyWhileTheAnswerIsOwed() {
        let terms = AppealTerms()
        #expect(terms.extensionProblem(status: .registered, extensions: 0, reason: "A site check is needed") == nil)
        #expect(terms.extensionProblem(status: .registered, extensions: 0, reason: "  ") == .reasonRequired)
        #expect(terms.extensionProblem(status: .extended, extensions: 1, reason: "Again") == .extendedAlready)
        #expect(terms.extensionProblem(status: .answered, extensions: 0, reason: "Late") == .notAwaitingAnswer)
        #expect(AppealTerms(extensionsAllowed: 2).extensionProblem(status: .extended, extensions: 1, reason: "Again") == nil)
    }

    @Test func onlyAPoorRatingOfAnAnswerGoesToTheBodyAbove() {
        let terms = AppealTerms()
        #expect(terms.ratingProblem(status: .registered, rating: 1) == .notAnswered)
        #expect(terms.ratingProblem(status: .answered, rating: 6) == .ratingOutOfRange)
        #expect(terms.ratingProblem(status: .answered, rating: 5) == nil)
        #expect(terms.escalationProblem(status: .answered, rating: 2, hasBodyAbove: true) == nil)
        #expect(terms.escalationProblem(status: .answered, rating: 3, hasBodyAbove: true) == .ratingNotPoor)
        #expect(terms.escalationProblem(status: .answered, rating: nil, hasBodyAbove: true) == .ratingNotPoor)
        #expect(terms.escalationProblem(status: .answered, rating: 1, hasBodyAbove: false) == .noBodyAbove)
        #expect(terms.escalationProblem(status: .escalated, rating: 1, hasBodyAbove: true) == .notAnswered)
    }

    @Test func timelinessReadsTheDeadline() throws {
        let deadline = try CivilDate("2026-04-08")
        #expect(AppealTimeliness.of(status: .registered, deadline: deadline, answeredOn: nil, today: try CivilDate("2026-04-08")) == .pending)
        #expect(AppealTimeliness.of(status: .registered, deadline: deadline, answeredOn: nil, today: try CivilDate("2026-04-09")) == .overdue)
        #expect(AppealTimeliness.of(status: .answered, deadline: deadline, answeredOn: try CivilDate("2026-04-08"), today: deadline) == .onTime)
        #expect(AppealTimeliness.of(status: .answered, deadline: deadline, answeredOn: try CivilDate("2026-04-10"), today: deadline) == .late)
        #expect(AppealNumber.make(region: 43, year: 2026, sequence: 125) == "43-2026-000125")
        #expect(AppealNumber.make(region: 75, year: 2025, sequence: 1_234_567) == "75-2025-1234567")
    }

    @Test func stemsMeetAcrossInflectionsInTheThreeLanguages() {
        #expect(SimilarAppeals.stems("Вода, воды и водой!") == ["вод", "вод", "вод"])
        #expect(SimilarAppeals.stems("Ауылда ауыз су жоқ") == ["ауыл", "ауыз"])
        #expect(SimilarAppeals.stems("The roads and the road") == ["road", "road"])
    }

    /// The placement over numbered stems gives the group that the rule read plainly gives
    /// (`placeByVocabulary`), on buckets of random texts from a small vocabulary.
    @Test func placementOverNumberedStemsAgreesWithTheRuleReadPlainly() {
        var generator = SystemRandomNumberGenerator()
        let words = ["вода", "дорога", "школа", "свет", "отопление", "котельная", "ямы", "ремонт", "су", "жол", "мектеп", "water", "road",
                     "lights", "heating", "село", "улица", "неделя", "питьевой", "водопровод"]
        func text() -> String { (0..<Int.random(in: 3...9, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: " ") }
        var placed = 0
        for _ in 0..<200 {
            let members = (0..<Int.random(in: 1...40, using: &generator)).map { _ in (group: Int.random(in: 1...6, using: &generator), stems: SimilarAppeals.stems(text())) }
            let new = SimilarAppeals.stems(text())
            let expected = SimilarAppeals.placeByVocabulary(stems: new, among: members)
            let got = SimilarAppeals.place(stems: new, among: members)
            #expect(got == expected, "\(members) \(new)")
            if got != nil { placed += 1 }
        }
        #expect(placed > 20, "the random buckets place some texts in groups and leave others alone")
    }

    @Test func similarAppealsGroupAndDifferentOnesDoNot() {
        let texts = [
            SimilarAppeals.Text(id: 1, text: "В селе Жиделиарык уже две недели нет питьевой воды, просим восстановить водоснабжение"),
            SimilarAppeals.Text(id: 2, text: "Нет электричества на улице Абая третий день"),
            SimilarAppeals.Text(id: 3, text: "Жиделиарык: нет питьевой воды третью неделю, водоснабжение не восстановлено"),
            SimilarAppeals.Text(id: 4, text: "Просим отремонтировать дорогу к школе, ямы на дороге"),
            SimilarAppeals.Text(id: 5, text: "Питьевой воды в Жиделиарыке нет, восстановите водоснабжение"),
            SimilarAppeals.Text(id: 6, text: "На улице Абая нет электричества, свет отключён"),
        ]
        let groups = SimilarAppeals.group(texts)
        #expect(groups[1] == 1 && groups[3] == 1 && groups[5] == 1)
        #expect(groups[2] == 2 && groups[6] == 2)
        #expect(groups[4] == 4)
        let members = texts.map { SimilarAppeals.Member(id: $0.id, group: groups[$0.id]!, text: $0.text) }
        #expect(SimilarAppeals.place("Жиделиарык остался без питьевой воды, где водоснабжение?", among: members) == 1)
        #expect(SimilarAppeals.place("Ямы на дороге к школе, нужен ремонт дороги", among: members) == 4)
        #expect(SimilarAppeals.place("Детский сад переполнен, нет мест для детей", among: members) == nil)
        #expect(SimilarAppeals.place("Anything", among: []) == nil)
        // From stems kept beforehand, the same answers.
        let kept = members.map { (group: $0.group, stems: SimilarAppeals.stems($0.text)) }
        #expect(SimilarAppeals.place(stems: SimilarAppeals.stems("Ямы на дороге к школе, нужен ремонт дороги"), among: kept) == 4)
        #expect(SimilarAppeals.place(stems: SimilarAppeals.stems("Детский сад переполнен, нет мест для детей"), among: kept) == nil)
    }

    @Test func similarAppealsGroupInKazakhAndEnglishToo() {
        let texts = [
            SimilarAppeals.Text(id: 10, text: "Ауылымызда ауыз су жоқ, су құбырын жөндеуді сұраймыз"),
            SimilarAppeals.Text(id: 11, text: "Ауыз су құбыры бұзылған, ауылда су жоқ"),
            SimilarAppeals.Text(id: 12, text: "The school bus does not come to the village"),
            SimilarAppeals.Text(id: 13, text: "No school bus comes to our village any more"),
        ]
        let groups = SimilarAppeals.group(texts)
        #expect(groups[11] == 10 && groups[13] == 12 && groups[12] == 12)
    }

    @Test func publishedTextHidesContactsNumbersAndTheAuthorsName() {
        let text = "Меня зовут Айгуль Сериковна, ИИН 900101400123, тел. +7 701 123 45 67, aigul@mail.kz. Нет воды с 1 мая."
        let masked = PersonalData.masked(text, names: ["Айгуль Серикова"])
        #expect(!masked.contains("Айгуль") && !masked.contains("900101400123") && !masked.contains("701")
                && !masked.contains("aigul@mail.kz"))
        #expect(masked.contains("Нет воды с 1 мая."))
        #expect(masked.contains("ИИН ***, тел. ***, ***."), "got: \(masked)")
    }
}
