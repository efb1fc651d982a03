import ArgumentParser

/// Stand-alone tools: the opinion map and the benchmarks.
enum ToolCommands {
    static let all: [any ParsableCommand.Type] = [OpinionMapCommand.self, Bench.self]
}

/// `aimaq bench …`: benchmarks that print one JSON line each.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks.", subcommands: [BenchOpinionMapCommand.self])
}
