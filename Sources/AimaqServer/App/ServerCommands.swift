import AimaqCore
import OpinionMap
import Fluent
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Vapor

/// What the command line asks of the server library; the executable only parses flags.
public enum ServerCommands {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Runs Swift concurrency on NIO's event loops (measured +30-40% on database pages).
    public static func installEventLoopExecutor() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    public static func bootstrapLogging(_ level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Prints a line to standard output at once (no buffering: the demo's logins must show
    /// before the server blocks).
    public static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Prints to standard error (progress), keeping standard output for results.
    public static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Makes a configured application, runs `body`, and always shuts it down.
    static func withApplication<T>(_ config: AimaqConfiguration, serving: Bool,
                                   _ body: (Application) async throws -> T) async throws -> T {
        var arguments = ["aimaq"]
        if serving { arguments += ["serve", "--hostname", config.host, "--port", String(config.port)] }
        let app = try await Application.make(Environment(name: "production", arguments: arguments))
        do {
            try await AimaqApp.configure(app, configuration: config)
            if serving {
                app.lifecycle.use(DeadlineSweeper.task(interval: .seconds(config.sweepMinutes * 60)))
                app.lifecycle.use(ChangeFeedPoller.task(interval: .milliseconds(config.feedPollMilliseconds)))
                app.lifecycle.use(WebSessions.cleanup(interval: .seconds(5 * 60)))
                app.lifecycle.use(RateLimits.task())
                app.lifecycle.use(ConversationMaps.task(interval: .milliseconds(config.mapPollMilliseconds)))
            }
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    public static func serve(_ config: AimaqConfiguration) async throws {
        do {
            try DataFolder.validateForServing(config)
        } catch {
            throw Failure("aimaq serve: \(error)")
        }
        try await withApplication(config, serving: true) { app in
            let pending = try await AimaqApp.pendingMigrations(app)
            guard pending.isEmpty else {
                throw Failure("aimaq serve: the database needs \(pending.count) migration(s) (\(pending.joined(separator: ", "))); run `aimaq migrate` first")
            }
            if !config.usesPostgres {
                do {
                    try await Maintenance.refuseDamage(app, config)
                } catch {
                    throw Failure("aimaq serve: \(error)")
                }
            }
            try await AimaqApp.loadReferenceData(app)
            let warm = try await AimaqApp.warmUp(app)
            let seconds = Double(warm.components.seconds) + Double(warm.components.attoseconds) / 1e18
            note(String(format: "aimaq serve: register and budget read in %.1f s", seconds))
            say("Aimaq is serving \(config.dataDirectory) on http://\(config.host):\(config.port)")
            try await yieldReadsToWrites(app, config)
            try await app.execute()
        }
    }

    public static func migrate(_ config: AimaqConfiguration) async throws {
        try DataFolder.prepare(config)
        try await withApplication(config, serving: false) { app in
            let pending = try await AimaqApp.pendingMigrations(app)
            try await app.autoMigrate()
            let summary = try await ReferenceData.ensure(app, actor: "aimaq migrate")
            say("migrated: \(pending.count) migration(s) applied; \(summary.territories) territories, \(summary.bodies) bodies")
        }
    }

    public static func demo(_ config: AimaqConfiguration, loadOnly: Bool, nationalScale: Bool = false) async throws {
        // The demo's shared accounts sign in with their password alone.
        var config = config
        config.secondFactorRequired = false
        try DataFolder.prepare(config)
        try await withApplication(config, serving: !loadOnly) { app in
            let started = Date()
            try await app.autoMigrate()
            try await DemoData.load(app, nationalScale: nationalScale) { note("demo: \($0)") }
            note(String(format: "demo: data ready in %.1f s", Date().timeIntervalSince(started)))
            guard !loadOnly else { return }
            say("Aimaq demo: http://\(config.host):\(config.port)")
            say("Demo logins (password \(DemoData.password)):")
            for login in DemoData.logins {
                say("  \(login.role.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \(login.email)  [\(login.territory)]")
            }
            try await yieldReadsToWrites(app, config)
            try await app.execute()
        }
    }

    /// Lowers the priority of the threads that render pages (`ReadPriority`).
    private static func yieldReadsToWrites(_ app: Application, _ config: AimaqConfiguration) async throws {
        // The threads that render: their own when there are (the event loops then only move
        // bytes, a write's among them, and keep their priority), else the event loops.
        var loops = app.storage[LoopThreads.RenderKey.self]?.loops ?? Array(app.eventLoopGroup.makeIterator())
        if let background = app.aimaq.background { loops.append(background.executor.loop) }
        try await ReadPriority.lower(loops, by: config.readNice)
    }

    public static func addUser(_ config: AimaqConfiguration, email: String, name: String, role: Role,
                               scope: TerritoryScope, body: AccountAdministration.BodyChoice = .none,
                               password: String?) async throws -> String? {
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            return try await AccountAdministration.create(app, email: email, name: name, role: role, scope: scope,
                                                   body: body, password: password, actor: "aimaq user add")
                .map { AccountAdministration.absolute($0, config) }
        }
    }

    /// Makes an API token for an existing account and returns it (shown once, kept as a hash).
    public static func issueToken(_ config: AimaqConfiguration, email: String, name: String) async throws -> String {
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            guard let account = try await Account.query(on: app.db).filter(\.$email == email).first(),
                  let id = account.id else {
                throw Failure("no account has the e-mail address \(email)")
            }
            guard account.active else { throw Failure("the account \(email) is deactivated") }
            return try await APITokens.issue(account: id, name: name, actor: "aimaq user token", on: app.db)
        }
    }

    /// The first break of the audit chain (nil when whole) and how many entries were checked.
    /// With `anchor` (`sequence:hash`, printed earlier by `aimaq audit anchor`), also checks
    /// that the log still reaches that entry unchanged.
    public static func verifyAudit(_ config: AimaqConfiguration, anchor: String? = nil) async throws -> (AuditChain.Break?, Int) {
        try DataFolder.validateForServing(config)
        let kept: AuditLog.Anchor?
        if let anchor {
            guard let parsed = AuditLog.Anchor(anchor) else { throw Failure("--anchor: \"\(anchor)\" is not sequence:hash") }
            kept = parsed
        } else {
            kept = nil
        }
        return try await withApplication(config, serving: false) { app in
            if let key = AuditLog.key.withLock({ $0 }) { try await AuditLog.checkKey(key, on: app.db) }
            return try await AuditLog.verify(on: app.db, anchor: kept) { note("audit: \($0) entries checked") }
        }
    }

    /// The head of the audit log as `sequence:hash`, for the operator to keep elsewhere.
    public static func auditAnchor(_ config: AimaqConfiguration) async throws -> String? {
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AuditLog.anchor(on: app.db)?.description
        }
    }

    /// Imports an action plan file; every problem is printed with its line and column.
    /// The text of a file given to `aimaq import COMMAND`, or a failure that names it.
    static func readImport(_ file: String, command: String) throws -> String {
        do {
            return try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw Failure("aimaq import \(command): cannot read \(file): \(error.localizedDescription)")
        }
    }

    /// A discussion to open with the first version of its draft.
    public struct NewDiscussion: Sendable {
        public var title: LocalizedName
        public var territory: String
        public var dates: [String]  // opens, expert review, dispositions, closes

        public init(title: LocalizedName, territory: String, dates: [String]) {
            self.title = title
            self.territory = territory
            self.dates = dates
        }
    }

    /// `aimaq import draft FILE`: the next version of a discussion's draft, or a new
    /// discussion with its first version. Anchors of articles that keep their numbers stay.
    public static func importDraft(_ config: AimaqConfiguration, file: String, discussion: Int?,
                                   new: NewDiscussion?) async throws -> String {
        let text = try readImport(file, command: "draft")
        let document: DraftDocument
        do {
            document = try DraftDocument.parse(text)
        } catch {
            throw Failure("aimaq import draft: \(file): \(error); nothing was imported")
        }
        var schedule: DiscussionSchedule?
        var territory: KATOCode?
        if discussion == nil {
            guard let new else { throw Failure("aimaq import draft: give --discussion N, or --title, --territory and the four dates") }
            guard let code = try? KATOCode(new.territory) else {
                throw Failure("aimaq import draft: --territory \(new.territory) is not a nine-digit KATO code")
            }
            var dates: [CivilDate] = []
            for (name, value) in zip(["--opens", "--expert-review", "--dispositions", "--closes"], new.dates) {
                guard let date = try? CivilDate(value) else { throw Failure("aimaq import draft: \(name) \(value) is not a date (YYYY-MM-DD)") }
                dates.append(date)
            }
            guard dates.count == 4 else { throw Failure("aimaq import draft: a new discussion needs the four dates") }
            do {
                schedule = try DiscussionSchedule(opens: dates[0], expertReview: dates[1], dispositions: dates[2], closes: dates[3])
            } catch {
                throw Failure("aimaq import draft: the dates must follow one another (opens ≤ expert review ≤ dispositions ≤ closes)")
            }
            territory = code
        }
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            let sql = app.db as! any SQLDatabase
            let id: Int
            if let discussion {
                guard try await DiscussionStore.find(discussion, on: sql) != nil else {
                    throw Failure("aimaq import draft: there is no discussion \(discussion)")
                }
                id = discussion
            } else if let schedule, let territory, let new {
                guard app.aimaq.territories.tree[territory] != nil else {
                    throw Failure("aimaq import draft: \(territory) is not a territory of the tree")
                }
                id = try await DiscussionStore.create(DiscussionRecord(id: 0, territory: territory, bodyID: nil, title: new.title,
                                                                       schedule: schedule, demo: false),
                                                      actor: "aimaq import draft", on: app.db)
            } else {
                throw Failure("aimaq import draft: nothing to import into")
            }
            let (number, comparison) = try await DiscussionStore.addVersion(document, discussion: id, actor: "aimaq import draft",
                                                                            on: app.db)
            let changes = comparison.map { "; it changes \($0.changedAnchors.count) article(s)" } ?? ""
            return "imported version \(number) of discussion \(id): \(document.articles.count) article(s)\(changes)"
        }
    }

    /// `aimaq import referendum --referendum ID FILE`: protocols by territory, all or nothing.
    /// A referendum to create with its first protocols.
    public struct NewReferendum: Sendable {
        public var title: LocalizedName
        public var question: LocalizedName
        public var heldOn: String
        /// `constitution` (a majority in two thirds of the regions too) or `republican`.
        public var kind: String

        public init(title: LocalizedName, question: LocalizedName, heldOn: String, kind: String) {
            self.title = title
            self.question = question
            self.heldOn = heldOn
            self.kind = kind
        }
    }

    public static func importReferendum(_ config: AimaqConfiguration, referendum: Int?, new: NewReferendum? = nil,
                                        file: String) async throws -> String {
        let text = try readImport(file, command: "referendum")
        let tallies: [KATOCode: Tally]
        do {
            tallies = try ReferendumProtocols.parse(text)
        } catch {
            throw Failure("aimaq import referendum: \(file) has \(error.problems.count) problem(s); nothing was imported\n"
                          + error.problems.map { "\(file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n"))
        }
        var rules: ReferendumRules?
        if referendum == nil {
            guard let new else { throw Failure("aimaq import referendum: give --referendum N, or --title, --question, --held-on and --kind") }
            guard (try? CivilDate(new.heldOn)) != nil else {
                throw Failure("aimaq import referendum: --held-on \(new.heldOn) is not a date (YYYY-MM-DD)")
            }
            switch new.kind {
            case "constitution": rules = .constitution
            case "republican": rules = .republican
            default: throw Failure("aimaq import referendum: --kind is constitution or republican, not \(new.kind)")
            }
        }
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            let target: Int
            if let given = referendum {
                guard try await ReferendumStore.find(given, on: app.db as! any SQLDatabase) != nil else {
                    throw Failure("aimaq import referendum: there is no referendum \(given)")
                }
                target = given
            } else if let new, let rules {
                target = try await ReferendumStore.create(ReferendumRecord(
                    id: 0, heldOn: new.heldOn, kind: new.kind, title: new.title, question: new.question, rules: rules, demo: false),
                    actor: "aimaq import referendum", on: app.db)
            } else {
                throw Failure("aimaq import referendum: nothing to import into")
            }
            do {
                try await ReferendumStore.record(tallies, referendum: target, actor: "aimaq import referendum",
                                                 tree: app.aimaq.territories.tree, on: app.db)
            } catch let problem as ReferendumStore.StoreProblem {
                throw Failure("aimaq import referendum: \(file): \(problem); nothing was imported")
            }
            return "imported the protocols of \(tallies.count) territories into referendum \(target)"
        }
    }

    /// `aimaq import electorate --referendum N FILE`: eligible voters by territory
    /// (`kato,eligible`), replacing what the referendum had; all or nothing.
    public static func importElectorate(_ config: AimaqConfiguration, referendum: Int, file: String) async throws -> String {
        let text = try readImport(file, command: "electorate")
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            guard try await ReferendumStore.find(referendum, on: app.db as! any SQLDatabase) != nil else {
                throw Failure("aimaq import electorate: there is no referendum \(referendum)")
            }
            let electorate: [KATOCode: Int]
            do {
                electorate = try ReferendumElectorate.parse(text, tree: app.aimaq.territories.tree)
            } catch let error as ReferendumProtocols.ProblemList {
                throw Failure("aimaq import electorate: \(file) has \(error.problems.count) problem(s); nothing was imported\n"
                              + error.problems.map { "\(file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n"))
            }
            try await ReferendumStore.setElectorate(electorate, referendum: referendum, actor: "aimaq import electorate", on: app.db)
            return "imported the electorate of \(electorate.count) territories (\(electorate.values.reduce(0, +)) eligible) into referendum \(referendum)"
        }
    }

    /// `aimaq appeals regroup`: groups every appeal anew by similarity (district and topic by
    /// district and topic), with progress; returns the one-line summary.
    public static func regroupAppeals(_ config: AimaqConfiguration, progress: @escaping @Sendable (String) -> Void) async throws -> String {
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            let started = ContinuousClock.now
            var reported = 0
            let result = try await AppealStore.regroup(on: app.db) { done, total in
                if done - reported >= 5_000 || done == total {
                    reported = done
                    progress("regrouping: \(done) of \(total) appeals")
                }
            }
            let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1_000
            return "\(result.appeals) appeals in \(result.groups) groups of similar appeals, regrouped in " + String(format: "%.2f", seconds) + " s"
        }
    }

    /// `aimaq poll add`: a consultative poll; returns what was made.
    public static func addPoll(_ config: AimaqConfiguration, title: LocalizedName, options: [LocalizedName], territory: String?,
                               opens: String, closes: String) async throws -> String {
        guard options.count >= 2 else { throw Failure("aimaq poll add: give at least two --option") }
        guard let from = try? CivilDate(opens), let to = try? CivilDate(closes), from <= to else {
            throw Failure("aimaq poll add: --opens and --closes must be dates (YYYY-MM-DD), the first not after the second")
        }
        var code: KATOCode?
        if let territory {
            guard let parsed = try? KATOCode(territory) else { throw Failure("aimaq poll add: --territory \(territory) is not a nine-digit KATO code") }
            code = parsed
        }
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            if let code, app.aimaq.territories.tree[code] == nil {
                throw Failure("aimaq poll add: \(code) is not a territory of the tree")
            }
            let id = try await PollStore.create(PollRecord(id: 0, territory: code, discussionID: nil, title: title, options: options,
                                                           opens: from, closes: to, demo: false), actor: "aimaq poll add", on: app.db)
            return "added poll \(id) with \(options.count) options, open \(from) to \(to)"
        }
    }

    /// A conversation to make for an imported Polis export.
    public struct NewConversation: Sendable {
        public var title: LocalizedName
        /// A KATO code, or nil for the whole country.
        public var territory: String?
        public var discussion: Int?
        public var opens: String
        public var closes: String

        public init(title: LocalizedName, territory: String?, discussion: Int?, opens: String, closes: String) {
            self.title = title
            self.territory = territory
            self.discussion = discussion
            self.opens = opens
            self.closes = closes
        }
    }

    /// `aimaq import polis DIR`: a Polis export (`votes.csv`, `comments.csv`) as a new
    /// conversation, its statements with their moderation, its participants (without
    /// accounts) and every vote in the order cast; all or nothing.
    public static func importPolis(_ config: AimaqConfiguration, directory: String, new: NewConversation,
                                   progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> String {
        let export: PolisExport
        do {
            export = try PolisExport.load(from: URL(fileURLWithPath: directory))
        } catch {
            throw Failure("aimaq import polis: \(directory)/\(error); nothing was imported")
        }
        guard let opens = try? CivilDate(new.opens), let closes = try? CivilDate(new.closes), opens <= closes else {
            throw Failure("aimaq import polis: --opens and --closes must be dates (YYYY-MM-DD), the first not after the second")
        }
        var territory: KATOCode?
        if let given = new.territory {
            guard let code = try? KATOCode(given) else { throw Failure("aimaq import polis: --territory \(given) is not a nine-digit KATO code") }
            territory = code
        }
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            let sql = app.db as! any SQLDatabase
            if let territory, app.aimaq.territories.tree[territory] == nil {
                throw Failure("aimaq import polis: \(territory) is not a territory of the tree")
            }
            var territory = territory
            if let discussion = new.discussion {
                guard let record = try await DiscussionStore.find(discussion, on: sql) else {
                    throw Failure("aimaq import polis: there is no discussion \(discussion)")
                }
                // As on the web: a conversation of a discussion lies in its territory and within its public phase.
                let schedule = record.schedule
                guard schedule.opens <= opens, closes <= schedule.expertReview else {
                    throw Failure("aimaq import polis: a conversation of discussion \(discussion) runs within its public phase, "
                                  + "\(schedule.opens) to \(schedule.expertReview); nothing was imported")
                }
                if let given = territory, let within = record.territory, !within.contains(given) {
                    throw Failure("aimaq import polis: --territory \(given) lies outside discussion \(discussion)'s territory \(within); nothing was imported")
                }
                territory = territory ?? record.territory
            }
            let started = ContinuousClock.now
            let actor = "aimaq import polis"
            let writer = AuditLog.Writer(database: app.db)
            let id = try await ConversationStore.create(ConversationRecord(
                id: 0, discussionID: new.discussion, territory: territory, title: new.title, opens: opens, closes: closes, demo: false),
                actor: actor, on: app.db)
            do {
                var statements: [Int: Int] = [:]
                for statement in export.statements.sorted(by: { $0.id < $1.id }) {
                    let status: StatementRecord.Status = statement.moderation > 0 ? .approved : (statement.moderation < 0 ? .rejected : .pending)
                    statements[statement.id] = try await ConversationStore.addStatement(
                        statement.text, conversation: id, author: nil,
                        status: status, externalID: statement.id, actor: actor, on: writer)
                }
                progress("\(statements.count) statements")
                // Votes in the order cast (by timestamp, file order among equals).
                let votes = export.votes.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
                    .map(\.element).filter { statements[$0.statement] != nil }
                let voters = Array(Set(votes.map(\.participant))).sorted()
                let participants = try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db -> [Int: Int] in
                    var made: [Int: Int] = [:]
                    for voter in voters {
                        made[voter] = try await db.sql.insert(into: "conversation_participants")
                            .columns("conversation_id", "external_id", "created_at")
                            .values(SQLBind(id), SQLBind(voter), SQLBind(KazakhstanTime.nowMilliseconds()))
                            .returning("id").first(decoding: InsertedID.self)?.id ?? 0
                    }
                    return made
                }
                progress("\(participants.count) participants")
                let ballots = votes.map { Ballot(conversation: id, statement: statements[$0.statement] ?? 0,
                                                 participant: participants[$0.participant] ?? 0, value: $0.value) }
                var stored = 0
                let chunk = 50_000
                while stored < ballots.count {
                    let part = Array(ballots[stored ..< min(stored + chunk, ballots.count)])
                    try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db in
                        try await ConversationStore.insert(part, at: KazakhstanTime.nowMilliseconds(), on: db)
                    }
                    stored += part.count
                    progress("\(stored) of \(ballots.count) votes")
                }
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                return "imported conversation \(id): \(statements.count) statements, \(participants.count) participants, "
                    + "\(ballots.count) votes in \(String(format: "%.1f", seconds)) s"
            } catch {
                // All or nothing: the conversation goes with what was stored of it.
                try? await sql.delete(from: "conversation_votes").where("conversation_id", .equal, SQLBind(id)).run()
                try? await sql.delete(from: "conversation_participants").where("conversation_id", .equal, SQLBind(id)).run()
                try? await sql.delete(from: "conversation_statements").where("conversation_id", .equal, SQLBind(id)).run()
                try? await sql.delete(from: "conversations").where("id", .equal, SQLBind(id)).run()
                throw Failure("aimaq import polis: \(error); nothing was imported")
            }
        }
    }

    /// `aimaq bench conversation`: a national conversation open today with a generated vote
    /// matrix (planted groups, participants spread over the regions), for the vote and page
    /// benchmarks. Returns its number.
    public static func seedBenchConversation(_ config: AimaqConfiguration, participants: Int, statements: Int, density: Double,
                                             groups: Int, seed: UInt64, discussion: Int?,
                                             progress: @escaping @Sendable (String) -> Void) async throws -> Int {
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            let today = app.aimaq.clock.today()
            let writer = AuditLog.Writer(database: app.db)
            let id = try await ConversationStore.create(ConversationRecord(
                id: 0, discussionID: discussion, territory: nil,
                title: LocalizedName(kk: "Бенчмарк", ru: "Бенчмарк", en: "Benchmark conversation"),
                opens: today.adding(days: -30), closes: today.adding(days: 30), demo: true), actor: "aimaq bench", on: app.db)
            var statementIDs: [Int] = []
            for number in 0 ..< statements {
                statementIDs.append(try await ConversationStore.addStatement(
                    "Generated statement \(number + 1)", conversation: id, author: nil, status: .approved, actor: "aimaq bench", on: writer))
            }
            progress("\(statements) statements")
            let planted = PlantedConversation.generate(participants: participants, statements: statements, density: density,
                                                       groups: groups, seed: seed)
            let votes = planted.events.build().allVotes()
            let regions = app.aimaq.territories.tree.regions.map(\.code.value)
            let participantIDs = try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db -> [Int] in
                var made: [Int] = []
                made.reserveCapacity(participants)
                for index in 0 ..< participants {
                    made.append(try await db.sql.insert(into: "conversation_participants")
                        .columns("conversation_id", "region_id", "external_id", "created_at")
                        .values(SQLBind(id), SQLBind(regions.isEmpty ? nil : regions[index % regions.count]), SQLBind(index),
                                SQLBind(KazakhstanTime.nowMilliseconds()))
                        .returning("id").first(decoding: InsertedID.self)?.id ?? 0)
                }
                return made
            }
            progress("\(participants) participants")
            var stored = 0
            while stored < votes.count {
                let part = votes[stored ..< min(stored + 100_000, votes.count)].map {
                    Ballot(conversation: id, statement: statementIDs[$0.statement], participant: participantIDs[$0.participant], value: $0.value)
                }
                try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db in
                    try await ConversationStore.insert(part, at: KazakhstanTime.nowMilliseconds(), on: db)
                }
                stored += part.count
                progress("\(stored) of \(votes.count) votes")
            }
            return id
        }
    }

    public static func importPlan(_ config: AimaqConfiguration, file: String) async throws -> String {
        let text = try readImport(file, command: "plan")
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            switch PlanImporter.parse(text, app: app) {
            case .failure(let problems):
                throw Failure("aimaq import plan: \(file) has \(problems.items.count) problem(s); nothing was imported\n"
                              + problems.items.map { "\(file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n"))
            case .success(let plan):
                do {
                    let summary = try await PlanImporter.write(plan, app: app, actor: "aimaq import plan")
                    return "imported \(summary.sources) source(s), \(summary.instructions) instruction(s), \(summary.assignments) assignment(s)"
                } catch let problems as PlanImport.Problems {
                    throw Failure("aimaq import plan: nothing was imported\n"
                                  + problems.items.map { "\(file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n"))
                }
            }
        }
    }

    /// Imports a budget file (lines or transfers); progress goes to standard error, problems
    /// are printed as `file:line:column: message`, and the answer is a one-line summary.
    public static func importBudget(_ config: AimaqConfiguration, file: String) async throws -> String {
        let started = Date()
        let text = try readImport(file, command: "budget")
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await AimaqApp.loadReferenceData(app)
            note("budget: checking \(file)")
            switch await BudgetImporter.parse(text, app: app) {
            case .failure(let problems):
                let more = problems.items.count >= BudgetImport.maxProblems ? " (reading stopped there)" : ""
                throw Failure("aimaq import budget: \(file) has \(problems.items.count) problem(s)\(more); nothing was imported\n"
                              + problems.items.map { "\(file):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n"))
            case .success(let parsed):
                let checked = Date().timeIntervalSince(started)
                let step = max(BudgetStore.batch, parsed.count / 10)
                let summary = try await BudgetStore.write(parsed.file, app: app, actor: "aimaq import budget",
                                                          sha256: BudgetStore.digest(text.utf8)) { done, total in
                    if done % step < BudgetStore.batch || done == total { note("budget: written \(done)/\(total)") }
                }
                let seconds = Date().timeIntervalSince(started)
                return String(format: "imported %d %@ in %.1f s (%.0f lines/s; checked in %.1f s), replacing %d",
                              summary.written, parsed.what, seconds, Double(summary.written) / max(seconds, 0.001),
                              checked, summary.replaced)
            }
        }
    }

    public static func importTerritories(_ config: AimaqConfiguration, classifier: String?, regions: String?,
                                         names: String?, population: String? = nil) async throws -> Int {
        let territories: [Territory]
        do {
            territories = try ReferenceData.readTerritories(classifier: classifier, regions: regions, names: names,
                                                            population: population)
        } catch {
            throw Failure("aimaq import territories: \(error); nothing was changed")
        }
        note("import: \(territories.count) territories read and checked")
        try DataFolder.validateForServing(config)
        return try await withApplication(config, serving: false) { app in
            try await ReferenceData.ensure(app, territories: territories, replace: true,
                                           actor: "aimaq import territories").territories
        }
    }
}
