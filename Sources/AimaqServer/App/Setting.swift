import Fluent

final class Setting: Model, @unchecked Sendable {
    static let schema = "settings"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String

    init() {}

    init(key: String, value: String) {
        self.id = key
        self.value = value
    }

    static func value(_ key: String, on db: any Database) async throws -> String? {
        try await Setting.find(key, on: db)?.value
    }

    static func set(_ key: String, _ value: String, on db: any Database) async throws {
        if let existing = try await Setting.find(key, on: db) {
            existing.value = value
            try await existing.save(on: db)
        } else {
            try await Setting(key: key, value: value).create(on: db)
        }
    }
}
