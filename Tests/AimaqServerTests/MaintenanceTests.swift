import AimaqCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

/// Backups, restores and damage (issue 12). SQLite files only: on PostgreSQL, CI runs the
/// pg_dump recipe and the kill test in `.ci/kill-test.sh`.
extension ServerTests {
    @Suite struct Maintenance {
        static var onSQLite: Bool {
            if case .sqliteMemory = TestDatabase.choice { return true }
            return false
        }

        @Test func aBackupRestoresToTheSamePagesAndAVerifiedLog() async throws {
            guard Self.onSQLite else { return }
            try await withAimaq(file: true) { app, fixture in
                var officer = Visitor(app)
                try await officer.signIn("akimat")
                _ = try await officer.postMultipart("/assignments/\(fixture.plan.shieliAssignment)/reports",
                                                    fields: ["text": "Done before the backup"], files: [])
                let paths = ["/assignments/\(fixture.plan.shieliAssignment)", "/instructions/\(fixture.plan.instruction)",
                             "/territories/430000000"]
                var before: [String] = []
                for path in paths {
                    var visitor = Visitor(app)
                    before.append(try await visitor.get(path).body.string)
                }
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aimaq-backup-\(UUID().uuidString)").path
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: folder) }
                let file = folder + "/aimaq.backup"
                let said = try await AimaqServer.Maintenance.backup(app.aimaq.configuration, to: file)
                #expect(said.contains("backed up"))
                await #expect(throws: AimaqServer.Maintenance.Failure.self) {
                    _ = try await AimaqServer.Maintenance.backup(app.aimaq.configuration, to: file)
                }

                var restored = testConfiguration()
                restored.dataDirectory = folder + "/restored"
                // Without the installation's key the log could not verify: restore says so first.
                restored.auditKey = nil
                await #expect(throws: AimaqServer.Maintenance.Failure.self) {
                    _ = try await AimaqServer.Maintenance.restore(restored, from: file)
                }
                restored.auditKey = app.aimaq.configuration.auditKey
                let done = try await AimaqServer.Maintenance.restore(restored, from: file)
                #expect(done.contains("audit log verifies"))

                let copy = try await Application.make(.testing)
                do {
                    try await AimaqApp.configure(copy, configuration: restored, database: .sqliteFile(restored.sqlitePath))
                    try await AimaqApp.loadReferenceData(copy)
                    copy.aimaq.clock.pin(Fixture.today)
                    for (path, page) in zip(paths, before) {
                        var visitor = Visitor(copy)
                        #expect(try await visitor.get(path).body.string == page, "\(path) differs after the restore")
                    }
                    #expect(try await AuditLog.verify(on: copy.db).0 == nil)
                } catch {
                    Issue.record(error)
                }
                try await copy.asyncShutdown()
            }
        }

        @Test func aDamagedFileIsFoundAndNotServed() async throws {
            guard Self.onSQLite else { return }
            // A real data folder: the whole classifier makes a file of several megabytes.
            let config = testConfiguration()
            defer { try? FileManager.default.removeItem(atPath: config.dataDirectory) }
            try await ServerCommands.migrate(config)
            let sound = try await AimaqServer.Maintenance.check(config)
            #expect(sound.isHealthy, "\(sound.problems)")
            // 4 KB overwritten in the middle of the file.
            let handle = try #require(FileHandle(forUpdatingAtPath: config.sqlitePath))
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: size / 2 / 4096 * 4096)
            handle.write(Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }))
            try handle.close()

            let report = try await AimaqServer.Maintenance.check(config)
            #expect(!report.isHealthy)
            #expect(report.problems.first?.hasPrefix("database:") == true)
            let app = try await Application.make(.testing)
            do {
                try await AimaqApp.configure(app, configuration: config, database: .sqliteFile(config.sqlitePath))
                await #expect(throws: AimaqServer.Maintenance.Failure.self) {
                    try await AimaqServer.Maintenance.refuseDamage(app, config)
                }
            } catch {
                Issue.record(error)
            }
            try await app.asyncShutdown()
        }
    }
}

@Suite struct UploadedBodyTests {
    @Test func partsAreReadFromTheFileWithTheirNames() throws {
        let boundary = "----aimaq-\(UUID().uuidString)"
        let text = "--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
            + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"budget name=x.csv\"\r\n"
            + "Content-Type: text/csv\r\n\r\nkind,territory\r\nrevenue,1\r\n\r\n--\(boundary)--\r\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let parts = try UploadedBody(file: file, size: text.utf8.count).parts(boundary: boundary)
        #expect(parts.map(\.name) == ["note", "file"])
        #expect(String(decoding: parts[0].data, as: UTF8.self) == "hello")
        #expect(parts[1].fileName == "budget name=x.csv")
        // The part keeps its own line ends; only the delimiter's CRLF is not part of it.
        #expect(String(decoding: parts[1].data, as: UTF8.self) == "kind,territory\r\nrevenue,1\r\n")
    }
}
