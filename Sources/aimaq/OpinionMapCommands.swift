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

    func run() throws {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        let export = try PolisExport.load(from: folder)
        let matrix = export.voteMatrix()
        let engine = OpinionMapEngine(configuration: OpinionMapConfiguration(seed: seed))
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
        printSummary(export: export, matrix: matrix, map: map, comparison: comparison, seconds: timings.total)
    }

    private func printSummary(export: PolisExport, matrix: VoteMatrix, map: OpinionMap,
                              comparison: GroupComparison?, seconds: Double) {
        let texts = export.statementTexts
        func quote(_ id: Int) -> String {
            let text = (texts[id] ?? "").replacingOccurrences(of: "\n", with: " ")
            return "#\(id) \"\(text.count > 90 ? String(text.prefix(89)) + "…" : text)\""
        }
        func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }

        print("Opinion map of \(directory)")
        print("  \(export.votes.count) vote events, \(matrix.voteCount) latest votes; "
              + "\(matrix.participantCount) participants, \(matrix.statementCount) statements "
              + "(\(export.moderatedOutStatementIDs.count) moderated out)")
        let explained = map.components.totalVariance > 0
            ? map.components.variances.map { percent($0 / map.components.totalVariance) }.joined(separator: " + ")
            : "n/a"
        print("  clustered participants: \(map.clusteredParticipantCount); "
              + "variance explained by the two components: \(explained)")
        let scores = map.groupCountScores
            .map { "k=\($0.groupCount): \(String(format: "%.3f", $0.silhouette))" }.joined(separator: ", ")
        print("  groups: \(map.groups.count)" + (scores.isEmpty ? "" : " (silhouette \(scores))"))
        for group in map.groups {
            print("")
            print("Group \(group.id): \(group.memberCount) participants")
            for statement in group.representativeStatements {
                let mark = statement.isSignificant ? "" : " (not significant)"
                print("  \(statement.stance == .agree ? "agree   " : "disagree") "
                      + "\(percent(statement.probability)) of the group\(mark): \(quote(statement.statementID))")
            }
        }
        print("")
        print("Consensus")
        for statement in map.consensus.agree + map.consensus.disagree {
            print("  \(statement.stance == .agree ? "agree   " : "disagree") "
                  + "\(percent(statement.probability)): \(quote(statement.statementID))")
        }
        if map.consensus.agree.isEmpty && map.consensus.disagree.isEmpty { print("  (none)") }
        if map.groups.count > 1 {
            print("")
            print("Group-informed consensus (top 5)")
            for statement in map.groupInformedConsensus.prefix(5) {
                print("  \(String(format: "%.3f", statement.agree)): \(quote(statement.statementID))")
            }
        }
        if let comparison {
            print("")
            print("Polis groups (participants-votes.csv): \(comparison.referenceGroupCount); ours: "
                  + "\(comparison.groupCount); adjusted Rand index over \(comparison.commonParticipants) "
                  + "participants in both: \(String(format: "%.3f", comparison.adjustedRandIndex))")
        }
        print("")
        print("Computed in \(String(format: "%.1f", seconds * 1000)) ms (seed \(seed)).")
    }
}

/// The JSON printed by `aimaq opinion-map --json`.
struct OpinionMapReport: Encodable {
    var source: String
    var voteEvents: Int
    var moderatedOutStatementIDs: [Int]
    var statementTexts: [String: String]
    var polisComparison: GroupComparison?
    var map: OpinionMap
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
        let clock = ContinuousClock()
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
        }
        func progress(_ message: String) {
            FileHandle.standardError.write(Data("opinion-map bench: \(message)\n".utf8))
        }

        progress("generating \(participants) × \(statements) at density \(density), \(groups) planted groups")
        var start = clock.now
        var conversation = PlantedConversation.generate(
            participants: participants, statements: statements, density: density, groups: groups, seed: seed)
        let generateSeconds = seconds(start.duration(to: clock.now))

        start = clock.now
        var matrix = conversation.events.build()
        let matrixSeconds = seconds(start.duration(to: clock.now))
        conversation.events = VoteMatrix.Builder()  // release the raw events

        if let export {
            progress("writing \(matrix.voteCount) votes to \(export)")
            let planted = Dictionary(uniqueKeysWithValues: matrix.participantIDs.map { ($0, conversation.plantedGroups[$0]) })
            try PolisExport.write(matrix, to: URL(fileURLWithPath: export, isDirectory: true),
                                  referenceGroups: planted)
        }

        let voteCount = matrix.voteCount
        progress("running the pipeline on \(voteCount) votes")
        let engine = OpinionMapEngine(configuration: OpinionMapConfiguration(seed: seed))
        let (map, timings) = engine.measuredMap(matrix)
        let found = map.participants.compactMap { $0.group }
        let planted = map.participants.compactMap { $0.group == nil ? nil : conversation.plantedGroups[$0.id] }
        let agreement = PartitionAgreement.adjustedRandIndex(found, planted)

        var updateSeconds: [Double] = []
        if updates > 0, participants > 0, statements > 0 {
            progress("timing \(updates) updates of one new vote each")
            var generator = SeededGenerator(seed: seed ^ 0x5EED)
            var previous = map
            for _ in 0 ..< updates {
                let vote = conversation.sampleVote(participant: generator.nextIndex(below: participants),
                                                   statement: generator.nextIndex(below: statements),
                                                   generator: &generator)
                start = clock.now
                previous = engine.update(previous, matrix: &matrix, newVotes: [vote])
                updateSeconds.append(seconds(start.duration(to: clock.now)))
            }
        }

        let result = BenchOpinionMapResult(
            participants: participants, statements: statements, density: density, seed: seed,
            plantedGroups: groups, votes: voteCount,
            seconds: .init(generate: generateSeconds, matrix: matrixSeconds, timings: timings),
            powerIterations: map.components.iterations,
            update: updateSeconds.isEmpty ? nil : .init(updateSeconds),
            peakMemoryMiB: Double(ProcessMemory.peakResidentBytes()) / 1_048_576,
            groupsFound: map.groups.count, adjustedRandIndex: agreement)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(result), as: UTF8.self))
        progress(String(format: "%d groups found (ARI %.3f) in %.3f s, update %.1f ms, peak %.0f MiB",
                        map.groups.count, agreement, timings.total + matrixSeconds,
                        (result.update?.medianSeconds ?? 0) * 1000, result.peakMemoryMiB))
    }
}

/// The JSON line printed by `aimaq bench opinion-map`.
struct BenchOpinionMapResult: Encodable {
    struct Seconds: Encodable {
        var generate: Double
        var matrix: Double
        var selection: Double
        var principalComponents: Double
        var projection: Double
        var baseClusters: Double
        var groups: Double
        var statistics: Double
        /// Matrix construction plus every phase of the pipeline (generation excluded).
        var total: Double

        init(generate: Double, matrix: Double, timings: PhaseTimings) {
            self.generate = generate
            self.matrix = matrix
            selection = timings.selection
            principalComponents = timings.principalComponents
            projection = timings.projection
            baseClusters = timings.baseClusters
            groups = timings.groups
            statistics = timings.statistics
            total = matrix + timings.total
        }
    }

    struct Update: Encodable {
        var count: Int
        var medianSeconds: Double
        var maximumSeconds: Double

        init(_ seconds: [Double]) {
            let sorted = seconds.sorted()
            count = sorted.count
            medianSeconds = sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            maximumSeconds = sorted.last ?? 0
        }
    }

    var participants: Int
    var statements: Int
    var density: Double
    var seed: UInt64
    var plantedGroups: Int
    var votes: Int
    var seconds: Seconds
    var powerIterations: Int
    var update: Update?
    var peakMemoryMiB: Double
    var groupsFound: Int
    var adjustedRandIndex: Double
}
