import ArgumentParser

/// Stand-alone tools (the opinion map and benchmarks).
enum ToolCommands {
    static let all: [any ParsableCommand.Type] = []
}
