import AimaqCore
import Foundation
import SQLKit
import Testing
@testable import AimaqServer

@Suite struct DataFolderTests {
    func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aimaq-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func servingAMissingFolderSaysHowToCreateIt() throws {
        var config = AimaqConfiguration()
        config.auditKey = testAuditKey
        config.dataDirectory = "/tmp/aimaq-does-not-exist-\(UUID().uuidString)"
        #expect {
            try DataFolder.validateForServing(config)
        } throws: { error in
            "\(error)".contains("does not exist") && "\(error)".contains("aimaq migrate")
        }
    }

    @Test func migrateMakesANewDatabaseThatServingAccepts() async throws {
        var config = AimaqConfiguration()
        config.auditKey = testAuditKey
        config.dataDirectory = try temporaryFolder() + "/new"
        config.bcryptCost = 4
        try await ServerCommands.migrate(config)
        try DataFolder.validateForServing(config)
        // A second run finds nothing left to do.
        try await ServerCommands.migrate(config)
    }

    @Test func draftsAndReferendumProtocolsImportFromTheCommandLineAllOrNothing() async throws {
        var config = AimaqConfiguration()
        config.auditKey = testAuditKey
        let folder = try temporaryFolder()
        config.dataDirectory = folder + "/data"
        config.bcryptCost = 4
        try await ServerCommands.migrate(config)
        let first = folder + "/v1.md", second = folder + "/v2.md", bad = folder + "/bad.md"
        try "## Article 1\nOne.\n\n## Article 2\nTwo.\n".write(toFile: first, atomically: true, encoding: .utf8)
        try "## Article 1\nOne, amended.\n\n## Article 2\nTwo.\n".write(toFile: second, atomically: true, encoding: .utf8)
        try "## Article 1\nOne.\n## Article 1\nAgain.\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let opened = try await ServerCommands.importDraft(
            config, file: first, discussion: nil,
            new: .init(title: .init(kk: "Жоба", ru: "Проект", en: "Draft"), territory: "430000000",
                       dates: ["2026-12-01", "2026-12-10", "2026-12-15", "2026-12-20"]))
        #expect(opened == "imported version 1 of discussion 1: 2 article(s)")
        let next = try await ServerCommands.importDraft(config, file: second, discussion: 1, new: nil)
        #expect(next == "imported version 2 of discussion 1: 2 article(s); it changes 1 article(s)")
        await #expect { try await ServerCommands.importDraft(config, file: bad, discussion: 1, new: nil) } throws: { error in
            "\(error)".contains("line 3: a second article numbered as art-1") && "\(error)".contains("nothing was imported")
        }
        await #expect { try await ServerCommands.importDraft(config, file: second, discussion: nil,
                                                            new: .init(title: .init(kk: "", ru: "", en: ""), territory: "430000000",
                                                                       dates: ["2026-12-10", "2026-12-01", "2026-12-15", "2026-12-20"]))
        } throws: { "\($0)".contains("must follow one another") }

        let protocols = folder + "/results.csv", wrong = folder + "/wrong.csv"
        try "kato,eligible,participants,yes,no,invalid\n435200000,1000,700,500,180,20\n".write(toFile: protocols, atomically: true, encoding: .utf8)
        try "kato,eligible,participants,yes,no,invalid\n435200000,100,120,90,20,0\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let created = try await ServerCommands.importReferendum(
            config, referendum: nil, new: .init(title: .init(kk: "R", ru: "R", en: "R"), question: .init(kk: "Q", ru: "Q", en: "Q"),
                                                heldOn: "2026-12-01", kind: "constitution"), file: protocols)
        #expect(created == "imported the protocols of 1 territories into referendum 1")
        await #expect { try await ServerCommands.importReferendum(config, referendum: 1, file: wrong) } throws: { error in
            "\(error)".contains("wrong.csv:2:1: 120 took part of 100 eligible") && "\(error)".contains("nothing was imported")
        }
        await #expect { try await ServerCommands.importReferendum(config, referendum: 5, file: protocols) } throws: {
            "\($0)".contains("there is no referendum 5")
        }
        let electorate = folder + "/electorate.csv", nested = folder + "/nested.csv"
        try "kato,eligible\n435200000,1000\n710000000,5000\n".write(toFile: electorate, atomically: true, encoding: .utf8)
        try "kato,eligible\n430000000,1000\n435200000,500\n".write(toFile: nested, atomically: true, encoding: .utf8)
        #expect(try await ServerCommands.importElectorate(config, referendum: 1, file: electorate)
                == "imported the electorate of 2 territories (6000 eligible) into referendum 1")
        await #expect { try await ServerCommands.importElectorate(config, referendum: 1, file: nested) } throws: { error in
            "\(error)".contains("nested.csv:3:1: 435200000 lies in 430000000") && "\(error)".contains("nothing was imported")
        }
    }

    @Test func aPolisExportImportsAsAConversationAllOrNothing() async throws {
        var config = AimaqConfiguration()
        config.auditKey = testAuditKey
        let folder = try temporaryFolder()
        config.dataDirectory = folder + "/data"
        config.bcryptCost = 4
        try await ServerCommands.migrate(config)
        let good = folder + "/good", bad = folder + "/bad"
        for directory in [good, bad] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try #"""
        comment-id,author-id,agrees,disagrees,moderated,comment-body
        0,0,2,0,1,Parks need more trees
        1,1,0,2,1,"Close the road, say the ""locals"""
        2,0,0,0,-1,Spam
        3,2,0,0,0,Not yet looked at
        """#.write(toFile: good + "/comments.csv", atomically: true, encoding: .utf8)
        try """
        timestamp,datetime,comment-id,voter-id,vote
        10,x,0,0,1
        11,x,1,0,-1
        12,x,0,1,1
        13,x,2,1,1
        9,x,1,1,1
        14,x,1,1,-1
        15,x,0,2,0
        """.write(toFile: good + "/votes.csv", atomically: true, encoding: .utf8)
        let new = ServerCommands.NewConversation(title: .init(kk: "P", ru: "P", en: "P"), territory: "430000000", discussion: nil,
                                                 opens: "2026-03-01", closes: "2026-03-31")
        let summary = try await ServerCommands.importPolis(config, directory: good, new: new)
        // Every vote is kept, in the order cast (the one on the moderated-out statement too: the
        // map leaves it out, the history keeps it).
        #expect(summary.hasPrefix("imported conversation 1: 4 statements, 3 participants, 7 votes"))
        try await ServerCommands.withApplication(config, serving: false) { app in
            let sql = app.db as! any SQLDatabase
            let statements = try await ConversationStore.statements(1, on: sql)
            #expect(statements.map(\.statusValue) == [.approved, .approved, .rejected, .pending])
            #expect(statements[1].text == "Close the road, say the \"locals\"")
            let votes = try await ConversationStore.votes(1, after: 0, limit: 100, on: sql)
            #expect(votes.map(\.value) == [1, 1, -1, 1, 1, -1, 0], "ordered by timestamp: 9 comes first")
            try await app.aimaq.conversations.refresh(on: sql)
            let snapshot = try #require(app.aimaq.conversations.snapshot(1))
            #expect(snapshot.participants == 3 && snapshot.placements[statements[1].id]?.disagrees == 2)
            #expect(snapshot.placements[statements[2].id] == nil && snapshot.votes == 7)
        }
        // A conversation of a discussion lies in its territory and within its public phase.
        let discussion = try await ServerCommands.withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            return try await DiscussionStore.create(DiscussionRecord(
                id: 0, territory: try KATOCode("430000000"), bodyID: nil, title: .init(kk: "D", ru: "D", en: "D"),
                schedule: try DiscussionSchedule(opens: try CivilDate("2026-03-01"), expertReview: try CivilDate("2026-04-01"),
                                                 dispositions: try CivilDate("2026-04-10"), closes: try CivilDate("2026-04-20")),
                demo: false), actor: "test", on: app.db)
        }
        var late = new
        late.discussion = discussion
        late.closes = "2026-05-01"
        await #expect { try await ServerCommands.importPolis(config, directory: good, new: late) } throws: {
            "\($0)".contains("within its public phase, 2026-03-01 to 2026-04-01") && "\($0)".contains("nothing was imported")
        }
        var elsewhere = new
        elsewhere.discussion = discussion
        elsewhere.territory = "710000000"
        await #expect { try await ServerCommands.importPolis(config, directory: good, new: elsewhere) } throws: {
            "\($0)".contains("outside discussion")
        }
        var within = new
        within.discussion = discussion
        within.territory = nil
        #expect(try await ServerCommands.importPolis(config, directory: good, new: within).hasPrefix("imported conversation 2:"))
        try await ServerCommands.withApplication(config, serving: false) { app in
            let second = try #require(try await ConversationStore.find(2, on: app.db as! any SQLDatabase))
            #expect(second.discussionID == discussion && second.territory?.value == 430000000, "the discussion's territory")
        }
        let poll = try await ServerCommands.addPoll(config, title: .init(kk: "С", ru: "В", en: "Q"),
                                                    options: [.init(kk: "Иә", ru: "Да", en: "Yes"), .init(kk: "Жоқ", ru: "Нет", en: "No")],
                                                    territory: "430000000", opens: "2026-03-01", closes: "2026-03-31")
        #expect(poll == "added poll 1 with 2 options, open 2026-03-01 to 2026-03-31")
        await #expect { try await ServerCommands.addPoll(config, title: .init(kk: "С", ru: "В", en: "Q"), options: [.init(kk: "", ru: "", en: "")],
                                                         territory: nil, opens: "2026-03-01", closes: "2026-03-31") } throws: {
            "\($0)".contains("at least two")
        }
        try "comment-id,comment-body,moderated\n0,A,1\n".write(toFile: bad + "/comments.csv", atomically: true, encoding: .utf8)
        try "timestamp,comment-id,voter-id,vote\n1,0,0,1\n2,0,1,7\n".write(toFile: bad + "/votes.csv", atomically: true, encoding: .utf8)
        await #expect { try await ServerCommands.importPolis(config, directory: bad, new: new) } throws: { error in
            "\(error)".contains("votes.csv") && "\(error)".contains("line 3") && "\(error)".contains("nothing was imported")
        }
        await #expect { try await ServerCommands.importPolis(config, directory: folder + "/none", new: new) } throws: {
            "\($0)".contains("nothing was imported")
        }
    }

    @Test func servingAFolderWithoutADatabaseAsksToMigrate() throws {
        var config = AimaqConfiguration()
        config.auditKey = testAuditKey
        config.dataDirectory = try temporaryFolder()
        #expect {
            try DataFolder.validateForServing(config)
        } throws: { error in
            "\(error)".contains("aimaq.sqlite is missing")
        }
    }

    @Test func aDamagedDatabaseFileIsNamed() throws {
        var config = AimaqConfiguration()
        config.auditKey = testAuditKey
        config.dataDirectory = try temporaryFolder()
        try Data("this is not a database at all".utf8).write(to: URL(fileURLWithPath: config.sqlitePath))
        #expect {
            try DataFolder.validateForServing(config)
        } throws: { error in
            "\(error)".contains("is not an SQLite database")
        }
    }

    @Test func aFileWhereTheFolderShouldBeIsRefused() throws {
        var config = AimaqConfiguration()
        config.auditKey = testAuditKey
        let folder = try temporaryFolder()
        config.dataDirectory = folder + "/file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: config.dataDirectory))
        #expect(throws: DataFolderError.self) { try DataFolder.validateForServing(config) }
        #expect(throws: DataFolderError.self) { try DataFolder.prepare(config) }
    }

    @Test func environmentConfiguresTheServer() {
        let config = AimaqConfiguration.fromEnvironment([
            "AIMAQ_DATA": "/srv/aimaq", "AIMAQ_PORT": "9000", "AIMAQ_HOST": "0.0.0.0",
            "AIMAQ_DATABASE_URL": "postgres://a:b@db:5432/aimaq", "AIMAQ_BCRYPT_COST": "10",
        ])
        #expect(config.dataDirectory == "/srv/aimaq")
        #expect(config.port == 9000)
        #expect(config.host == "0.0.0.0")
        #expect(config.usesPostgres)
        #expect(config.bcryptCost == 10)
        #expect(!AimaqConfiguration.fromEnvironment([:]).usesPostgres)
        #expect(config.problems.isEmpty)
    }

    /// A setting that is set but cannot be used stops the start, named with what was
    /// expected, instead of being quietly replaced by its default.
    @Test func aBadSettingIsNamedAndRefused() throws {
        let config = AimaqConfiguration.fromEnvironment([
            "AIMAQ_READ_CONCURRENCY": "many", "AIMAQ_PAGE_CACHE_MB": "0", "AIMAQ_PORT": "80000", "AIMAQ_LOG_LEVEL": "loud",
            "AIMAQ_FEED_POLL_MS": "500",
        ])
        #expect(config.feedPollMilliseconds == 500, "the good ones are taken")
        #expect(config.pageCacheMegabytes == 64, "a bad one keeps its default")
        #expect(config.problems.count == 4)
        do {
            _ = try config.checked()
            Issue.record("a configuration with bad settings was accepted")
        } catch {
            let text = String(describing: error)
            for expected in ["AIMAQ_READ_CONCURRENCY=many: expected a whole number from 0 to 4096",
                             "AIMAQ_PAGE_CACHE_MB=0: expected a whole number from 1 to 65536",
                             "AIMAQ_PORT=80000", "AIMAQ_LOG_LEVEL=loud: expected one of trace"] {
                #expect(text.contains(expected), "\(expected) in \(text)")
            }
        }
        #expect(throws: Never.self) { try AimaqConfiguration.fromEnvironment(["AIMAQ_PORT": "9000"]).checked() }
    }
}
