import Foundation
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
    }
}
