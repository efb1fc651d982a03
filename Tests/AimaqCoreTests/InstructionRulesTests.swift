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
        #expect(calendar.checkDeadline(try CivilDate("2026-03-25"), setOn: friday) == .tooSoon(earliest: try CivilDate("2026-03-26")))
        #expect(calendar.checkDeadline(try CivilDate("2026-03-26"), setOn: friday) == nil)
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

@Suite struct ProgressTests {
    @Test func indicatorsGiveCompletionCappedAtOne() {
        #expect(Progress.Indicator(target: 200, actual: 50).completion == 0.25)
        #expect(Progress.Indicator(target: 200, actual: 300).completion == 1)
        #expect(Progress.Indicator(target: 200, actual: nil).completion == 0)
        #expect(Progress.Indicator(target: 10, actual: 20, lowerIsBetter: true).completion == 0.5)
        #expect(Progress.Indicator(target: 0, actual: 3).completion == 1)
        let mixed = Progress.completion(status: .inProgress, indicators: [
            .init(target: 100, actual: 50), .init(target: 4, actual: 4),
        ])
        #expect(mixed == 0.75)
        #expect(Progress.completion(status: .accepted, indicators: [.init(target: 100, actual: 0)]) == 1)
        #expect(Progress.completion(status: .removedFromControl, indicators: []) == nil)
        #expect(Progress.completion(status: .reportSubmitted, indicators: []) == 0.5)
    }

    @Test func rollUpIsAWeightedMeanUpTheTree() throws {
        #expect(Progress.rollUp([.init(completion: 1, weight: 3), .init(completion: 0, weight: 1)]) == 0.75)
        #expect(Progress.rollUp([]) == nil)
        #expect(Progress.rollUp([.init(completion: 1, weight: 0)]) == nil)
        let region = try KATOCode("430000000"), shieli = try KATOCode("435200000"), aral = try KATOCode("433200000")
        let tree = TerritoryTree([
            Territory(code: region, parent: nil, kind: .oblast, name: .init(kk: "", ru: "", en: "")),
            Territory(code: shieli, parent: region, kind: .district, name: .init(kk: "", ru: "", en: "")),
            Territory(code: aral, parent: region, kind: .district, name: .init(kk: "", ru: "", en: "")),
        ])
        let rolled = Progress.rollUp(byTerritory: [
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
