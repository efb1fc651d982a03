import Fluent

/// Counts of expensive requests per visitor and minute, shared by the servers on one
/// database (`RateLimits`).
struct M017RateCounters: AsyncMigration {
    var name: String { "M017RateCounters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("rate_counters")
            .field("key", .string, .required)
            .field("window_start", .int64, .required)
            .field("count", .int, .required)
            .compositeIdentifier(over: "key", "window_start")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("rate_counters").delete()
    }
}
