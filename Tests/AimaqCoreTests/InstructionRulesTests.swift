import Testing
@testable import AimaqCore

@Suite struct WorkingCalendarTests {
    let calendar = WorkingCalendar([
        .init(date: try! CivilDate("2026-03-23"), kind: .holiday, name: "Nauryz"),
        .init(date: try! CivilDate("2026-03-24"), kind: .dayOff, name: "Nauryz (moved)"),
        .init(date: try! CivilDate("2026-03-28"), kind: .workingDay, name: "Transfer"),
    ])

    @Test func dayArithmeticMatchesTheCalendar() throws {
        #expect(try CivilDate("1970-01-01").dayNumber == 0)
        #expect(try CivilDate("2026-03-15").weekday == 7) // the referendum was on a Sunday
        #expect(try CivilDate("2026-07-01").weekday == 3)
        #expect(try CivilDate("2024-02-28").adding(days: 1) == CivilDate("2024-02-29"))
        #expect(try CivilDate("2025-12-31").adding(days: 1) == CivilDate("2026-01-01"))
        #expect(try CivilDate(dayNumber: CivilDate("2031-08-31").dayNumber) == CivilDate("2031-08-31"))
    }

    @Test func datesAndCodesAreWrittenAndReadBack() throws {
        #expect(try CivilDate(year: 5, month: 3, day: 7).description == "0005-03-07")
        #expect(try CivilDate(year: 2026, month: 12, day: 31).description == "2026-12-31")
        for text in ["2026-01-09", "1999-10-10", "9999-12-31"] { #expect(try CivilDate(text).description == text) }
        #expect(throws: CivilDate.ParseError.outOfRange("2026-2-30")) { try CivilDate(year: 2026, month: 2, day: 30) }
        #expect(try KATOCode(number: 435233100).description == "435233100")
        #expect(throws: KATOCode.ParseError.notNineDigits("43523310")) { try KATOCode(number: 43_523_310) }
        #expect(throws: KATOCode.ParseError.notNineDigits("-435233100")) { try KATOCode(number: -435_233_100) }
        #expect(throws: KATOCode.ParseError.unknownRegion("125233100")) { try KATOCode(number: 125_233_100) }
    }

    @Test func aDecreesTransfersOverrideTheLawsDays() throws {
        let decree = try WorkingCalendar.parse("date,kind,name\n2026-03-28,day_off,Cancelled transfer\n2026-01-03,working_day,Transfer\n")
        let merged = calendar.overlaid(with: decree)
        #expect(!merged.isWorkingDay(try CivilDate("2026-03-28")))
        #expect(merged.isWorkingDay(try CivilDate("2026-01-03"))) // a Saturday
        #expect(!merged.isWorkingDay(try CivilDate("2026-03-23"))) // kept from the first
        #expect(merged.specialDays.count == 4)
    }

    @Test func weekendsHolidaysAndTransfersCount() throws {
        #expect(!calendar.isWorkingDay(try CivilDate("2026-03-21"))) // Saturday
        #expect(!calendar.isWorkingDay(try CivilDate("2026-03-23"))) // holiday on a Monday
        #expect(!calendar.isWorkingDay(try CivilDate("2026-03-24"))) // declared day off
        #expect(calendar.isWorkingDay(try CivilDate("2026-03-25")))
        #expect(calendar.isWorkingDay(try CivilDate("2026-03-28"))) // a working Saturday
    }

    @Test func addingWorkingDaysSkipsDaysOff() throws {
        // Friday 20 March + 1 working day: Sat, Sun, holiday, day off are skipped.
        #expect(calendar.adding(workingDays: 1, to: try CivilDate("2026-03-20")) == (try CivilDate("2026-03-25")))
        #expect(calendar.adding(workingDays: 4, to: try CivilDate("2026-03-25")) == (try CivilDate("2026-03-30")))
        #expect(calendar.adding(workingDays: -1, to: try CivilDate("2026-03-25")) == (try CivilDate("2026-03-20")))
        #expect(calendar.workingDays(from: try CivilDate("2026-03-20"), to: try CivilDate("2026-03-30")) == 5)
        #expect(calendar.workingDays(from: try CivilDate("2026-03-30"), to: try CivilDate("2026-03-20")) == -5)
    }

    @Test func aDeadlineIsNeverLessThanTwoWorkingDaysAway() throws {
        let friday = try CivilDate("2026-03-20")
        #expect(calendar.checkDeadline(try CivilDate("2026-03-25"), setOn: friday)
                == .tooSoon(earliest: try CivilDate("2026-03-26"), minimum: 2))
        #expect(calendar.checkDeadline(try CivilDate("2026-03-26"), setOn: friday) == nil)
        // The minimum is a setting.
        var strict = calendar
        strict.minimumDeadline = 5
        #expect(strict.checkDeadline(try CivilDate("2026-03-26"), setOn: friday)
                == .tooSoon(earliest: try CivilDate("2026-03-30"), minimum: 5))
        #expect(strict.checkDeadline(try CivilDate("2026-03-26"), setOn: friday)?.description.contains("at least 5 working days") == true)
    }

    @Test func calendarFileErrorsNameTheLine() {
        #expect(throws: CSVReader.ParseError(line: 3, column: 2, message: "kind must be holiday, day_off or working_day, got \"party\"")) {
            try WorkingCalendar.parse("date,kind,name\n2026-01-01,holiday,New Year\n2026-01-02,party,x\n")
        }
        #expect(throws: CSVReader.ParseError.self) { try WorkingCalendar.parse("date,kind,name\n2026-13-01,holiday,x\n") }
    }
}

@Suite struct AssignmentStateMachineTests {
    @Test func theUsualPathEndsAccepted() throws {
        var status = AssignmentStatus.registered
        for event: AssignmentEvent in [.assign, .start, .submitReport, .returnReport, .submitReport, .accept(final: true)] {
            status = try status.applying(event)
        }
        #expect(status == .accepted)
    }

    @Test func periodicReportsReopenUntilTheFinalOne() throws {
        let after = try AssignmentStatus.reportSubmitted.applying(.accept(final: false))
        #expect(after == .inProgress)
    }

    @Test func illegalTransitionsAreRefusedWithAMessage() {
        #expect(throws: TransitionError(from: .registered, event: "submit_report")) {
            try AssignmentStatus.registered.applying(.submitReport)
        }
        #expect(throws: TransitionError(from: .inProgress, event: "accept")) {
            try AssignmentStatus.inProgress.applying(.accept(final: true))
        }
        for final in [AssignmentStatus.accepted, .removedFromControl] {
            #expect(throws: TransitionError.self) { try final.applying(.removeFromControl) }
            #expect(throws: TransitionError.self) { try final.applying(.extend(newDeadline: try! CivilDate("2026-12-31"))) }
        }
        #expect(TransitionError(from: .inProgress, event: "accept").description
                == "an assignment that is in progress cannot take \"accept\"")
    }

    @Test func everyOpenStateCanBeExtendedOrRemoved() throws {
        for state in AssignmentStatus.allCases where !state.isFinal {
            #expect(try state.applying(.extend(newDeadline: try CivilDate("2026-12-31"))) == .extended)
            #expect(try state.applying(.removeFromControl) == .removedFromControl)
        }
    }

    @Test func overdueIsDerivedFromTheDeadline() throws {
        let deadline = try CivilDate("2026-06-30")
        let after = try CivilDate("2026-07-01")
        #expect(AssignmentStatus.inProgress.isOverdue(deadline: deadline, today: after))
        #expect(!AssignmentStatus.inProgress.isOverdue(deadline: deadline, today: deadline))
        #expect(!AssignmentStatus.reportSubmitted.isOverdue(deadline: deadline, today: after))
        #expect(!AssignmentStatus.accepted.isOverdue(deadline: deadline, today: after))
        #expect(AssignmentStatus.returned.isOverdue(deadline: deadline, today: after))
    }
}

@Suite struct CompletionTests {
    @Test func indicatorsGiveCompletionCappedAtOne() {
        #expect(Completion.Indicator(target: 200, actual: 50).completion == 0.25)
        #expect(Completion.Indicator(target: 200, actual: 300).completion == 1)
        #expect(Completion.Indicator(target: 200, actual: nil).completion == 0)
        #expect(Completion.Indicator(target: 10, actual: 20, lowerIsBetter: true).completion == 0.5)
        #expect(Completion.Indicator(target: 0, actual: 3).completion == 1)
        let mixed = Completion.completion(status: .inProgress, indicators: [
            .init(target: 100, actual: 50), .init(target: 4, actual: 4),
        ])
        #expect(mixed == 0.75)
        #expect(Completion.completion(status: .accepted, indicators: [.init(target: 100, actual: 0)]) == 1)
        #expect(Completion.completion(status: .removedFromControl, indicators: []) == nil)
        #expect(Completion.completion(status: .reportSubmitted, indicators: []) == 0.5)
    }

    @Test func rollUpIsAWeightedMeanUpTheTree() throws {
        #expect(Completion.rollUp([.init(completion: 1, weight: 3), .init(completion: 0, weight: 1)]) == 0.75)
        #expect(Completion.rollUp([]) == nil)
        #expect(Completion.rollUp([.init(completion: 1, weight: 0)]) == nil)
        let region = try KATOCode("430000000"), shieli = try KATOCode("435200000"), aral = try KATOCode("433200000")
        let tree = TerritoryTree([
            Territory(code: region, parent: nil, kind: .oblast, name: .init(kk: "", ru: "", en: "")),
            Territory(code: shieli, parent: region, kind: .district, name: .init(kk: "", ru: "", en: "")),
            Territory(code: aral, parent: region, kind: .district, name: .init(kk: "", ru: "", en: "")),
        ])
        let rolled = Completion.rollUp(byTerritory: [
            (shieli, .init(completion: 1, weight: 1)),
            (shieli, .init(completion: 0.5, weight: 1)),
            (aral, .init(completion: 0, weight: 2)),
        ], tree: tree)
        #expect(rolled[shieli]?.completion == 0.75)
        #expect(rolled[shieli]?.count == 2)
        #expect(rolled[aral]?.completion == 0)
        #expect(rolled[region]?.completion == 0.375)
        #expect(rolled[region]?.count == 3)
    }
}

@Suite struct PlanImportTests {
    static let header = "source_key,source_kind,source_date,source_number,source_title,point,text,category,deadline,period,public,indicator_name,indicator_unit,indicator_target,territory,assignment_deadline\n"
    let known: Set<Int> = [430000000, 435200000, 433200000]
    let today = try! CivilDate("2026-03-02")

    func parse(_ body: String) -> Result<PlanImport.Plan, PlanImport.Problems> {
        PlanImport.parse(Self.header + body, territoryExists: { known.contains($0.value) }, calendar: WorkingCalendar(), today: today)
    }

    @Test func aGoodPlanGroupsSourcesInstructionsAndAssignments() throws {
        let result = parse("""
        A25,address,2025-09-08,,Action plan,1.1,"Repair roads, bridges",roads,2026-12-31,quarterly,yes,Roads repaired,km,150,430000000,
        A25,address,2025-09-08,,Action plan,1.1,"Repair roads, bridges",roads,2026-12-31,quarterly,yes,Roads repaired,km,150,435200000,2026-10-01
        A25,address,2025-09-08,,Action plan,1.2,Water for villages,water,2026-11-30,once,no,,,,433200000,

        """)
        let plan = try result.get()
        #expect(plan.sources.count == 1)
        #expect(plan.instructions.count == 2)
        #expect(plan.instructions[0].indicator?.target == 150)
        #expect(plan.instructions[1].isPublic == false)
        #expect(plan.assignments.count == 3)
        #expect(plan.assignments[1].deadline == (try CivilDate("2026-10-01")))
        #expect(plan.assignments[0].deadline == (try CivilDate("2026-12-31")))
    }

    @Test func everyBadCellIsReportedWithLineAndColumn() {
        let result = parse("""
        A25,address,2025-09-08,,Action plan,1.1,Repair roads,roads,2026-12-31,quarterly,yes,,,,430000000,
        A25,speech,2025-13-08,,Action plan,1.2,,bridges,2026-12-31,weekly,maybe,Km,,x,999999999,2026-03-03
        A25,address,2025-09-08,,Action plan,1.1,Repair roads,roads,2026-12-31,quarterly,yes,,,,430000000,

        """)
        guard case .failure(let problems) = result else {
            Issue.record("a bad file was accepted")
            return
        }
        let where_ = problems.items.map { "\($0.line):\($0.column)" }
        #expect(where_.contains("3:2"))   // source_kind
        #expect(where_.contains("3:3"))   // source_date
        #expect(where_.contains("3:7"))   // text
        #expect(where_.contains("3:8"))   // category
        #expect(where_.contains("3:10"))  // period
        #expect(where_.contains("3:11"))  // public
        #expect(where_.contains("3:13"))  // indicator unit
        #expect(where_.contains("3:14"))  // indicator target
        #expect(where_.contains("3:15"))  // territory
        #expect(where_.contains("3:16"))  // deadline too soon
        #expect(where_.contains("4:15"))  // assigned twice
        #expect(problems.items.first { $0.line == 3 && $0.column == 15 }?.message.contains("999999999") == true)
    }

    @Test func aMissingColumnOrAnEmptyFileIsRefused() {
        guard case .failure(let problems) = PlanImport.parse("source_key,point\nA,1\n", territoryExists: { _ in true },
                                                             calendar: WorkingCalendar(), today: today) else {
            Issue.record("accepted")
            return
        }
        #expect(problems.items.first?.message.contains("source_kind") == true)
        guard case .failure(let empty) = parse("") else {
            Issue.record("accepted")
            return
        }
        #expect(empty.items.first?.message.contains("no assignment lines") == true)
    }
}

@Suite struct UTCTimeTests {
    @Test func formatsUTCMomentsLikeTheStandards() {
        #expect(UTCTime.iso8601(milliseconds: 0) == "1970-01-01T00:00:00Z")
        #expect(UTCTime.iso8601(milliseconds: 1_772_442_907_999) == "2026-03-02T09:15:07Z")
        #expect(UTCTime.compact(milliseconds: 1_772_442_907_000) == "20260302T091507Z")
        #expect(UTCTime.iso8601(milliseconds: -1) == "1969-12-31T23:59:59Z")
        #expect(UTCTime.iso8601(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00Z")
    }
}

@Suite struct RoadMapTests {
    let calendar = WorkingCalendar()

    @Test func onlyLongInstructionsOfSeveralBodiesNeedOne() throws {
        let rule = RoadMapRule()
        let given = try CivilDate("2026-01-15")
        #expect(rule.isRequired(given: given, deadline: try CivilDate("2026-07-16"), severalBodies: true))
        #expect(!rule.isRequired(given: given, deadline: try CivilDate("2026-07-15"), severalBodies: true))
        #expect(!rule.isRequired(given: given, deadline: try CivilDate("2027-01-15"), severalBodies: false))
        // Ten working days: two weeks on a calendar with no holidays.
        #expect(rule.due(given: given, calendar: calendar) == (try CivilDate("2026-01-29")))
        #expect(try CivilDate("2026-08-31").adding(months: 6) == (try CivilDate("2027-02-28")))
        #expect(try CivilDate("2026-11-30").adding(months: 3) == (try CivilDate("2027-02-28")))
    }

    @Test func milestonesAreCheckedAndPutInOrder() throws {
        let from = try CivilDate("2026-01-15"), to = try CivilDate("2026-12-31")
        let good = Milestone.validated([("2026-06-01", "Second step"), ("", ""), ("2026-03-01", "First step")], from: from, to: to)
        #expect(try good.get().map(\.text) == ["First step", "Second step"])
        guard case .failure(let refusal) = Milestone.validated(
            [("2026-13-01", "Bad date"), ("2027-02-01", "After the deadline"), ("2026-05-05", "x")], from: from, to: to) else {
            Issue.record("should be refused")
            return
        }
        #expect(refusal.problems == [.badDate(number: 1, text: "2026-13-01"), .outOfTerm(number: 2, from: from, to: to), .badText(number: 3)])
        guard case .failure(let none) = Milestone.validated([("", " ")], from: from, to: to) else { return }
        #expect(none.problems == [.none])
    }
}
