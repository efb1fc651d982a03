import ArgumentParser
import Foundation
import OpinionMap

/// `aimaq opinion-map DIR`: the opinion map of a Polis export folder.
struct OpinionMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opinion-map",
        abstract: "Compute the opinion map (groups, representative and consensus statements) of a Polis export.",
        discussion: """
            DIR holds votes.csv and comments.csv as exported by Polis. When it also holds \
            participants-votes.csv, the agreement of the groups with its group-id column is reported.
            """
    )

    @Argument(help: "Folder with votes.csv and comments.csv.")
    var directory: String

    @Flag(help: "Print the full result as JSON instead of a summary.")
    var json = false

    @Option(help: "Seed of the random choices; the same seed gives the same map.")
    var seed: UInt64 = 0

    @Flag(help: "DIR holds one Polis export per folder: print how each map agrees with Polis's groups, computed alone and replayed in time order.")
    var compareAll = false

    @Option(help: "With --compare-all: minutes of votes between two computations of the replay.")
    var replayMinutes = 10

    @Option(help: "A larger group count must beat a smaller one's silhouette by more than this (Polis: 0).")
    var groupCountMargin: Double?

    @Option(help: "Votes a participant needs to be clustered (Polis: 7; its 2017 exports cluster everyone).")
    var minimumVotes: Int?

    func validate() throws {
        if replayMinutes < 1 { throw ValidationError("--replay-minutes must be at least 1") }
        if let minimumVotes, minimumVotes < 0 { throw ValidationError("--minimum-votes must not be negative") }
        if let groupCountMargin, !(0 ... 1).contains(groupCountMargin) {
            throw ValidationError("--group-count-margin must be between 0 and 1")
        }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        var configuration = OpinionMapConfiguration(seed: seed)
        if let groupCountMargin { configuration.groupCountMargin = groupCountMargin }
        if let minimumVotes { configuration.minimumVotesToCluster = minimumVotes }
        if compareAll {
            let rows = try OpinionMapComparison.rows(in: folder, configuration: configuration,
                                                     windowMilliseconds: Int64(replayMinutes) * 60_000)
            print(OpinionMapComparison.table(rows), terminator: "")
            return
        }
        let export = try PolisExport.load(from: folder)
        let matrix = export.voteMatrix()
        let engine = OpinionMapEngine(configuration: configuration)
        let (map, timings) = engine.measuredMap(matrix)
        let comparison = export.referenceGroups.isEmpty
            ? nil : GroupComparison(map: map, reference: export.referenceGroups)

        if json {
            let report = OpinionMapReport(
                source: directory, voteEvents: export.votes.count,
                moderatedOutStatementIDs: export.moderatedOutStatementIDs.sorted(),
                statementTexts: Dictionary(uniqueKeysWithValues: export.statementTexts.map { (String($0.key), $0.value) }),
                polisComparison: comparison, map: map)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print(OpinionMapSummary.text(source: directory, export: export, matrix: matrix, map: map, comparison: comparison,
                                     seconds: timings.total, seed: seed), terminator: "")
    }
}

/// `aimaq bench opinion-map`: the pipeline on a generated conversation with planted groups.
struct BenchOpinionMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opinion-map",
        abstract: "Time the opinion-map pipeline on a generated conversation with planted groups.",
        discussion: """
            Prints one JSON line: sizes, seconds per phase and in total, the median time of an \
            update after one new vote, peak memory, the groups found and their adjusted Rand index \
            against the planted groups. Progress goes to standard error.
            """
    )

    @Option(help: "Number of participants.")
    var participants = 20_000

    @Option(help: "Number of statements.")
    var statements = 1_000

    @Option(help: "Fraction of statements each participant votes on (0 to 1).")
    var density = 0.4

    @Option(help: "Seed of the generated data and of the pipeline.")
    var seed: UInt64 = 1

    @Option(help: "Number of planted groups.")
    var groups = 3

    @Option(help: "Also write the generated votes as a Polis export (votes.csv, comments.csv, participants-votes.csv) to this folder.")
    var export: String?

    @Option(help: "Number of one-new-vote updates to time after the full run (0 for none).")
    var updates = 5

    func validate() throws {
        guard participants >= 0, statements >= 0 else { throw ValidationError("sizes must not be negative") }
        guard (0 ... 1).contains(density) else { throw ValidationError("--density must be between 0 and 1") }
        guard groups >= 1 else { throw ValidationError("--groups must be at least 1") }
        guard updates >= 0 else { throw ValidationError("--updates must not be negative") }
    }

    func run() throws {
        var settings = OpinionMapBenchmark.Settings()
        settings.participants = participants
        settings.statements = statements
        settings.density = density
        settings.seed = seed
        settings.groups = groups
        settings.updates = updates
        settings.export = export.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let result = try OpinionMapBenchmark.run(settings) { message in
            FileHandle.standardError.write(Data("opinion-map bench: \(message)\n".utf8))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
    }
}
