import AimaqCore
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Where the data lives.
public enum DatabaseChoice: Sendable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(String)

    public static func from(_ configuration: AimaqConfiguration) -> DatabaseChoice {
        if configuration.usesPostgres, let url = configuration.databaseURL { return .postgres(url) }
        return .sqliteFile(configuration.sqlitePath)
    }
}

public enum AimaqApp {
    /// Sets up databases, migrations, sessions, middleware, reference data in memory and routes.
    /// Does not migrate: `aimaq migrate` and `aimaq demo` do, `serve` checks.
    public static func configure(_ app: Application, configuration: AimaqConfiguration,
                                 database: DatabaseChoice? = nil) async throws {
        app.logger.logLevel = configuration.logLevel
        app.passwords.use(.bcrypt(cost: configuration.bcryptCost))
        app.http.server.configuration.hostname = configuration.host
        app.http.server.configuration.port = configuration.port

        let choice = database ?? .from(configuration)
        var isPostgres = false
        var lane: WriteLane?
        switch choice {
        case .sqliteFile(let path):
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
            // Readers never wait for the writer, and a commit is one write to the log. The
            // mode is kept in the file.
            if FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(
                atPath: (path as NSString).deletingLastPathComponent) {
                try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode = WAL").run()
            }
            lane = WriteLane(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite, logger: app.logger)
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: .debug), as: .sqlite)
        case .postgres(let url):
            var postgres = try SQLPostgresConfiguration(url: url)
            postgres.searchPath = nil
            isPostgres = true
            app.databases.use(.postgres(configuration: postgres,
                                        maxConnectionsPerEventLoop: configuration.postgresConnectionsPerLoop,
                                        sqlLogLevel: .debug), as: .psql)
            lane = WriteLane(.postgres(configuration: postgres, sqlLogLevel: .debug), as: .psql, logger: app.logger)
        }
        if let lane { app.lifecycle.use(WriteLane.Shutdown(lane: lane)) }
        // With a lane (a database file or PostgreSQL), kept pages are remade off the request path.
        let background = lane.map { _ in LoopThreads(threads: 1) }
        if let background { app.lifecycle.use(LoopThreads.Shutdown(threads: background)) }
        AimaqMigrations.register(on: app)
        _ = try RateLimits.parse(configuration.rateLimits)  // a bad setting stops the start, said plainly
        let auditKey = try AuditKey.load(configuration)
        AuditLog.key.withLock { $0 = auditKey }

        var calendar = try ReferenceData.calendar(extra: configuration.calendarFile)
        calendar.minimumDeadline = configuration.minimumDeadlineWorkingDays
        app.aimaq = AppState(configuration: configuration, catalog: try LocaleFiles.load(),
                             throttle: LoginThrottle(), calendar: calendar,
                             budget: try BudgetState.bundled(),
                             evidenceInDatabase: isPostgres, writes: lane, background: background)

        app.middleware = Middlewares()
        app.middleware.use(ServerTimingMiddleware())
        app.middleware.use(SecurityHeadersMiddleware())
        app.middleware.use(LanguageMiddleware())
        app.middleware.use(AimaqErrorMiddleware())
        app.middleware.use(WebSessionMiddleware())
        app.middleware.use(APITokens.Authenticator())
        app.middleware.use(CSRFMiddleware())
        app.middleware.use(SecondFactorGate())
        app.routes.defaultMaxBodySize = "1mb"
        // The hash an unknown account's password is checked against, made once here rather
        // than at the first such sign-in.
        _ = SignInController.dummyHash(cost: configuration.bcryptCost)

        registerRoutes(app)
        if configuration.readConcurrency > 0 {
            let loops = Array(app.eventLoopGroup.makeIterator())
            let render = configuration.renderThreads > 0 ? LoopThreads(threads: configuration.renderThreads) : nil
            if let render {
                app.storage[LoopThreads.RenderKey.self] = render
                app.lifecycle.use(LoopThreads.Shutdown(threads: render))
            }
            ReadGate.guardReads(app.routes, loops: loops, permits: max(1, configuration.readConcurrency / max(1, loops.count)),
                                 queue: configuration.readQueue, render: render?.executors ?? [])
        }
        app.storage[MethodTable.Key.self] = MethodTable(app.routes.all)
    }

    static func registerRoutes(_ app: Application) {
        SystemController.register(app)
        TerritoryController.register(app)
        BodyController.register(app)
        SignInController.register(app)
        PasswordController.register(app)
        SecondFactorController.register(app)
        AdminController.register(app)
        InstructionController.register(app)
        MyWorkController.register(app)
        PlanImportController.register(app)
        InstructionAPI.register(app)
        APITokens.register(app)
        BudgetController.register(app)
        ReferendumController.register(app)
        DiscussionController.register(app)
        CommentController.register(app)
        ProposalController.register(app)
        CivicAPI.register(app)
        ConversationController.register(app)
        OpinionController.register(app)
        ReportController.register(app)
        PollController.register(app)
        ParticipationAPI.register(app)
        ConversationAPI.register(app)
        AppealController.register(app)
        VisitController.register(app)
        AppealAPI.register(app)
        ReceptionController.register(app)
        DeputyController.register(app)
        ObjectController.register(app)
    }

    /// Loads what is served from memory; call after migrating.
    public static func loadReferenceData(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase else { return }
        // The feed starts here: what the loads below read is everything up to this point.
        try await app.aimaq.feed.start(db: sql)
        try await app.aimaq.territories.reload(from: sql)
        try await app.aimaq.bodies.reload(from: sql)
        app.aimaq.pages.clear()
        var secret = try await Setting.value("feed_secret", on: app.db)
        if secret == nil {
            let fresh = [UInt8].random(count: 32).base64URLEncodedString()
            try await Setting.set("feed_secret", fresh, on: app.db)
            secret = fresh
        }
        let feedSecret = secret ?? ""
        app.aimaq.secret.withLock { $0 = feedSecret }
        if let key = AuditLog.key.withLock({ $0 }) { try await AuditLog.checkKey(key, on: app.db) }
        let demo = try await Setting.value("demo", on: app.db)
        app.aimaq.isDemo.withLock { $0 = demo == "true" }
    }

    /// Reads what the first visitors would otherwise wait for (the register, the budgets of
    /// this year and the two before, and this year's what-if) before the server takes
    /// requests: a server that joins a load balancer answers its first request as fast as
    /// its hundredth.
    public static func warmUp(_ app: Application) async throws -> Duration {
        guard let sql = app.db as? any SQLDatabase else { return .zero }
        let clock = ContinuousClock()
        let started = clock.now
        _ = try await app.aimaq.register.current(sql)
        // A territory's page compares this year's budget with the two before.
        let year = app.aimaq.clock.today().year
        for shown in (year - 2)...year {
            _ = try await app.aimaq.budget.year(shown, db: sql, tree: app.aimaq.territories.tree)
        }
        return clock.now - started
    }

    /// Names of migrations not yet applied to the database.
    public static func pendingMigrations(_ app: Application) async throws -> [String] {
        // A new database has no migration log yet: make it, so that every migration is pending.
        try await app.migrator.setupIfNeeded().get()
        return try await app.migrator.previewPrepareBatch().get().map { $0.0.name }
    }
}
