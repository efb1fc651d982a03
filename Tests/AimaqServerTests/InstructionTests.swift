import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct InstructionControl {
        @Test func registerShowsOnlyPublicInstructionsToTheUnsignedAndFilters() async throws {
            try await withAimaq { app, fixture in
                var anonymous = Visitor(app)
                let all = try await anonymous.get("/instructions?lang=en").body.string
                #expect(all.contains("3 assignments"))
                #expect(!all.contains("Internal audit"))
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                #expect(try await deputy.get("/instructions?lang=en").body.string.contains("4 assignments"))
                let overdue = try await anonymous.get("/instructions?overdue=true&lang=en").body.string
                #expect(overdue.contains("1 assignments"))
                #expect(overdue.contains("/assignments/\(fixture.plan.aralAssignment)"))
                let due = try await anonymous.get("/instructions?due_within=45&lang=en").body.string
                #expect(due.contains("/assignments/\(fixture.plan.shieliAssignment)"))
                #expect(!due.contains("/assignments/\(fixture.plan.regionAssignment)\""))
                let shieli = try await deputy.get("/instructions?territory=435200000&lang=en").body.string
                #expect(shieli.contains("2 assignments"))
                let bad = try await anonymous.get("/instructions?status=lost&lang=en")
                #expect(bad.status == .badRequest)
                #expect(bad.body.string.contains("status"))
            }
        }

        @Test func reportIsReturnedResubmittedAndAcceptedWithFullHistory() async throws {
            try await withAimaq { app, fixture in
                let id = fixture.plan.shieliAssignment
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let first = try await officer.postMultipart("/assignments/\(id)/reports",
                    fields: ["text": "Resurfaced 10 km", "value_\(fixture.plan.indicator)": "10"],
                    files: [("files[]", "act.pdf", Data("%PDF-1.4 act".utf8))])
                #expect(first.status == .seeOther)
                var assignment = try #require(try await Assignment.find(id, on: app.db))
                #expect(assignment.status == .reportSubmitted)
                #expect(assignment.completion == 0.1)
                let file = try #require(try await EvidenceFile.query(on: app.db).sort(\.$id, .descending).first())
                #expect(file.fileName == "act.pdf")
                // Both reviewers of the region were told.
                let reviewers = try await Account.query(on: app.db).filter(\.$email ~~ [Fixture.email("maslikhat"), Fixture.email("national")]).all()
                for reviewer in reviewers {
                    #expect(try await NotificationRecord.query(on: app.db).filter(\.$accountID == reviewer.id!).filter(\.$kind == "report_arrived").count() == 1)
                }

                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let noRemarks = try await deputy.post("/assignments/\(id)/review", form: ["decision": "return"])
                #expect(noRemarks.status == .unprocessableEntity)
                #expect(try await deputy.post("/assignments/\(id)/review", form: ["decision": "return", "remarks": "Attach the acceptance act"]).status == .seeOther)
                assignment = try #require(try await Assignment.find(id, on: app.db))
                #expect(assignment.status == .returned)
                let officerAccount = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email("akimat")).first())
                #expect(try await NotificationRecord.query(on: app.db).filter(\.$accountID == officerAccount.id!).filter(\.$kind == "report_returned").count() == 1)

                #expect(try await officer.postMultipart("/assignments/\(id)/reports",
                    fields: ["text": "Resurfaced 100 km, act attached", "value_\(fixture.plan.indicator)": "100"], files: []).status == .seeOther)
                #expect(try await deputy.post("/assignments/\(id)/review", form: ["decision": "accept"]).status == .seeOther)
                assignment = try #require(try await Assignment.find(id, on: app.db))
                #expect(assignment.status == .accepted)
                #expect(assignment.completion == 1)

                let events = try await AssignmentEventRecord.query(on: app.db).filter(\.$assignmentID == id).sort(\.$id).all()
                #expect(events.map(\.event) == ["submit_report", "return_report", "submit_report", "accept"])
                #expect(events[1].reason == "Attach the acceptance act")
                let page = try await deputy.get("/assignments/\(id)?lang=en").body.string
                for label in ["Report submitted", "Report returned", "Report accepted", "Attach the acceptance act"] {
                    #expect(page.contains(label), "history shows \(label)")
                }
                // Each step is in the audit log, and the chain holds.
                #expect(try await AuditEntry.query(on: app.db).filter(\.$entityID == String(id)).count() == 4)
                #expect(try await AuditLog.verify(on: app.db).0 == nil)
                // A closed assignment takes no more reports.
                let late = try await officer.postMultipart("/assignments/\(id)/reports", fields: ["text": "More"], files: [])
                #expect(late.status == .conflict)
            }
        }

        @Test func badReportsAreRefusedWholeAndKeepNothing() async throws {
            try await withAimaq { app, fixture in
                let id = fixture.plan.shieliAssignment
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let files = try await app.aimaq.evidence.count(db: app.db as! any SQLDatabase)
                let response = try await officer.postMultipart("/assignments/\(id)/reports?lang=en",
                    fields: ["text": " ", "value_\(fixture.plan.indicator)": "many"],
                    files: [("files[]", "virus.exe", Data("MZ".utf8)), ("files[]", "renamed.pdf", Data("MZ\u{90}\0\u{3}".utf8))])
                #expect(response.status == .unprocessableEntity)
                let message = response.body.string
                #expect(message.contains("Describe what was done"))
                #expect(message.contains("Roads repaired"))
                #expect(message.contains("virus.exe"))
                // A program renamed to .pdf is known by its first bytes.
                #expect(message.contains("The content of renamed.pdf does not match its kind"))
                #expect(try await Assignment.find(id, on: app.db)?.status == .assigned)
                #expect(try await ReportRecord.query(on: app.db).filter(\.$assignmentID == id).count() == 0)
                #expect(try await app.aimaq.evidence.count(db: app.db as! any SQLDatabase) == files)
                // Without the token in the address the upload is refused before it is read.
                let forged = try await officer.postMultipart("/assignments/\(id)/reports", fields: ["text": "x"], files: [], csrf: false)
                #expect(forged.status == .forbidden)
            }
        }

        @Test func restrictedEvidenceIsServedOnlyToOfficialsOfTheTerritory() async throws {
            try await withAimaq { app, fixture in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let file = try await deputy.get("/evidence/\(fixture.plan.evidence)")
                #expect(file.status == .ok)
                #expect(file.body.string == "%PDF-1.4 test")
                #expect(file.headers.first(name: .contentDisposition)?.contains("attachment") == true)
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                #expect(try await citizen.get("/evidence/\(fixture.plan.evidence)").status == .forbidden)
                var stranger = Visitor(app)
                try await stranger.signIn("regional-admin")
                #expect(try await stranger.get("/evidence/\(fixture.plan.evidence)").status == .forbidden)
            }
        }

        @Test func deadlinesAreExtendedOnlyTwoWorkingDaysAheadOrMore() async throws {
            try await withAimaq { app, fixture in
                let id = fixture.plan.aralAssignment
                var deputy = Visitor(app)
                try await deputy.signIn("national")
                // Today is Monday 2 March 2026: the earliest deadline is Wednesday 4 March.
                let soon = try await deputy.post("/assignments/\(id)/extend?lang=en", form: ["deadline": "2026-03-03", "reason": "Weather"])
                #expect(soon.status == .unprocessableEntity)
                #expect(soon.body.string.contains("2026-03-04"))
                let noReason = try await deputy.post("/assignments/\(id)/extend", form: ["deadline": "2026-04-30", "reason": ""])
                #expect(noReason.status == .unprocessableEntity)
                #expect(try await deputy.post("/assignments/\(id)/extend", form: ["deadline": "2026-03-04", "reason": "Weather"]).status == .seeOther)
                let assignment = try #require(try await Assignment.find(id, on: app.db))
                #expect(assignment.status == .extended)
                #expect(assignment.deadline == "2026-03-04")
                let event = try #require(try await AssignmentEventRecord.query(on: app.db).filter(\.$assignmentID == id).first())
                #expect(event.reason == "Weather")
                #expect(event.deadline == "2026-03-04")
            }
        }

        @Test func illegalStepsAreRefusedWithAMessageAndChangeNothing() async throws {
            try await withAimaq { app, fixture in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let response = try await deputy.post("/assignments/\(fixture.plan.shieliAssignment)/review",
                                                      form: ["decision": "accept"])
                #expect(response.status == .conflict)
                #expect(response.body.string.contains("no report is waiting"))
                #expect(try await Assignment.find(fixture.plan.shieliAssignment, on: app.db)?.status == .assigned)
                let events = try await AssignmentEventRecord.query(on: app.db).count()
                #expect(events == 0)
            }
        }

        @Test func exportFollowsTheFiltersAndNeutralisesFormulas() async throws {
            try await withAimaq { app, fixture in
                let instruction = try #require(try await Instruction.find(fixture.plan.instruction, on: app.db))
                instruction.text = "=HYPERLINK(\"x\"), with a comma"
                try await instruction.save(on: app.db)
                var visitor = Visitor(app)
                let csv = try await visitor.get("/instructions/export?format=csv&territory=430000000")
                #expect(csv.headers.contentType?.subType == "csv")
                let lines = csv.body.string.split(separator: "\r\n")
                #expect(lines.first == "id,instruction,point,text,category,source,territory,body,deadline,status,completion")
                #expect(lines.count == 4)
                #expect(csv.body.string.contains("\"'=HYPERLINK(\"\"x\"\"), with a comma\""))
                struct Listing: Decodable { var items: [AssignmentDTO]; var total: Int }
                let json = try await visitor.get("/instructions/export?format=json&overdue=true").content.decode(Listing.self)
                #expect(json.total == 1)
                #expect(json.items.first?.id == fixture.plan.aralAssignment)
                #expect(try await visitor.get("/instructions/export?format=xml").status == .badRequest)
            }
        }

        @Test func territoryPageSummarisesInstructions() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let page = try await visitor.get("/territories/430000000?lang=en").body.string
                #expect(page.contains("Instructions under control"))
                #expect(page.contains("/instructions?territory=430000000&amp;overdue=true\">1</a>"))
                #expect(page.contains("<a href=\"/territories/435200000\">"))
            }
        }

        @Test func myWorkListsWhatEachRoleDoesNextAndFeedsACalendar() async throws {
            try await withAimaq { app, fixture in
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let officerPage = try await officer.get("/my?lang=en").body.string
                #expect(officerPage.contains("To report next"))
                #expect(officerPage.contains("/assignments/\(fixture.plan.shieliAssignment)"))
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let deputyPage = try await deputy.get("/my?lang=en").body.string
                #expect(deputyPage.contains("Reports to review"))
                #expect(deputyPage.contains("/assignments/\(fixture.plan.hiddenAssignment)"))
                let feedPath = try #require(Visitor.attribute("href", ofElementWithID: "calendar-feed", in: officerPage))
                var calendarApp = Visitor(app)
                let feed = try await calendarApp.get(feedPath.replacingOccurrences(of: "&amp;", with: "&"))
                #expect(feed.status == .ok)
                #expect(feed.body.string.hasPrefix("BEGIN:VCALENDAR\r\n"))
                #expect(feed.body.string.contains("UID:assignment-\(fixture.plan.shieliAssignment)@aimaq"))
                #expect(feed.body.string.contains("DTSTART;VALUE=DATE:20260415"))
                let forged = feedPath.replacingOccurrences(of: "&amp;", with: "&").dropLast(4) + "0000"
                #expect(try await calendarApp.get(String(forged)).status == .notFound)
            }
        }

        @Test func deadlineNotificationsAreWrittenOnce() async throws {
            try await withAimaq { app, fixture in
                let sweepDay = try CivilDate("2026-04-08") // five working days before 15 April
                let written = try await Notifications.sweepDeadlines(today: sweepDay, calendar: app.aimaq.calendar,
                                                                     tree: app.aimaq.territories.tree, on: app.db)
                #expect(written == 1)
                let again = try await Notifications.sweepDeadlines(today: sweepDay, calendar: app.aimaq.calendar,
                                                                   tree: app.aimaq.territories.tree, on: app.db)
                #expect(again == 0)
                let note = try #require(try await NotificationRecord.query(on: app.db).filter(\.$kind == "deadline_soon").first())
                #expect(note.assignmentID == fixture.plan.shieliAssignment)
            }
        }

        @Test func complexInstructionsAskTheirBodiesForARoadMap() async throws {
            try await withAimaq { app, fixture in
                let id = fixture.plan.hiddenAssignment
                // The hidden instruction (8 Sep 2025 to 30 Jun 2026) gets a co-executor: a complex one.
                try await (app.db as! any SQLDatabase).update("instructions").set("co_executors", to: SQLBind("Ministry of Finance"))
                    .where("id", .equal, SQLBind(fixture.plan.hiddenInstruction)).run()
                app.aimaq.register.invalidate()
                var deputy = Visitor(app)
                try await deputy.signIn("national")
                let owed = try await deputy.get("/instructions?road_map=missing&lang=en")
                #expect(owed.body.string.contains("/assignments/\(id)\""))
                #expect(!owed.body.string.contains("/assignments/\(fixture.plan.shieliAssignment)\""))
                let page = try await deputy.get("/assignments/\(id)?lang=en")
                #expect(page.body.string.contains("The road map was due by 22 Sep 2025"))

                // Its body is reminded once.
                let reminded = try await Notifications.sweepRoadMaps(
                    today: Fixture.today, calendar: app.aimaq.calendar, snapshot: try await app.aimaq.register.current(app.db as! any SQLDatabase),
                    tree: app.aimaq.territories.tree, on: app.db)
                #expect(reminded >= 1)
                #expect(try await Notifications.sweepRoadMaps(
                    today: Fixture.today, calendar: app.aimaq.calendar, snapshot: try await app.aimaq.register.current(app.db as! any SQLDatabase),
                    tree: app.aimaq.territories.tree, on: app.db) == 0)

                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let bad = try await officer.post("/assignments/\(id)/road-map?lang=en",
                                                 fields: [("date[]", "2026-13-01"), ("text[]", "Audit plan"),
                                                          ("date[]", "2026-08-01"), ("text[]", "After the deadline")])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("Milestone 1") && bad.body.string.contains("Milestone 2"))
                let good = try await officer.post("/assignments/\(id)/road-map",
                                                  fields: [("date[]", "2026-04-20"), ("text[]", "Audit of the last contracts"),
                                                           ("date[]", "2026-03-20"), ("text[]", "Audit plan approved"),
                                                           ("date[]", ""), ("text[]", "")])
                #expect(good.status == .seeOther)
                struct Row: Decodable { var position: Int; var due: String; var text: String }
                let rows = try await (app.db as! any SQLDatabase).select().columns("position", "due", "text").from("road_map_milestones")
                    .where("assignment_id", .equal, SQLBind(id)).orderBy("position").all(decoding: Row.self)
                #expect(rows.map(\.due) == ["2026-03-20", "2026-04-20"])
                let after = try await deputy.get("/instructions?road_map=missing&lang=en")
                #expect(!after.body.string.contains("/assignments/\(id)\""))
                let shown = try await deputy.get("/assignments/\(id)?lang=en")
                #expect(shown.body.string.contains("Audit plan approved") && !shown.body.string.contains("was due by"))
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "assignment.road_map").count() == 1)
                // Through the API with a token: the same checks, every problem at once; the new road map replaces the old.
                func post(_ key: String, _ json: String) async throws -> TestingHTTPResponse {
                    let account = try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email(key)).first())
                    let token = try await APITokens.issue(account: try account.requireID(), name: "road maps", actor: "test", on: app.db)
                    var headers = HTTPHeaders()
                    headers.bearerAuthorization = BearerAuthorization(token: token)
                    headers.contentType = .json
                    return try await app.testing().sendRequest(.POST, "/api/v1/road-maps?lang=en", headers: headers, body: ByteBuffer(string: json))
                }
                let refused = try await post("akimat", #"{"assignment":\#(id),"milestones":[{"date":"2026-02-30","text":"Audit"},{"date":"2026-05-01","text":"A"}]}"#)
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Milestone 1") && refused.body.string.contains("Milestone 2"))
                #expect(try await post("astana-officer", #"{"assignment":\#(id),"milestones":[{"date":"2026-05-01","text":"Audit"}]}"#).status
                        == .forbidden)
                let given = try await post("akimat", #"{"assignment":\#(id),"milestones":[{"date":"2026-04-28","text":"Contracts audited"}]}"#)
                #expect(given.status == .ok)
                let replaced = try await (app.db as! any SQLDatabase).select().columns("position", "due", "text").from("road_map_milestones")
                    .where("assignment_id", .equal, SQLBind(id)).orderBy("position").all(decoding: Row.self)
                #expect(replaced.map(\.due) == ["2026-04-28"] && replaced.first?.text == "Contracts audited")
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "assignment.road_map").count() == 2)
                // A handed-down assignment gives none of its own.
                let handedDown = try await officer.post("/assignments/\(fixture.plan.shieliAssignment)/road-map",
                                                        fields: [("date[]", "2026-03-20"), ("text[]", "Plan")])
                #expect(handedDown.status == .unprocessableEntity)
            }
        }

        @Test func theServerSweepsDeadlinesOnItsOwnAndStopsWithIt() async throws {
            try await withAimaq { app, fixture in
                app.aimaq.clock.pin(try CivilDate("2026-04-08"))
                let sweeper = DeadlineSweeper.task(interval: .milliseconds(20))
                try await sweeper.didBootAsync(app)
                var notes: [NotificationRecord] = []
                for _ in 0..<250 where notes.isEmpty {
                    try await Task.sleep(for: .milliseconds(20))
                    notes = try await NotificationRecord.query(on: app.db).filter(\.$kind == "deadline_soon").all()
                }
                try await Task.sleep(for: .milliseconds(100)) // several more turns
                await sweeper.shutdownAsync(app)
                notes = try await NotificationRecord.query(on: app.db).filter(\.$kind == "deadline_soon").all()
                #expect(notes.map(\.assignmentID) == [fixture.plan.shieliAssignment])
            }
        }

        @Test(.tags(.slow), .enabled(if: SlowTests.enabled, "the demo-scale test runs in CI or with AIMAQ_SLOW_TESTS=1"))
        func demoPlanIsLargeVariedAndReplaysThroughTheStateMachine() async throws {
            try await withAimaq { app, _ in
                let sql = try app.db.sql
                for table in ["evidence_files", "report_values", "reviews", "reports", "assignment_events", "assignments",
                              "instruction_indicators", "instructions", "source_documents"] {
                    try await sql.delete(from: table).run()
                }
                try await ReferenceData.ensure(app, territories: try ReferenceData.readTerritories(), replace: true, actor: "test")
                try await BodyRecord.query(on: app.db).delete()
                _ = try await ReferenceData.ensureBodies(app, actor: "test")
                let summary = try await InstructionDemo.load(app, today: try CivilDate("2026-11-29"))
                #expect(summary.instructions >= 100)
                #expect(summary.assignments >= 5_000)
                let statuses = try await Assignment.query(on: app.db).all().reduce(into: [String: Int]()) { $0[$1.statusName, default: 0] += 1 }
                for status in ["in_progress", "report_submitted", "returned", "accepted", "extended", "removed_from_control"] {
                    #expect((statuses[status] ?? 0) > 50, "\(status): \(statuses[status] ?? 0)")
                }
                // Every assignment's history, replayed through the state machine, ends in its status.
                let events = try await AssignmentEventRecord.query(on: app.db).sort(\.$assignmentID).sort(\.$id).all()
                var replayed: [Int: AssignmentStatus] = [:]
                for event in events {
                    let from = replayed[event.assignmentID] ?? .registered
                    #expect(event.fromStatus == from.rawValue)
                    replayed[event.assignmentID] = AssignmentStatus(rawValue: event.toStatus)
                }
                let sample = try await Assignment.query(on: app.db).limit(500).all()
                for assignment in sample {
                    #expect(replayed[assignment.id!] == assignment.status, "assignment \(assignment.id!)")
                }
                // Kyzylorda oblast's districts receive their own assignments.
                #expect(try await Assignment.query(on: app.db).filter(\.$territoryID == 435200000).count() >= 100)
            }
        }
    }
}

extension Visitor {
    static func attribute(_ name: String, ofElementWithID id: String, in html: String) -> String? {
        guard let tagStart = html.range(of: "id=\"\(id)\"") else { return nil }
        let before = html[..<tagStart.lowerBound]
        guard let open = before.lastIndex(of: "<") else { return nil }
        let tag = html[open...].prefix { $0 != ">" }
        guard let attr = tag.range(of: "\(name)=\"") else { return nil }
        return String(tag[attr.upperBound...].prefix { $0 != "\"" })
    }
}

extension ServerTests.InstructionControl {
    static let planHeader = PlanImport.columns.joined(separator: ",") + "\n"

    @Test func aPlanIsImportedWholeOrNotAtAll() async throws {
        try await withAimaq { app, _ in
            var admin = Visitor(app)
            try await admin.signIn("admin")
            let before = try await Assignment.query(on: app.db).count()
            let bad = Self.planHeader
                + "K26,protocol,2026-01-08,01,Kyzylorda meeting,2.1,Build a water main,water,2026-12-31,quarterly,yes,Villages,units,5,435200000,\n"
                + "K26,protocol,2026-01-08,01,Kyzylorda meeting,2.2,Roads,roads,2026-12-31,weekly,yes,,,,999999999,\n"
            let refused = try await admin.postMultipart("/admin/import-plan?lang=en", fields: [:],
                                                        files: [("file", "plan.csv", Data(bad.utf8))])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Line 3, column 10:"))
            #expect(refused.body.string.contains("Line 3, column 15:"))
            #expect(try await Assignment.query(on: app.db).count() == before)

            let good = Self.planHeader
                + "K26,protocol,2026-01-08,01,Kyzylorda meeting,2.1,Build a water main,water,2026-12-31,quarterly,yes,Villages,units,5,435200000,\n"
                + "K26,protocol,2026-01-08,01,Kyzylorda meeting,2.1,Build a water main,water,2026-12-31,quarterly,yes,Villages,units,5,433200000,2026-10-01\n"
            let imported = try await admin.postMultipart("/admin/import-plan?lang=en", fields: [:],
                                                         files: [("file", "plan.csv", Data(good.utf8))])
            #expect(imported.status == .ok)
            #expect(imported.body.string.contains("2 assignments"))
            #expect(try await Assignment.query(on: app.db).count() == before + 2)
            let aral = try #require(try await Assignment.query(on: app.db).filter(\.$territoryID == 433200000)
                .filter(\.$deadline == "2026-10-01").first())
            #expect(aral.status == .assigned)
            // The same file again changes nothing.
            let again = try await admin.postMultipart("/admin/import-plan?lang=en", fields: [:],
                                                      files: [("file", "plan.csv", Data(good.utf8))])
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.string.contains("already in the register"))
            #expect(try await Assignment.query(on: app.db).count() == before + 2)
        }
    }
}

extension ServerTests.InstructionControl {
    @Test func apiListsTheRegisterWithTheSameRules() async throws {
        try await withAimaq { app, fixture in
            struct Page<Item: Decodable>: Decodable { var items: [Item]; var total: Int; var page: Int; var per: Int }
            struct Row: Decodable { var id: Int; var status: String; var territory: String }
            var anonymous = Visitor(app)
            let open = try await anonymous.get("/api/v1/assignments").content.decode(Page<Row>.self)
            #expect(open.total == 3)
            let overdue = try await anonymous.get("/api/v1/assignments?overdue=true").content.decode(Page<Row>.self)
            #expect(overdue.items.map(\.id) == [fixture.plan.aralAssignment])
            var deputy = Visitor(app)
            try await deputy.signIn("national")
            #expect(try await deputy.get("/api/v1/assignments").content.decode(Page<Row>.self).total == 4)
            struct Detail: Decodable {
                struct Summary: Decodable { var id: Int; var overdue: Bool }
                var assignments: [Summary]
                var indicators: [InstructionAPI.IndicatorDTO]
            }
            let detail = try await anonymous.get("/api/v1/instructions/\(fixture.plan.instruction)").content.decode(Detail.self)
            #expect(detail.assignments.count == 3)
            #expect(detail.assignments.first { $0.id == fixture.plan.aralAssignment }?.overdue == true)
            #expect(detail.indicators.first?.target == 100)
            struct Report: Decodable { var text: String; var files: [String] }
            let reports = try await deputy.get("/api/v1/reports?assignment=\(fixture.plan.hiddenAssignment)").content.decode(Page<Report>.self)
            #expect(reports.items.first?.files == ["/evidence/\(fixture.plan.evidence)"])
            let bad = try await anonymous.get("/api/v1/assignments?due_within=-1")
            #expect(bad.status == .badRequest)
            #expect(try bad.content.decode(APIErrorBody.self).error.message.contains("due_within"))
        }
    }
}

extension ServerTests.InstructionControl {
    @Test func tokensWriteThroughTheAPIWithTheirOwnersRights() async throws {
        try await withAimaq { app, fixture in
            func token(for key: String) async throws -> String {
                var visitor = Visitor(app)
                try await visitor.signIn(key)
                let page = try await visitor.post("/my/tokens", form: ["name": "integration"]).body.string
                let start = try #require(page.range(of: "<code id=\"new-token\">"))
                return String(page[start.upperBound...].prefix { $0 != "<" })
            }
            let officerToken = try await token(for: "akimat")
            let deputyToken = try await token(for: "maslikhat")
            #expect(officerToken.hasPrefix("aimaq_"))
            #expect(try await APIToken.query(on: app.db).filter(\.$tokenHash == officerToken).count() == 0, "only the hash is stored")

            func send(_ path: String, _ body: String, token: String?) async throws -> TestingHTTPResponse {
                var headers: HTTPHeaders = ["Content-Type": "application/json"]
                if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
                return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
            }
            let id = fixture.plan.shieliAssignment
            let report = "{\"assignment\": \(id), \"text\": \"Resurfaced 40 km\", \"values\": {\"\(fixture.plan.indicator)\": 40}}"
            #expect(try await send("/api/v1/reports", report, token: nil).status == .unauthorized)
            #expect(try await send("/api/v1/reports", report, token: deputyToken).status == .forbidden)
            let created = try await send("/api/v1/reports", report, token: officerToken)
            #expect(created.status == .created)
            // The server's own time, with the transaction and the models' catching up as phases.
            let timing = created.headers.first(name: "Server-Timing") ?? ""
            #expect(timing.hasPrefix("app;dur=") && timing.contains(", tx;dur=") && timing.contains(", feed;dur="), "\(timing)")
            #expect(try await Assignment.find(id, on: app.db)?.completion == 0.4)
            let wrongReviewer = try await send("/api/v1/reviews", "{\"assignment\": \(id), \"decision\": \"accept\"}", token: officerToken)
            #expect(wrongReviewer.status == .forbidden)
            let accepted = try await send("/api/v1/reviews", "{\"assignment\": \(id), \"decision\": \"accept\"}", token: deputyToken)
            #expect(accepted.status == .ok)
            #expect(try await Assignment.find(id, on: app.db)?.status == .accepted)
            let badValue = try await send("/api/v1/reports", "{\"assignment\": \(fixture.plan.aralAssignment), \"text\": \"x\", \"values\": {\"777\": 1}}", token: officerToken)
            #expect(badValue.status == .forbidden, "Aral is not the officer's district")
            // A token's use is noted; the token of an account made inactive works no more.
            let deputyRecord = try #require(try await APIToken.query(on: app.db)
                .filter(\.$tokenHash == APITokens.hash(deputyToken)).first())
            #expect(deputyRecord.lastUsedAt != nil)
            let deputyAccount = try #require(try await Account.find(deputyRecord.accountID, on: app.db))
            deputyAccount.active = false
            try await deputyAccount.save(on: app.db)
            let inactive = try await send("/api/v1/reviews", "{\"assignment\": \(id), \"decision\": \"accept\"}", token: deputyToken)
            #expect(inactive.status == .unauthorized)
            // A revoked token no longer works.
            var officer = Visitor(app)
            try await officer.signIn("akimat")
            let tokenRecord = try #require(try await APIToken.query(on: app.db).filter(\.$tokenHash == APITokens.hash(officerToken)).first())
            #expect(try await officer.post("/my/tokens/\(try tokenRecord.requireID())/revoke", form: [:]).status == .seeOther)
            #expect(try await send("/api/v1/reports", report, token: officerToken).status == .unauthorized)
        }
    }
}

extension ServerTests.InstructionControl {
    @Test func cachedPagesFollowEveryChange() async throws {
        try await withAimaq { app, fixture in
            var anonymous = Visitor(app)
            let overdueLink = "/instructions?territory=430000000&amp;overdue=true\">"
            #expect(try await anonymous.get("/territories/430000000").body.string.contains(overdueLink + "1</a>"))
            // Served again from the cache.
            #expect(try await anonymous.get("/territories/430000000").body.string.contains(overdueLink + "1</a>"))
            var deputy = Visitor(app)
            try await deputy.signIn("national")
            #expect(try await deputy.post("/assignments/\(fixture.plan.aralAssignment)/extend",
                                          form: ["deadline": "2026-05-29", "reason": "Floods"]).status == .seeOther)
            #expect(try await anonymous.get("/territories/430000000").body.string.contains(overdueLink + "0</a>"))
            // Signed-in visitors get their own header, never the anonymous page.
            #expect(try await deputy.get("/territories/430000000").body.string.contains("/signout"))
            #expect(!(try await anonymous.get("/territories/430000000").body.string.contains("/signout")))
        }
    }

    @Test func anAssignmentIsHandedDownToTheTerritoriesBelowIt() async throws {
        try await withAimaq { app, fixture in
            let region = fixture.plan.regionAssignment
            var deputy = Visitor(app)
            try await deputy.signIn("maslikhat")
            let page = try await deputy.get("/assignments/\(region)?lang=en").body.string
            #expect(page.contains("id=\"split-form\""))
            // Shieli and Aral already have it; only the city of Kyzylorda is offered.
            #expect(page.contains("value=\"431000000\""))
            #expect(!page.contains("value=\"435200000\""))
            let path = "/assignments/\(region)/split"
            func refused(_ fields: [(String, String)]) async throws -> String? {
                let response = try await deputy.post(path, fields: fields)
                return response.status == .seeOther ? nil : "\(response.status.code) \(response.body.string)"
            }
            #expect(try await refused([("deadline", "2026-05-29")])?.contains("at least one territory") == true)
            #expect(try await refused([("territories[]", "711100000"), ("deadline", "2026-05-29")])?.contains("not a territory directly below") == true)
            #expect(try await refused([("territories[]", "435233000"), ("deadline", "2026-05-29")])?.contains("not a territory directly below") == true)
            #expect(try await refused([("territories[]", "431000000"), ("deadline", "2026-07-15")])?.contains("2026-06-30") == true)
            #expect(try await refused([("territories[]", "431000000"), ("deadline", "2026-03-03")])?.contains("2 working days") == true)
            #expect(try await refused([("territories[]", "431000000"), ("territories[]", "433200000"), ("deadline", "2026-05-29")])?
                .contains("Aral") == true)
            // Nothing was written by the refused attempts.
            #expect(try await Assignment.query(on: app.db).filter(\.$parentID == region).count() == 2)

            var anonymous = Visitor(app)
            let before = try await anonymous.get("/instructions?territory=431000000").body.string
            #expect(before.contains("<tbody></tbody>") || !before.contains("/assignments/"))
            #expect(try await refused([("territories[]", "431000000"), ("deadline", "2026-05-29")]) == nil)
            let child = try #require(try await Assignment.query(on: app.db).filter(\.$parentID == region)
                .filter(\.$territoryID == 431000000).first())
            #expect(child.status == .assigned)
            #expect(child.deadline == "2026-05-29")
            #expect(child.instructionID == (try await Assignment.find(region, on: app.db))?.instructionID)
            let history = try await AssignmentEventRecord.query(on: app.db).filter(\.$assignmentID == child.id!).all()
            #expect(history.map(\.event) == ["assign"])
            #expect(history.first?.toStatus == "assigned")
            // The register and the parent's page follow at once.
            #expect(try await anonymous.get("/instructions?territory=431000000").body.string.contains("/assignments/\(child.id!)"))
            let after = try await deputy.get("/assignments/\(region)?lang=en").body.string
            #expect(after.contains("/assignments/\(child.id!)"))
            #expect(!after.contains("id=\"split-form\""))
            #expect(try await refused([("territories[]", "431000000"), ("deadline", "2026-05-29")])?.contains("already has") == true)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "assignment.split").all()
            #expect(audit.count == 1)
        }
    }

    @Test func departmentsOfAnAkimatAnswerForTheirOwnAssignments() async throws {
        try await withAimaq { app, fixture in
            let kyzylorda = try KATOCode("430000000")
            let bodies = app.aimaq.bodies
            let akimat = try #require(bodies.bodies(of: kyzylorda).first { $0.kind == .akimat })
            let departments = bodies.bodies(of: kyzylorda).filter { $0.kind == .akimatDepartment }
            #expect(departments.count == 8)
            #expect(departments.allSatisfy { $0.parent == akimat.id })
            let roads = try #require(departments.first { $0.remit.contains(.roads) })
            let finance = try #require(departments.first { $0.remit.contains(.budget) })
            #expect(bodies.responsible(for: kyzylorda, category: .roads) == roads.id)
            #expect(bodies.responsible(for: kyzylorda, category: .governance) == akimat.id)
            // Districts have no departments here: their akimat answers.
            #expect(bodies.responsible(for: try KATOCode("435200000"), category: .roads) == fixture.bodyID)

            // The region's assignment goes to its roads department.
            let region = try #require(try await Assignment.find(fixture.plan.regionAssignment, on: app.db))
            region.bodyID = roads.id
            try await region.save(on: app.db)
            app.aimaq.register.invalidate()
            let hash = try Bcrypt.hash(Fixture.password, cost: 4)
            for (key, body) in [("roads-officer", roads.id), ("finance-officer", finance.id), ("akimat-officer", akimat.id)] {
                let account = Account(email: Fixture.email(key), displayName: key, passwordHash: hash,
                                      role: .akimatOfficer, scope: .subtree(kyzylorda))
                account.bodyID = body
                try await account.create(on: app.db)
            }
            let path = "/assignments/\(fixture.plan.regionAssignment)/reports"
            let fields = ["text": "Repaired 40 km", "value_\(fixture.plan.indicator)": "40"]
            var other = Visitor(app)
            try await other.signIn("finance-officer")
            #expect(try await other.postMultipart(path, fields: fields, files: []).status == .forbidden)
            var own = Visitor(app)
            try await own.signIn("roads-officer")
            #expect(try await own.get("/assignments/\(fixture.plan.regionAssignment)").body.string.contains("id=\"report-form\""))
            #expect(try await own.postMultipart(path, fields: fields, files: []).status == .seeOther)
            #expect(try await Assignment.find(fixture.plan.regionAssignment, on: app.db)?.status == .reportSubmitted)
            // The akimat's own officers may answer for its departments.
            #expect(try await Notifications.reporters(territory: kyzylorda, body: roads.id, tree: app.aimaq.territories.tree, on: app.db).count == 2)
        }
    }
}
