import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    /// Files with appeals, answers and minutes; appeals to a deputy and the deputy's page;
    /// telling whoever raised something what became of it; the calendar by body; objects on
    /// the territory page and by district.
    @Suite struct AppealFiles {
        static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }
        static let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)
        static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
        static let fields = ["territory": "435200000", "topic": "water", "addressee": "akimat", "text": Appeals.water]

        static func id(_ response: TestingHTTPResponse) throws -> Int {
            let location = try #require(response.headers.first(name: .location))
            return try #require(Int(location.split(separator: "/").last?.split(separator: "#").first ?? ""))
        }

        static func account(_ key: String, _ app: Application) async throws -> Account {
            try #require(try await Account.query(on: app.db).filter(\.$email == Fixture.email(key)).first())
        }

        static func notifications(_ account: Account, _ app: Application) async throws -> [NotificationRecord] {
            try await NotificationRecord.query(on: app.db).filter(\.$accountID == (try account.requireID())).all()
        }

        @Test func anAppealsFilesAreCheckedKeptWithItAndReadOnlyByThoseWhoReadItInFullAndItsAuthorIsToldOfEachStep() async throws {
            try await withAimaq { app, _ in
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let before = try await app.aimaq.evidence.count(db: Self.sql(app))
                // A program renamed, and a kind not accepted: the form comes back filled in, nothing is kept.
                let renamed = try await citizen.postMultipart("/appeals?lang=en", fields: Self.fields, files: [("files[]", "scan.pdf", Self.png)])
                #expect(renamed.status == .unprocessableEntity && renamed.body.string.contains("scan.pdf")
                        && renamed.body.string.contains("третью неделю"))
                let program = try await citizen.postMultipart("/appeals?lang=en", fields: Self.fields, files: [("files[]", "run.exe", Self.pdf)])
                #expect(program.status == .unprocessableEntity && program.body.string.contains("run.exe"))
                #expect(try await AppealStore.list(AppealStore.Filter(), on: Self.sql(app)).total == 0)
                #expect(try await app.aimaq.evidence.count(db: Self.sql(app)) == before)

                let sent = try await citizen.postMultipart("/appeals", fields: Self.fields, files: [("files[]", "photo-of-the-pipe.pdf", Self.pdf)])
                #expect(sent.status == .seeOther)
                let id = try Self.id(sent)
                let files = try await AimaqServer.AppealFiles.of(appeal: id, on: Self.sql(app))
                #expect(files.count == 1 && files[0].purpose == "appeal" && files[0].file_name == "photo-of-the-pipe.pdf")
                let page = try await citizen.get("/appeals/\(id)?lang=en").body.string
                #expect(page.contains("/files/\(files[0].id)"))
                let download = try await citizen.get("/files/\(files[0].id)")
                #expect(download.status == .ok && Data(download.body.readableBytesView) == Self.pdf)
                // Nobody else learns the file exists.
                var stranger = Visitor(app)
                #expect(try await stranger.get("/files/\(files[0].id)").status == .notFound)
                try await stranger.signIn("astana-officer")
                #expect(try await stranger.get("/files/\(files[0].id)").status == .notFound)
                #expect(try await stranger.get("/files/999999").status == .notFound)
                let reads = try await AuditEntry.query(on: app.db).filter(\.$action == "appeal_file.download").all()
                #expect(reads.count == 1 && reads[0].actor == Fixture.email("citizen"))

                // The officer extends the term, then answers with evidence; each step is told to the author.
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.get("/files/\(files[0].id)").status == .ok, "the body that answers reads the files")
                #expect(try await officer.post("/appeals/\(id)/extension", form: ["reason": "A site check is needed"]).status == .seeOther)
                let bad = try await officer.postMultipart("/appeals/\(id)/answer?lang=en", fields: ["answer": "Repaired."],
                                                          files: [("files[]", "act.pdf", Self.png)])
                #expect(bad.status == .unprocessableEntity && bad.body.string.contains("act.pdf"))
                #expect(try #require(try await AppealStore.find(id, on: Self.sql(app))).status == .extended, "a refused answer changes nothing")
                let answered = try await officer.postMultipart("/appeals/\(id)/answer", fields: ["answer": "The pipe was repaired on 5 March."],
                                                               files: [("files[]", "act.pdf", Self.pdf)])
                #expect(answered.status == .seeOther)
                let all = try await AimaqServer.AppealFiles.of(appeal: id, on: Self.sql(app))
                #expect(all.map(\.purpose) == ["appeal", "answer"])
                #expect(try await citizen.get("/appeals/\(id)?lang=en").body.string.contains("/files/\(all[1].id)"))
                let told = try await Self.notifications(try await Self.account("citizen", app), app)
                #expect(Set(told.map(\.kind)) == ["appeal_extended", "appeal_answered"] && told.allSatisfy { $0.appealID == id })
                let my = try await citizen.get("/my?lang=en").body.string
                #expect(my.contains("Your appeal has been answered") && my.contains("href=\"/appeals/\(id)\""))
            }
        }

        @Test func anUploadOverTheLimitIsRefusedWholeAndAnAnonymousOneBeforeItsBodyIsRead() async throws {
            try await withAimaq { app, _ in
                let big = Data(repeating: 0x25, count: EvidenceStore.maxRequestBytes + 1)
                var anonymous = Visitor(app)
                #expect(try await anonymous.postMultipart("/appeals", fields: Self.fields, files: [("files[]", "big.pdf", big)]).status == .seeOther,
                        "sent to sign in, the body unread")
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let before = try await app.aimaq.evidence.count(db: Self.sql(app))
                #expect(try await citizen.postMultipart("/appeals", fields: Self.fields, files: [("files[]", "big.pdf", big)]).status
                        == .payloadTooLarge)
                #expect(try await AppealStore.list(AppealStore.Filter(), on: Self.sql(app)).total == 0, "no appeal registered")
                let id = try Self.id(try await citizen.postMultipart("/appeals", fields: Self.fields, files: []))
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.postMultipart("/appeals/\(id)/answer", fields: ["answer": "The main was repaired on 3 March."],
                                                        files: [("files[]", "big.pdf", big)]).status == .payloadTooLarge)
                #expect(try await AppealStore.find(id, on: Self.sql(app))?.status == .registered, "no answer recorded")
                #expect(try await app.aimaq.evidence.count(db: Self.sql(app)) == before, "no file kept")
            }
        }

        @Test func anAppealToADeputyGoesToThemAndTheirCouncilAndTheirPageShowsWhatWasRaisedWithThem() async throws {
            try await withAimaq { app, _ in
                let deputy = try await Self.account("maslikhat", app)
                let deputyID = try deputy.requireID()
                var citizen = Visitor(app)
                try await citizen.signIn("citizen")
                let form = try await citizen.get("/appeals/new?lang=en&deputy=\(deputyID.uuidString)").body.string
                #expect(form.contains("value=\"\(deputyID.uuidString)\" selected") && form.contains("maslikhat — Maslikhat deputy"))
                #expect(!form.contains("astana-deputy"), "only deputies elected where the citizen lives")
                // A deputy of another region, or someone who is not a deputy, cannot be addressed.
                let astana = try await Self.account("astana-deputy", app)
                var fields = Self.fields
                fields["deputy"] = try astana.requireID().uuidString
                #expect(try await citizen.post("/appeals", form: fields).status == .unprocessableEntity)
                fields["deputy"] = try (try await Self.account("akimat", app)).requireID().uuidString
                #expect(try await citizen.post("/appeals", form: fields).status == .unprocessableEntity)
                fields["deputy"] = deputyID.uuidString
                let sent = try await citizen.post("/appeals", form: fields)
                #expect(sent.status == .seeOther)
                let appeal = try #require(try await AppealStore.find(try Self.id(sent), on: Self.sql(app)))
                #expect(appeal.deputyID == deputyID)
                #expect(appeal.bodyID.flatMap { app.aimaq.bodies.body($0)?.kind } == .maslikhat, "the deputy's council answers")
                #expect(try await Self.notifications(deputy, app).map(\.kind) == ["appeal_addressed"])

                // The deputy holds a reception; what a resident who booked raises there is theirs to follow.
                var host = Visitor(app)
                try await host.signIn("maslikhat")
                let reception = try Self.id(try await host.post("/receptions", form: ["territory": "435200000", "starts_at": "2026-03-10T10:00",
                                                                                       "address": "Shieli", "slots": "4"]))
                let meeting = try #require(try await VisitStore.meeting(reception, on: Self.sql(app)))
                #expect(meeting.hostID == deputyID && meeting.bodyID != nil)
                #expect(try await citizen.post("/meetings/\(reception)/bookings", form: ["slot": "0", "topic": "roads"]).status == .seeOther)
                let booking = try #require(try await VisitStore.bookings(reception, on: Self.sql(app)).first)
                #expect(try await host.post("/meetings/\(reception)/issues", form: ["text": "Light the street by the school", "topic": "roads",
                                                                                    "booking": "999"]).status == .unprocessableEntity)
                #expect(try await host.post("/meetings/\(reception)/issues", form: [
                    "text": "Light the street by the school", "topic": "roads", "booking": String(booking.id),
                    "contact": "+7 701 000 00 00"]).status == .seeOther)
                let issue = try #require(try await AppealStore.list(AppealStore.Filter(meeting: reception), on: Self.sql(app)).items.first)
                let full = try #require(try await AppealStore.find(issue.id, on: Self.sql(app)))
                #expect(full.authorID == (try await Self.account("citizen", app)).id && full.deputyID == deputyID
                        && full.contact == "+7 701 000 00 00")
                #expect(try await citizen.get("/appeals/mine?lang=en").body.string.contains(issue.number))
                var reader = Visitor(app)
                let publicIssue = try await reader.get("/appeals/\(issue.id)?lang=en").body.string
                #expect(publicIssue.contains("Light the street") && !publicIssue.contains("+7 701"), "the contact is staff-only")
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.get("/appeals/\(issue.id)?lang=en").body.string.contains("+7 701 000 00 00"))
                #expect(try await officer.post("/appeals/\(issue.id)/answer", form: ["answer": "Lamps are installed."]).status == .seeOther)
                #expect(try await Self.notifications(try await Self.account("citizen", app), app).map(\.kind) == ["appeal_answered"])

                // The deputy's public page: receptions and the fate of what was raised with them.
                let page = try await reader.get("/deputies/\(deputyID.uuidString)?lang=en").body.string
                #expect(page.contains("maslikhat") && page.contains("/meetings/\(reception)") && page.contains("Write to this deputy"))
                let outcome = try #require(page.range(of: "deputy-outcome")).upperBound
                let facts = String(page[outcome...].prefix(900))
                #expect(facts.contains("Raised</dt><dd>2</dd>") && facts.contains("Answered</dt><dd>1</dd>"), "\(facts)")
                #expect(page.contains(issue.number) && !page.contains(appeal.number), "only published items are listed")
                #expect(try await reader.get("/deputies/\(try (try await Self.account("citizen", app)).requireID().uuidString)").status == .notFound)
                #expect(try await reader.get("/deputies/not-an-id").status == .notFound)
                let meetingPage = try await reader.get("/meetings/\(reception)").body.string
                #expect(meetingPage.contains("/deputies/\(deputyID.uuidString)"))
            }
        }

        @Test func aNewAppealIsPlacedFromKeptStemsAsFromTheTextsThemselves() async throws {
            try await withAimaq { app, fixture in
                let shieli = try KATOCode("435200000")
                func new(_ text: String) -> AppealStore.NewAppeal {
                    AppealStore.NewAppeal(channel: .online, territory: shieli, district: shieli, topic: "water", bodyID: fixture.bodyID,
                                          authorID: nil, authorName: nil, text: text, publishable: false, registeredOn: Fixture.today,
                                          deadline: try! CivilDate("2026-03-23"))
                }
                let writer = AuditLog.Writer(database: app.db)
                let kept = StemCache()
                let first = try await AppealStore.register(new("В селе Акмая нет питьевой воды, водопровод сломан"), actor: "test", stems: kept, on: writer)
                let other = try await AppealStore.register(new("Детский сад переполнен, мест нет"), actor: "test", on: writer)
                #expect(kept.count == 1, "stems are kept for the appeals registered with the cache")
                let joined = try await AppealStore.register(new("Акмая: нет воды, водопровод сломан неделю"), actor: "test", stems: kept, on: writer)
                #expect(kept.count == 3, "the bucket's other text was read and cut once, then kept")
                #expect(joined.groupID == first.groupID && other.groupID == other.id)
                // Without kept stems (read from the texts), the same group.
                let again = try await AppealStore.register(new("Акмая: нет воды, водопровод сломан"), actor: "test", on: writer)
                #expect(again.groupID == first.groupID)
            }
        }

        @Test func aMeetingsMinutesAndPhotosAreCheckedAndPublicAndTheCalendarFiltersByBody() async throws {
            try await withAimaq { app, _ in
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                let visit = try Self.id(try await deputy.post("/visits", form: ["territory": "430000000", "title": "Visit", "starts": "2026-03-05",
                                                                                "ends": "2026-03-05"]))
                let council = try #require(app.aimaq.bodies.bodies(of: try KATOCode("430000000")).first { $0.kind == .maslikhat })
                let other = try #require(app.aimaq.bodies.bodies(of: try KATOCode("710000000")).first { $0.kind == .maslikhat })
                #expect(try await deputy.post("/visits/\(visit)/meetings", form: ["kind": "public", "starts_at": "2026-03-05T17:00",
                                                                                 "title": "Meeting with the public", "body": "999999"])
                    .status == .unprocessableEntity)
                #expect(try await deputy.post("/visits/\(visit)/meetings", form: ["kind": "public", "starts_at": "2026-03-05T17:00",
                                                                                 "title": "Meeting with the public", "body": String(council.id)])
                    .status == .seeOther)
                let meeting = try #require(try await VisitStore.meetings(visit: visit, on: Self.sql(app)).first)
                #expect(meeting.bodyID == council.id)

                // Photos are images; the minutes' files are checked like evidence; an empty form is refused.
                #expect(try await deputy.postMultipart("/meetings/\(meeting.id)/minutes", fields: ["minutes": " "], files: []).status == .unprocessableEntity)
                #expect(try await deputy.postMultipart("/meetings/\(meeting.id)/minutes", fields: [:], files: [("photos[]", "hall.pdf", Self.pdf)])
                    .status == .unprocessableEntity)
                #expect(try await deputy.postMultipart("/meetings/\(meeting.id)/minutes", fields: [:], files: [("files[]", "minutes.pdf", Self.png)])
                    .status == .unprocessableEntity)
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                #expect(try await officer.postMultipart("/meetings/\(meeting.id)/minutes", fields: ["minutes": "x"], files: []).status == .forbidden)
                #expect(try await deputy.postMultipart("/meetings/\(meeting.id)/minutes", fields: ["minutes": "Twelve residents spoke."],
                                                       files: [("files[]", "minutes.pdf", Self.pdf), ("photos[]", "hall.png", Self.png)]).status == .seeOther)
                let files = try await AimaqServer.AppealFiles.of(meetings: [meeting.id], on: Self.sql(app))[meeting.id] ?? []
                #expect(files.map(\.purpose) == ["minutes", "photo"])
                var reader = Visitor(app)
                let page = try await reader.get("/visits/\(visit)?lang=en").body.string
                #expect(page.contains("Twelve residents spoke.") && page.contains("/files/\(files[0].id)") && page.contains("/files/\(files[1].id)"))
                #expect(Data(try await reader.get("/files/\(files[1].id)").body.readableBytesView) == Self.png, "a meeting's files are public")
                #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "meeting.minutes").count() == 1)

                // The calendar and its feed by the body that holds the meeting.
                #expect(try await reader.get("/visits?body=\(council.id)&lang=en").body.string.contains("Meeting with the public"))
                #expect(!(try await reader.get("/visits?body=\(other.id)&lang=en").body.string.contains("Meeting with the public")))
                #expect(try await reader.get("/visits?body=abc").status == .badRequest)
                #expect(try await reader.get("/visits.ics?body=\(council.id)").body.string.contains("SUMMARY:Meeting with the public"))
                #expect(!(try await reader.get("/visits.ics?body=\(other.id)").body.string.contains("Meeting with the public")))
            }
        }

        @Test func anAkimatOfficerRegistersAnObjectOfTheirTerritoryAndRecordsItsProgressWithEveryProblemSaidAtOnce() async throws {
            try await withAimaq { app, fixture in
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                let page = try await officer.get("/objects?territory=430000000&lang=en").body.string
                #expect(page.contains("object-form") && page.contains("value=\"435200000\""), "the officer's own district is offered")
                let bad = try await officer.post("/objects?lang=en", form: [
                    "territory": "435200000", "kind": "castle", "name": " ", "cost": "-5", "funding": "lottery",
                    "planned_start": "2026-09-01", "planned_end": "2026-01-01", "budget_line": "99", "instruction": "999999"])
                #expect(bad.status == .unprocessableEntity)
                for words in ["kind of object", "Name the object", "thousand tenge", "source of funding", "end is not before",
                              "two-digit code", "no instruction with that number"] {
                    #expect(bad.body.string.contains(words), "\(words)")
                }
                var reader = Visitor(app)
                #expect(!(try await reader.get("/territories/435200000?lang=en").body.string.contains("Akmaya water main")), "kept rendered")
                #expect(try await officer.post("/objects", form: ["territory": "430000000", "kind": "school", "name": "Regional school",
                                                                  "funding": "local"]).status == .forbidden, "the region is above the officer")
                let made = try await officer.post("/objects", form: [
                    "territory": "435233100", "kind": "water", "name": "Akmaya water main", "body": String(fixture.bodyID), "cost": "850 000,5",
                    "funding": "local", "planned_start": "2026-04-01", "planned_end": "2026-10-01", "budget_line": "07",
                    "instruction": String(fixture.plan.instruction)])
                #expect(made.status == .seeOther)
                let object = try #require(try await VisitStore.objects(in: try KATOCode("435233100"), on: Self.sql(app)).first)
                #expect(object.name.en == "Akmaya water main" && object.cost == 850_000.5 && object.budgetLine == "07"
                        && object.instructionID == fixture.plan.instruction && object.progress == 0 && object.bodyID == fixture.bodyID)
                // Progress, then done: the finishing day only at 100% and never ahead of today.
                #expect(try await officer.post("/objects/\(object.id)", form: ["progress": "101"]).status == .unprocessableEntity)
                #expect(try await officer.post("/objects/\(object.id)", form: ["progress": "60", "actual_end": "2026-03-01"]).status
                    == .unprocessableEntity)
                #expect(try await officer.post("/objects/\(object.id)", form: ["progress": "100", "actual_end": "2026-04-01"]).status
                    == .unprocessableEntity, "a day after today")
                #expect(try await officer.post("/objects/\(object.id)", form: ["progress": "60"]).status == .seeOther)
                #expect(try await officer.post("/objects/\(object.id)", form: ["progress": "100", "actual_end": "2026-03-02"]).status == .seeOther)
                let done = try #require(try await VisitStore.object(object.id, on: Self.sql(app)))
                let planned = try CivilDate("2026-10-01")
                #expect(done.progress == 100 && done.actualEnd == Fixture.today && done.plannedEnd == planned)
                let shieli = try await reader.get("/territories/435200000?lang=en").body.string
                #expect(shieli.contains("Akmaya water main") && shieli.contains("100%"), "the kept territory page follows the register's changes")
                var astana = Visitor(app)
                try await astana.signIn("astana-officer")
                #expect(try await astana.post("/objects/\(object.id)", form: ["progress": "10"]).status == .forbidden)
                var deputy = Visitor(app)
                try await deputy.signIn("maslikhat")
                #expect(try await deputy.post("/objects/\(object.id)", form: ["progress": "10"]).status == .forbidden)
                #expect(!(try await deputy.get("/objects?territory=430000000").body.string.contains("object-form")))
                let actions = try await AuditEntry.query(on: app.db).filter(\.$entity == "territory_object").all().map(\.action)
                #expect(actions == ["object.create", "object.progress", "object.progress"])
                #expect(try await officer.post("/objects/999999", form: ["progress": "10"]).status == .notFound)
            }
        }

        @Test func aTerritoryPageListsItsObjectsAndTheRegisterShowsThemByDistrictWithTheirBudgetLinesAndInstructions() async throws {
            try await withAimaq { app, fixture in
                let school = try await VisitStore.createObject(TerritoryObjectRecord(
                    id: 0, territory: try KATOCode("435233100"), kind: "school", name: LocalizedName(kk: "Мектеп", ru: "Школа", en: "Akmaya school"),
                    bodyID: fixture.bodyID, cost: 1_200_000, funding: "local", plannedStart: try CivilDate("2025-05-01"),
                    plannedEnd: try CivilDate("2026-09-01"), actualEnd: nil, progress: 60, budgetLine: "04",
                    instructionID: fixture.plan.instruction, demo: false), actor: "test", on: app.db)
                _ = try await VisitStore.createObject(TerritoryObjectRecord(
                    id: 0, territory: try KATOCode("433200000"), kind: "road", name: LocalizedName(kk: "Жол", ru: "Дорога", en: "Aral road"),
                    bodyID: nil, cost: nil, funding: "republican", plannedStart: nil, plannedEnd: nil, actualEnd: nil, progress: 20,
                    budgetLine: nil, instructionID: nil, demo: false), actor: "test", on: app.db)
                var reader = Visitor(app)
                let shieli = try await reader.get("/territories/435200000?lang=en").body.string
                #expect(shieli.contains("Objects and projects (1)") && shieli.contains("Akmaya school") && !shieli.contains("Aral road"))
                #expect(shieli.contains("Budget, function 04") && shieli.contains("/instructions/\(fixture.plan.instruction)"))
                #expect(!(try await reader.get("/territories/710000000?lang=en").body.string.contains("territory-objects")))
                let region = try await reader.get("/objects?territory=430000000&lang=en").body.string
                #expect(region.contains("district-tiles") && region.contains("href=\"#district-435200000\"")
                        && region.contains("href=\"#district-433200000\"") && region.contains("1 · 60%") && region.contains("1 · 20%"))
                #expect(region.contains("object-\(school)"))
            }
        }
    }
}
