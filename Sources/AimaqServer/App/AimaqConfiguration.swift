import Foundation
import AimaqCore
import Vapor

/// How an Aimaq server runs: from `AIMAQ_` environment variables, overridden by flags.
public struct AimaqConfiguration: Sendable {
    /// Folder for the SQLite database and uploaded files.
    public var dataDirectory: String = "./aimaq-data"
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// `postgres://user:password@host:port/database`; SQLite in the data folder when nil.
    public var databaseURL: String?
    /// Work factor of bcrypt password hashes (4 to 31).
    public var bcryptCost: Int = 12
    /// Mark the session cookie Secure (set when served over HTTPS).
    public var secureCookies: Bool = false
    public var logLevel: Logger.Level = .notice
    /// Keep rendered pages in memory until the data under them changes (off only to measure
    /// the rendering path in benchmarks).
    public var pageCache: Bool = true
    /// Bytes of rendered pages kept in memory, in MiB (`AIMAQ_PAGE_CACHE_MB`).
    public var pageCacheMegabytes: Int = 64
    /// Milliseconds between two reads of the change feed (`AIMAQ_FEED_POLL_MS`, 20 to 10,000):
    /// how soon a change made on another server or by a command-line import shows here.
    public var feedPollMilliseconds: Int = 200
    /// Milliseconds between two looks for new votes by the opinion maps (`AIMAQ_MAP_POLL_MS`,
    /// 20 to 10,000): a vote shows on the map after at most this plus one computation.
    public var mapPollMilliseconds: Int = 200
    /// PostgreSQL connections each event loop of a server keeps for reading pages
    /// (`AIMAQ_PG_CONNECTIONS`, 1 to 32): a page that reads the database waits for one.
    public var postgresConnectionsPerLoop: Int = 4
    /// Reading requests at work at once (`AIMAQ_READ_CONCURRENCY`, 0 for no limit); the rest
    /// wait their turn outside the event loops, so that writes never queue behind them
    /// (`ReadGate`). Four per core by default: on two cores 4 and 8 measured alike and 2 a
    /// tenth slower; more keeps the cores busy while pages wait for PostgreSQL.
    public var readConcurrency: Int = 4 * ProcessInfo.processInfo.activeProcessorCount
    /// Reading requests that may wait their turn on each event loop (`AIMAQ_READ_QUEUE`, 1 to
    /// 1,000,000); the next is answered 503 with `Retry-After` at once. The default is about a
    /// second of kept pages on one loop of a two-core machine (some 5,000 a second each), a few
    /// seconds of pages rendered afresh: a safety valve for an overload, not a throttle.
    public var readQueue: Int = 2_048
    /// Threads that render the pages let through the gate (`AIMAQ_RENDER_THREADS`, 0 to 256;
    /// `LoopThreads`), so that the event loops only move bytes and a write's request and
    /// answer never wait behind a page. One per core by default; 0 renders on the event loops.
    public var renderThreads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// How much lower the threads that render pages run than those that write
    /// (`AIMAQ_READ_NICE`, 0 to 19 added to their `nice`; `ReadPriority`).
    public var readNice: Int = 10
    /// Minutes between two sweeps for deadline notifications while serving (1 to 1440).
    public var sweepMinutes: Int = 60
    /// A CSV of extra calendar days (`date,kind,name`: holiday, day_off, working_day) laid
    /// over the bundled holidays, for the transfers the Government decrees each year.
    public var calendarFile: String?
    /// The fewest working days between setting a deadline and the deadline (Government
    /// Regulation on instructions, p. 135: not less than two).
    public var minimumDeadlineWorkingDays = 2
    /// The legal terms of an answer to an appeal (`AIMAQ_APPEAL_ANSWER_DAYS`, 15 working days by
    /// default; `AIMAQ_APPEAL_EXTENSION_DAYS`, 15 more once with a reason; DOMAIN.md: verify).
    public var appealTerms = AppealTerms()
    /// How far behind the latest change visitors' pages of appeals (the register, the
    /// statistics) may be while appeals keep changing (`AIMAQ_APPEAL_STALE_MS`, 0 to 10,000).
    public var appealStaleMilliseconds = 1_000
    /// How long a visitors' page (territory, register, instruction, assignment, conversation)
    /// of an older version is still served while it is remade off the request path
    /// (`AIMAQ_PAGE_LAG_MS`, 0 to 1,000; 0: a reader who finds it old remakes it and waits).
    public var pageLagMilliseconds = 250
    /// A folder for evidence files that every server can read (a shared file system); by
    /// default they live in the data folder with SQLite and in the database with PostgreSQL.
    public var evidenceDirectory: String?
    /// Minutes without a request after which the session of a staff account (everyone but
    /// citizens) ends (`AIMAQ_SESSION_IDLE_MINUTES`, 5 to 720).
    public var sessionIdleMinutes: Int = 30
    /// Hours after sign-in after which every session ends (`AIMAQ_SESSION_HOURS`, 1 to 72).
    public var sessionHours: Int = 12
    /// Addresses of the reverse proxies whose `X-Forwarded-For` is believed
    /// (`AIMAQ_TRUSTED_PROXIES`, comma-separated); from anyone else the header is ignored.
    public var trustedProxies: [String] = []
    /// The key of the audit log's signatures, 64 hex digits (`AIMAQ_AUDIT_KEY`); by default
    /// `audit.key` in the data folder. Every server on one database needs the same.
    public var auditKey: String?
    /// Limits per visitor and minute on expensive work (`AIMAQ_RATE_LIMITS`: `export=20,compute=120`
    /// over the defaults, or `off`); see `RateLimits`.
    public var rateLimits: String?
    /// The address people reach the site at, for links sent outside it (the one-time
    /// password links `aimaq user add` prints): `AIMAQ_PUBLIC_URL`, by default http://host:port.
    public var publicURL: String?
    /// Hours a one-time password link stays valid (`AIMAQ_LINK_HOURS`, 1 to 168).
    public var linkHours: Int = 72
    /// Staff (administrators, deputies, akimat officers) must use a second factor
    /// (`AIMAQ_SECOND_FACTOR=optional` turns the duty off, as the demo does).
    public var secondFactorRequired = true

    /// Environment variables that were set but could not be used, each said plainly.
    public var problems: [String] = []

    public init() {}

    /// This configuration, or an error naming every variable that could not be used.
    public func checked() throws -> Self {
        guard problems.isEmpty else {
            throw SettingsError(description: "Aimaq's settings cannot be used:\n  " + problems.joined(separator: "\n  "))
        }
        return self
    }

    /// What the environment says; a variable that is set but cannot be used is named in
    /// `problems` (and the default kept), so that a command can refuse to start over it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        var config = Self()
        var problems: [String] = []
        func number(_ name: String, _ range: ClosedRange<Int>) -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                problems.append("\(name)=\(text): expected a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return value
        }
        if let value = environment["AIMAQ_DATA"], !value.isEmpty { config.dataDirectory = value }
        if let value = environment["AIMAQ_HOST"], !value.isEmpty { config.host = value }
        if let value = number("AIMAQ_PORT", 1...65_535) { config.port = value }
        if let value = environment["AIMAQ_DATABASE_URL"], !value.isEmpty { config.databaseURL = value }
        if let value = number("AIMAQ_BCRYPT_COST", 4...31) { config.bcryptCost = value }
        if let value = environment["AIMAQ_SECURE_COOKIES"] { config.secureCookies = value == "1" || value == "true" }
        if let value = environment["AIMAQ_PAGE_CACHE"] { config.pageCache = !(value == "0" || value == "off" || value == "false") }
        if let value = number("AIMAQ_PAGE_CACHE_MB", 1...65_536) {
            config.pageCacheMegabytes = value
        }
        if let value = number("AIMAQ_PG_CONNECTIONS", 1...32) {
            config.postgresConnectionsPerLoop = value
        }
        if let value = number("AIMAQ_READ_CONCURRENCY", 0...4_096) {
            config.readConcurrency = value
        }
        if let value = number("AIMAQ_READ_QUEUE", 1...1_000_000) { config.readQueue = value }
        if let value = number("AIMAQ_RENDER_THREADS", 0...256) { config.renderThreads = value }
        if let value = number("AIMAQ_READ_NICE", 0...19) { config.readNice = value }
        if let value = number("AIMAQ_FEED_POLL_MS", 20...10_000) {
            config.feedPollMilliseconds = value
        }
        if let value = number("AIMAQ_MAP_POLL_MS", 20...10_000) {
            config.mapPollMilliseconds = value
        }
        if let value = number("AIMAQ_SWEEP_MINUTES", 1...1_440) {
            config.sweepMinutes = value
        }
        if let value = environment["AIMAQ_CALENDAR"], !value.isEmpty { config.calendarFile = value }
        if let value = number("AIMAQ_DEADLINE_MIN_WORKING_DAYS", 0...30) {
            config.minimumDeadlineWorkingDays = value
        }
        if let value = number("AIMAQ_APPEAL_ANSWER_DAYS", 1...90) {
            config.appealTerms.answerDays = value
        }
        if let value = number("AIMAQ_PAGE_LAG_MS", 0...1_000) {
            config.pageLagMilliseconds = value
        }
        if let value = number("AIMAQ_APPEAL_STALE_MS", 0...10_000) {
            config.appealStaleMilliseconds = value
        }
        if let value = number("AIMAQ_APPEAL_EXTENSION_DAYS", 0...90) {
            config.appealTerms.extensionDays = value
        }
        if let value = environment["AIMAQ_EVIDENCE_DIR"], !value.isEmpty { config.evidenceDirectory = value }
        if let value = number("AIMAQ_SESSION_IDLE_MINUTES", 5...720) {
            config.sessionIdleMinutes = value
        }
        if let value = number("AIMAQ_SESSION_HOURS", 1...72) {
            config.sessionHours = value
        }
        if let value = environment["AIMAQ_TRUSTED_PROXIES"] {
            config.trustedProxies = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let value = environment["AIMAQ_AUDIT_KEY"], !value.isEmpty { config.auditKey = value.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let value = environment["AIMAQ_RATE_LIMITS"], !value.isEmpty { config.rateLimits = value }
        if let value = environment["AIMAQ_SECOND_FACTOR"] { config.secondFactorRequired = value != "optional" }
        if let value = environment["AIMAQ_PUBLIC_URL"], !value.isEmpty { config.publicURL = value }
        if let value = number("AIMAQ_LINK_HOURS", 1...168) { config.linkHours = value }
        if let text = environment["AIMAQ_LOG_LEVEL"], !text.isEmpty {
            if let level = Logger.Level(rawValue: text) {
                config.logLevel = level
            } else {
                problems.append("AIMAQ_LOG_LEVEL=\(text): expected one of "
                                + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        config.problems = problems
        return config
    }

    public var usesPostgres: Bool {
        guard let url = databaseURL else { return false }
        return url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
    }

    public var sqlitePath: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("aimaq.sqlite").path
    }
}

/// `AIMAQ_` variables that are set but cannot be used, each named with what was expected.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// What is wrong with a data folder, said so that a person can fix it.
public struct DataFolderError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

public enum DataFolder {
    /// Creates the folder when missing (for `demo` and `migrate`).
    public static func prepare(_ config: AimaqConfiguration) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: config.dataDirectory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DataFolderError(description: "\(config.dataDirectory) exists but is not a folder")
            }
        } else {
            try manager.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
        }
        try checkWritable(config.dataDirectory)
    }

    /// For `serve`: the folder and (with SQLite) its database must already exist.
    public static func validateForServing(_ config: AimaqConfiguration) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: config.dataDirectory, isDirectory: &isDirectory) else {
            throw DataFolderError(description:
                "the data folder \(config.dataDirectory) does not exist; create it with `aimaq migrate --data \(config.dataDirectory)` or `aimaq demo --data \(config.dataDirectory)`")
        }
        guard isDirectory.boolValue else {
            throw DataFolderError(description: "\(config.dataDirectory) is not a folder")
        }
        try checkWritable(config.dataDirectory)
        guard !config.usesPostgres else { return }
        guard manager.fileExists(atPath: config.sqlitePath) else {
            throw DataFolderError(description:
                "\(config.sqlitePath) is missing; run `aimaq migrate --data \(config.dataDirectory)` first")
        }
        guard let handle = FileHandle(forReadingAtPath: config.sqlitePath) else {
            throw DataFolderError(description: "\(config.sqlitePath) cannot be read")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw DataFolderError(description:
                "\(config.sqlitePath) is not an SQLite database (damaged or replaced); restore it from a backup")
        }
    }

    private static func checkWritable(_ path: String) throws {
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw DataFolderError(description: "the data folder \(path) is not writable")
        }
    }
}
