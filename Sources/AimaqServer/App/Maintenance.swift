import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// Checking, backing up and restoring an installation.
public enum Maintenance {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// What `aimaq check` found: the database's own check, then the audit chain.
    public struct Report: Sendable {
        public var problems: [String] = []
        public var auditEntries = 0
        public var isHealthy: Bool { problems.isEmpty }
    }

    /// SQLite's `quick_check` (or the full `integrity_check`): the lines it reports, none when
    /// the file is sound. PostgreSQL checks its own pages; there the answer is empty.
    static func databaseProblems(_ db: any SQLDatabase, full: Bool) async throws -> [String] {
        guard db.dialect.name == "sqlite" else { return [] }
        let pragma = full ? "integrity_check" : "quick_check"
        let rows = try await db.raw("PRAGMA \(unsafeRaw: pragma)(100)").all()
        let lines = rows.compactMap { try? $0.decode(column: $0.allColumns.first ?? "", as: String.self) }
        return lines == ["ok"] ? [] : lines
    }

    /// Runs the full integrity check and verifies the audit chain.
    public static func check(_ config: AimaqConfiguration) async throws -> Report {
        try DataFolder.validateForServing(config)
        return try await ServerCommands.withApplication(config, serving: false) { app in
            var report = Report()
            let sql = app.db as! any SQLDatabase
            do {
                report.problems += try await databaseProblems(sql, full: true).map { "database: \($0)" }
            } catch {
                report.problems.append("database: the check could not run: \(String(reflecting: error))")
                return report
            }
            do {
                if let key = AuditLog.key.withLock({ $0 }) { try await AuditLog.checkKey(key, on: app.db) }
                let (broken, checked) = try await AuditLog.verify(on: app.db)
                report.auditEntries = checked
                if let broken { report.problems.append("audit log: \(broken) (\(checked) entries before it are intact)") }
            } catch {
                report.problems.append("audit log: \(error)")
            }
            return report
        }
    }

    /// Refuses to serve a damaged SQLite file (the quick check, a second or two on a large one).
    static func refuseDamage(_ app: Application, _ config: AimaqConfiguration) async throws {
        let sql = app.db as! any SQLDatabase
        let problems: [String]
        do {
            problems = try await databaseProblems(sql, full: false)
        } catch {
            problems = [String(reflecting: error)]
        }
        guard problems.isEmpty else {
            throw Failure(description: "\(config.sqlitePath) is damaged (SQLite's quick check: \(problems.prefix(3).joined(separator: "; ")))"
                          + "; nothing was served. Run `aimaq check` for the whole report and restore the latest backup with `aimaq restore`.")
        }
    }

    /// Writes a consistent copy of the database to `file` while the server may be running:
    /// SQLite's `VACUUM INTO`, or `pg_dump` in its custom format for PostgreSQL.
    public static func backup(_ config: AimaqConfiguration, to file: String) async throws -> String {
        guard !FileManager.default.fileExists(atPath: file) else {
            throw Failure(description: "\(file) exists already; name a new file")
        }
        if config.usesPostgres, let url = config.databaseURL {
            try run("pg_dump", ["--format=custom", "--no-owner", "--file", file, url])
            return "backed up the PostgreSQL database to \(file) (pg_dump, custom format)"
        }
        try DataFolder.validateForServing(config)
        return try await ServerCommands.withApplication(config, serving: false) { app in
            let sql = app.db as! any SQLDatabase
            try await sql.raw("VACUUM INTO \(bind: file)").run()
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            return "backed up \(config.sqlitePath) to \(file) (\(size / 1_048_576) MiB); keep the audit key "
                + "(\(AuditKey.fileName) or AIMAQ_AUDIT_KEY) too, in another place"
        }
    }

    /// Restores a backup into an empty data folder (SQLite) or an empty PostgreSQL database;
    /// checks it afterwards like `aimaq check`.
    public static func restore(_ config: AimaqConfiguration, from file: String) async throws -> String {
        guard FileManager.default.fileExists(atPath: file) else { throw Failure(description: "\(file) does not exist") }
        if config.usesPostgres, let url = config.databaseURL {
            try run("pg_restore", ["--no-owner", "--exit-on-error", "--dbname", url, file])
        } else {
            try DataFolder.prepare(config)
            let keyFile = URL(fileURLWithPath: config.dataDirectory).appendingPathComponent(AuditKey.fileName).path
            guard config.auditKey != nil || FileManager.default.fileExists(atPath: keyFile) else {
                throw Failure(description: "the audit log is signed with the installation's key: copy its \(AuditKey.fileName) into "
                              + "\(config.dataDirectory) (or set AIMAQ_AUDIT_KEY) before restoring")
            }
            guard !FileManager.default.fileExists(atPath: config.sqlitePath) else {
                throw Failure(description: "\(config.sqlitePath) exists: restore into an empty data folder")
            }
            guard let handle = FileHandle(forReadingAtPath: file),
                  (try? handle.read(upToCount: 16)) == Data("SQLite format 3\0".utf8) else {
                throw Failure(description: "\(file) is not an SQLite database (a backup made by `aimaq backup`)")
            }
            try? handle.close()
            try FileManager.default.copyItem(atPath: file, toPath: config.sqlitePath)
        }
        let report = try await check(config)
        guard report.isHealthy else {
            throw Failure(description: "restored, but the check found problems:\n" + report.problems.joined(separator: "\n"))
        }
        return "restored \(file); the database is sound and the audit log verifies (\(report.auditEntries) entries)"
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(description: "\(tool) could not run (install PostgreSQL's client tools): \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw Failure(description: "\(tool) failed (\(process.terminationStatus)): \(message)")
        }
    }
}
