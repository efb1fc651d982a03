import Foundation

/// The opinion-map pipeline timed on a generated conversation with planted groups (what
/// `aimaq bench opinion-map` prints as one JSON line).
public enum OpinionMapBenchmark {
    public struct Settings: Sendable {
        public var participants = 20_000
        public var statements = 1_000
        public var density = 0.4
        public var seed: UInt64 = 1
        public var groups = 3
        /// One-new-vote updates to time after the full run.
        public var updates = 5
        /// A folder to write the generated votes to as a Polis export.
        public var export: URL?

        public init() {}
    }

    public static func run(_ settings: Settings, progress: (String) -> Void = { _ in }) throws -> BenchOpinionMapResult {
        let (participants, statements, density, seed, groups, updates) =
            (settings.participants, settings.statements, settings.density, settings.seed, settings.groups, settings.updates)
        let clock = ContinuousClock()
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
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

        if let export = settings.export {
            progress("writing \(matrix.voteCount) votes to \(export.path)")
            let planted = Dictionary(uniqueKeysWithValues: matrix.participantIDs.map { ($0, conversation.plantedGroups[$0]) })
            try PolisExport.write(matrix, to: export, referenceGroups: planted)
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
        progress(String(format: "%d groups found (ARI %.3f) in %.3f s, update %.1f ms, peak %.0f MiB",
                        map.groups.count, agreement, timings.total + matrixSeconds,
                        (result.update?.medianSeconds ?? 0) * 1000, result.peakMemoryMiB))
        return result
    }
}

/// The JSON line of `aimaq bench opinion-map`.
public struct BenchOpinionMapResult: Encodable, Sendable {
    public struct Seconds: Encodable, Sendable {
        public var generate: Double
        public var matrix: Double
        public var selection: Double
        public var principalComponents: Double
        public var projection: Double
        public var baseClusters: Double
        public var groups: Double
        public var statistics: Double
        /// Matrix construction plus every phase of the pipeline (generation excluded).
        public var total: Double

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

    public struct Update: Encodable, Sendable {
        public var count: Int
        public var medianSeconds: Double
        public var maximumSeconds: Double

        init(_ seconds: [Double]) {
            let sorted = seconds.sorted()
            count = sorted.count
            medianSeconds = sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            maximumSeconds = sorted.last ?? 0
        }
    }

    public var participants: Int
    public var statements: Int
    public var density: Double
    public var seed: UInt64
    public var plantedGroups: Int
    public var votes: Int
    public var seconds: Seconds
    public var powerIterations: Int
    public var update: Update?
    public var peakMemoryMiB: Double
    public var groupsFound: Int
    public var adjustedRandIndex: Double
}
