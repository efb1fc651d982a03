import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct Visits {
        static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }

        static func location(_ response: TestingHTTPResponse) throws -> String {
            try #require(response.headers.first(name: .location))
        }

        @Test func aVisitsIssuesAreRoutedAnsweredAndTakenUnderControlAndTheVisitPageShowsWhatBecameOfThem() async throws {
            try await withAimaq { app, fixture in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                #expect(try await deputy.post("/visits", form: ["territory": "430000000", "title": "Visit", "starts": "2026-01-09",
                                                                "ends": "2026-01-08"]).status == .unprocessableEntity)
                let created = try await deputy.post("/visits", form: [
                    "territory": "430000000", "title": "Visit of senators to Kyzylorda region", "starts": "2026-01-08", "ends": "2026-01-08",
                    "delegation": "Speaker of the Senate\nTwo senators"])
                #expect(created.status == .seeOther)
                let visit = try #require(Int(try Self.location(created).split(separator: "/").last ?? ""))
                #expect(try await deputy.post("/visits/\(visit)/meetings", form: ["kind": "public", "starts_at": "2026-01-10T17:00",
                                                                                 "title": "Outside the visit"]).status == .unprocessableEntity)
                #expect(try await deputy.post("/visits/\(visit)/meetings", form: [
                    "kind": "public", "starts_at": "2026-01-08T17:00", "title": "Meeting with the public", "address": "Palace of Culture",
                    "participants": "About 300 residents", "agenda": "Water, roads"]).status == .seeOther)
                let meeting = try #require(try await VisitStore.meetings(visit: visit, on: Self.sql(app)).first)
                #expect(meeting.startsAt == "2026-01-08T17:00" && meeting.kind == .publicMeeting)
                // Two issues raised: water in Shieli (to the Shieli akimat) and the road.
                #expect(try await deputy.post("/meetings/\(meeting.id)/issues", form: [
                    "text": "Finish the water main in the villages of Shieli district", "topic": "water", "territory": "435200000",
                    "raised_by": "Aigul Serikova"]).status == .seeOther)
                let refused = try await deputy.post("/meetings/\(meeting.id)/issues?lang=en", form: [
                    "text": "Repair the road to the airport", "topic": "roads", "territory": "710000000", "raised_by": "A driver"])
                #expect(refused.status == .unprocessableEntity, "an issue of another region")
                #expect(refused.body.string.contains(">Repair the road to the airport</textarea>") && refused.body.string.contains("value=\"A driver\"")
                        && refused.body.string.contains("value=\"710000000\"") && refused.body.string.contains("role=\"alert\""),
                        "the form comes back filled in, with what was wrong")
                #expect(try await deputy.post("/meetings/\(meeting.id)/issues", form: [
                    "text": "Light the road to the new airport terminal", "topic": "roads"]).status == .seeOther)
                let issues = try await AppealStore.list(AppealStore.Filter(meeting: meeting.id), on: Self.sql(app)).items.sorted { $0.id < $1.id }
                #expect(issues.count == 2 && issues.allSatisfy { $0.channel == .meeting && $0.publishable })
                let water = issues[0], road = issues[1]
                #expect(water.bodyID == fixture.bodyID && water.authorName == "Aigul Serikova")
                #expect(road.bodyID != nil && road.bodyID != fixture.bodyID)

                // The Shieli officer answers the water issue; the deputy takes the road under control.
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.post("/appeals/\(water.id)/answer", form: ["answer": "The contractor resumed work on 20 January."])
                    .status == .seeOther)
                #expect(try await deputy.post("/appeals/\(road.id)/assignment", form: ["deadline": "2026-03-03"]).status == .unprocessableEntity,
                        "a deadline one working day away is too soon")
                #expect(try await deputy.get("/instructions").status == .ok, "the register is in memory before the assignment is made")
                let assigned = try await deputy.post("/appeals/\(road.id)/assignment", form: ["deadline": "2026-06-30"])
                #expect(assigned.status == .seeOther)
                let assignment = try #require(Int(try Self.location(assigned).split(separator: "/").last ?? ""))
                let linked = try #require(try await AppealStore.find(road.id, on: Self.sql(app)))
                #expect(linked.status == .assigned && linked.assignmentID == assignment)
                #expect(try await AppealAssignment.appeals(ofAssignment: assignment, on: Self.sql(app)).map(\.id) == [road.id])
                let record = try #require(try await Assignment.find(assignment, on: app.db))
                #expect(record.bodyID == road.bodyID && record.deadline == "2026-06-30" && record.statusName == "assigned")
                let instruction = try #require(try await Instruction.find(record.instructionID, on: app.db))
                #expect(instruction.point == road.number)
                let source = try #require(try await SourceDocument.find(instruction.sourceID, on: app.db))
                #expect(source.kind == "visit" && source.title.contains("Visit of senators"))
                let assignmentPage = try await deputy.get("/assignments/\(assignment)?lang=en").body.string
                #expect(assignmentPage.contains(road.number), "the assignment links back to the issue")
                // The register follows the change: the new instruction has its page, the
                // assignment its row, and its source its place in the register's filter.
                let instructionPage = try await deputy.get("/instructions/\(record.instructionID)?lang=en")
                #expect(instructionPage.status == .ok && instructionPage.body.string.contains(road.number)
                        && instructionPage.body.string.contains("/assignments/\(assignment)"))
                let register = try await deputy.get("/instructions?instruction=\(record.instructionID)&lang=en").body.string
                #expect(register.contains("/assignments/\(assignment)")
                        && register.contains("<option value=\"\(instruction.sourceID)\">\(source.date) · \(source.title.prefix(60))</option>"))

                // Minutes after the meeting; the public page reads like the programme.
                #expect(try await deputy.post("/meetings/\(meeting.id)/minutes", form: ["minutes": "Twelve residents spoke."]).status == .seeOther)
                var reader = Visitor(app)
                let page = try await reader.get("/visits/\(visit)?lang=en").body.string
                #expect(page.contains("Meeting with the public") && page.contains("Twelve residents spoke.")
                        && page.contains("The contractor resumed work on 20 January.") && page.contains("Assignment \(assignment)")
                        && page.contains("Issues raised: 2; answered: 1; overdue: 0; under control as assignments: 1."))
                #expect(!page.contains("Aigul Serikova"), "who raised an issue stays off the public page")
                #expect(!page.contains("visit-form") && !page.contains("meeting-form"), "no forms for the public")
                let ics = try await reader.get("/visits.ics?territory=430000000").body.string
                #expect(ics.contains("BEGIN:VEVENT") && ics.contains("DTSTART:20260108T120000Z") && ics.contains("SUMMARY:Meeting with the public"))
                let api = try await reader.get("/api/v1/visits/\(visit)").content.decode(AppealAPI.VisitDTO.self)
                #expect(api.meetings?.first?.issues.count == 2 && api.meetings?.first?.issues.allSatisfy { $0.author == nil } == true)
                #expect(api.meetings?.first?.issues.first { $0.id == water.id }?.answer == "The contractor resumed work on 20 January.")
                let calendar = try await reader.get("/visits?lang=en").body.string
                #expect(calendar.contains("Visit of senators to Kyzylorda region"))

                // Every change is in the audit chain.
                let actions = Set(try await AuditEntry.query(on: app.db).all().map(\.action))
                #expect(actions.isSuperset(of: ["visit.create", "meeting.create", "meeting.minutes", "appeal.register", "appeal.answer", "appeal.assign"]))
                // Deputies of another region record nothing here.
                var astana = Visitor(app)
                try await astana.signIn("astana-deputy")
                #expect(try await astana.post("/meetings/\(meeting.id)/issues", form: ["text": "Anything at all here", "topic": "water"]).status
                        == .forbidden)
            }
        }

        @Test func aDeputyPublishesReceptionHoursResidentsBookASlotAndTheItemsBecomeIssues() async throws {
            try await withAimaq { app, fixture in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let past = try await deputy.post("/receptions?lang=en", form: ["territory": "435200000", "starts_at": "2026-03-01T10:00",
                                                                               "address": "Shieli, Rysqulov St 5", "slots": "4"])
                #expect(past.status == .unprocessableEntity, "a reception in the past")
                #expect(past.body.string.contains("value=\"Shieli, Rysqulov St 5\"") && past.body.string.contains("value=\"2026-03-01T10:00\""),
                        "the form comes back filled in")
                let published = try await deputy.post("/receptions", form: ["territory": "435200000", "starts_at": "2026-03-10T10:00",
                                                                            "address": "Shieli, Rysqulov St 5", "slots": "4"])
                #expect(published.status == .seeOther)
                let id = try #require(Int(try Self.location(published).split(separator: "/").last ?? ""))
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let page = try await citizen.get("/meetings/\(id)?lang=en").body.string
                #expect(page.contains("Slots: 4 free of 4") && page.contains("10:45") && page.contains("booking-form"))
                #expect(try await citizen.post("/meetings/\(id)/bookings", form: ["slot": "4", "topic": "water"]).status == .unprocessableEntity)
                #expect(try await citizen.post("/meetings/\(id)/bookings", form: ["slot": "1", "topic": "water", "note": "The village has no water"])
                    .status == .seeOther)
                #expect(try await citizen.post("/meetings/\(id)/bookings", form: ["slot": "2", "topic": "roads"]).status == .conflict,
                        "one slot per person")
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.post("/meetings/\(id)/bookings", form: ["slot": "1", "topic": "roads"]).status == .conflict, "taken")
                var astana = Visitor(app)
                try await astana.signIn("astana-officer")
                #expect(try await astana.post("/meetings/\(id)/bookings", form: ["slot": "0", "topic": "roads"]).status == .forbidden)
                let mine = try await citizen.get("/meetings/\(id)?lang=en").body.string
                #expect(mine.contains("booked by you") && !mine.contains("The village has no water") && !mine.contains("booking-form"))
                // The host hears of the booking; the resident is reminded the day before, once, however often the sweep runs.
                let hostNotes = try await deputy.get("/my?lang=en").body.string
                #expect(hostNotes.contains("A resident booked a slot of your reception") && hostNotes.contains("/meetings/\(id)#slots"))
                #expect(try await Notifications.sweepReceptions(today: try CivilDate("2026-03-08"), on: Self.sql(app)) == 0, "two days before")
                #expect(try await Notifications.sweepReceptions(today: try CivilDate("2026-03-09"), on: Self.sql(app)) == 1)
                #expect(try await Notifications.sweepReceptions(today: try CivilDate("2026-03-10"), on: Self.sql(app)) == 0, "written once")
                #expect(try await citizen.get("/my?lang=en").body.string.contains("Your reception with a deputy is today or tomorrow"))
                let deputyView = try await deputy.get("/meetings/\(id)?lang=en").body.string
                #expect(deputyView.contains("The village has no water") && deputyView.contains("Slots: 3 free of 4"))
                // The deputy registers what was raised: an issue of the reception, routed to the Shieli akimat.
                #expect(try await deputy.post("/meetings/\(id)/issues", form: ["text": "No drinking water in the village for a month",
                                                                               "topic": "water", "territory": "435200000"]).status == .seeOther)
                let issue = try #require(try await AppealStore.list(AppealStore.Filter(meeting: id), on: Self.sql(app)).items.first)
                #expect(issue.channel == .reception && issue.bodyID == fixture.bodyID)
                // A voters' mandate, with its electoral district, on the public list of mandates; a refused one comes back filled in.
                let early = try await deputy.post("/mandates?lang=en", form: ["territory": "435200000", "electoral_district": "Electoral district No. 4",
                                                                              "topic": "education", "text": "Build a kindergarten for 320 children",
                                                                              "deadline": "2026-03-03"])
                #expect(early.status == .unprocessableEntity && early.body.string.contains(">Build a kindergarten for 320 children</textarea>")
                        && early.body.string.contains("value=\"Electoral district No. 4\""))
                #expect(try await deputy.post("/mandates", form: ["territory": "435200000", "electoral_district": "Electoral district No. 4",
                                                                  "topic": "education", "text": "Build a kindergarten for 320 children",
                                                                  "deadline": "2026-12-31"]).status == .seeOther)
                var reader = Visitor(app)
                let mandates = try await reader.get("/appeals?channel=mandate&lang=en").body.string
                #expect(mandates.contains("Voters&#39; mandates") && mandates.contains("1 appeals") && mandates.contains("Build a kindergarten"))
                #expect(!mandates.contains("mandate-form"))
                #expect(try await deputy.get("/appeals?channel=mandate&lang=en").body.string.contains("mandate-form"))
                // Adopted into the plan with a responsible body the maslikhat chooses: the region's akimat, not the one routed by topic.
                let mandate = try #require(try await AppealStore.list(AppealStore.Filter(channel: .mandate), on: Self.sql(app)).items.first)
                let regional = try #require(app.aimaq.bodies.bodies(of: try KATOCode("430000000")).first { $0.kind == .akimat }?.id)
                let form = try await deputy.get("/appeals/\(mandate.id)?lang=en").body.string
                #expect(form.contains("name=\"body\"") && form.contains("<option value=\"\(regional)\">")
                        && form.contains("<option value=\"\(fixture.bodyID)\" selected>"), "the routed body is offered first, the region's akimat too")
                let maslikhat = try #require(app.aimaq.bodies.bodies(of: try KATOCode("435200000")).first { $0.kind == .maslikhat }?.id)
                #expect(try await deputy.post("/appeals/\(mandate.id)/assignment", form: ["deadline": "2026-09-30", "body": String(maslikhat)]).status
                        == .unprocessableEntity, "a maslikhat does not carry out assignments")
                let astanaAkimat = try #require(app.aimaq.bodies.bodies(of: try KATOCode("710000000")).first { $0.kind == .akimat }?.id)
                #expect(try await deputy.post("/appeals/\(mandate.id)/assignment", form: ["deadline": "2026-09-30", "body": String(astanaAkimat)]).status
                        == .unprocessableEntity, "nor does the akimat of another region")
                let adopted = try await deputy.post("/appeals/\(mandate.id)/assignment", form: ["deadline": "2026-09-30", "body": String(regional)])
                #expect(adopted.status == .seeOther)
                let assignment = try #require(try await Assignment.find(Int(try Self.location(adopted).split(separator: "/").last ?? ""), on: app.db))
                #expect(assignment.bodyID == regional && assignment.territoryID == 435200000 && assignment.deadline == "2026-09-30")
                #expect(try await AppealStore.find(mandate.id, on: Self.sql(app))?.history.last?.body == regional)
            }
        }

        @Test func theDemoLoadsObjectsTheKyzylordaVisitAppealsWithClustersReceptionsAndMandatesOnce() async throws {
            try await withAimaq { app, _ in
                let summary = try await AppealDemo.load(app, appeals: 400, progress: { _ in })
                #expect(summary.objects == app.aimaq.territories.tree.regions.count * AppealDemo.objectTemplates.count + 5)
                #expect(summary.meetings == 9 + 6 && summary.appeals == 400)
                #expect(summary.issues >= 15 + 8)
                #expect(try await AppealDemo.load(app, appeals: 400, progress: { _ in }).appeals == 0, "loads once")
                let visit = try #require(try await VisitStore.visits(in: nil, on: Self.sql(app)).first)
                #expect(visit.starts == (try CivilDate("2026-01-08")) && visit.demo)
                let meetings = try await VisitStore.meetings(visit: visit.id, on: Self.sql(app))
                #expect(meetings.count == 9 && meetings.filter { $0.kind == .site }.count == 5)
                // The village's water cluster is one group.
                var water: [AppealRecord] = []
                for item in try await AppealStore.list(AppealStore.Filter(territory: try KATOCode("435200000"), topic: "water"), per: 500,
                                                       on: Self.sql(app)).items {
                    if let full = try await AppealStore.find(item.id, on: Self.sql(app)), full.text.contains("Жиделиарык") { water.append(full) }
                }
                #expect(water.count == 40)
                #expect(Set(water.compactMap(\.groupID)).count <= 2, "the village's 40 water appeals fall in one or two groups")
                let counts = try await AppealStatistics.counts(within: nil, topic: nil, today: app.aimaq.clock.today(), on: Self.sql(app))
                let total = counts.values.reduce(AppealCounts()) { var sum = $0; sum.add($1); return sum }
                #expect(total.total >= 400 && total.overdue > 0 && total.answered > 0 && total.answeredOnTime < total.answered)
                let mandates = try await AppealStore.list(AppealStore.Filter(channel: .mandate), on: Self.sql(app))
                #expect(mandates.total == 10 && mandates.items.allSatisfy { $0.electoralDistrict != nil })
            }
        }
    }
}
