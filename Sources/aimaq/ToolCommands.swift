import AimaqServer
import ArgumentParser

/// Stand-alone tools: the opinion map and the benchmarks.
enum ToolCommands {
    static let all: [any ParsableCommand.Type] = [OpinionMapCommand.self, Bench.self]
}

/// `aimaq bench …`: benchmarks that print one JSON line each.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks.", subcommands: [BenchOpinionMapCommand.self, BenchConversationCommand.self])
}

/// `aimaq bench conversation`: adds a generated conversation to a data folder, for the vote
/// and page benchmarks (`Benchmarks/http/votes.py`).
struct BenchConversationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversation",
        abstract: "Add a national conversation open today with generated votes (planted groups) to a data folder; prints its number.")
    @OptionGroup var options: ServerOptions
    @Option(help: "Number of participants.") var participants = 20_000
    @Option(help: "Number of statements.") var statements = 1_000
    @Option(help: "Fraction of statements each participant votes on (0 to 1).") var density = 0.1
    @Option(help: "Number of planted groups.") var groups = 3
    @Option(help: "Seed of the generated votes.") var seed: UInt64 = 1
    @Option(help: "The discussion it belongs to, if any.") var discussion: Int?

    func validate() throws {
        guard participants > 0, statements > 0, (0 ... 1).contains(density), groups > 0 else {
            throw ValidationError("participants, statements and groups must be positive, density between 0 and 1")
        }
    }

    func run() async throws {
        let config = try options.configuration()
        ServerCommands.bootstrapLogging(config.logLevel)
        let started = ContinuousClock.now
        let id = try await ServerCommands.seedBenchConversation(
            config, participants: participants, statements: statements, density: density, groups: groups, seed: seed,
            discussion: discussion, progress: ServerCommands.note)
        ServerCommands.note("conversation \(id): \(participants) participants × \(statements) statements at density \(density) "
                            + "in \(Int((ContinuousClock.now - started) / .seconds(1))) s")
        print(id)
    }
}
