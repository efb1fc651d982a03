import AimaqCore
import AimaqServer
import ArgumentParser
import Foundation
import OpinionMap

/// Stand-alone tools: the opinion map and the benchmarks.
enum ToolCommands {
    static let all: [any ParsableCommand.Type] = [OpinionMapCommand.self, Bench.self]
}

/// `aimaq bench …`: benchmarks that print one JSON line each.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks.", subcommands: [BenchOpinionMapCommand.self, BenchConversationCommand.self, BenchAppealsCommand.self])
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

/// `aimaq bench appeals`: the placement of a new appeal among the similar ones of its bucket
/// (one district and topic), by the numbered stems the server uses and by the rule read plainly
/// (`SimilarAppeals.placeByVocabulary`), side by side on the same generated buckets.
struct BenchAppealsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeals",
        abstract: "Time the placement of a new appeal among the similar appeals of its bucket, for buckets of several sizes.")
    @Option(parsing: .upToNextOption, help: "Bucket sizes (appeals of one district and topic).") var sizes = [100, 1_000, 5_000, 20_000]
    @Option(help: "New appeals placed per bucket size.") var placements = 50
    @Option(help: "Seed of the generated texts.") var seed: UInt64 = 1

    func validate() throws {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }), placements > 0 else {
            throw ValidationError("--sizes and --placements must be positive")
        }
    }

    /// Texts like the complaints of one district: a few subjects, each said in many ways.
    static let subjects = [
        ["нет", "питьевой", "воды", "водопровод", "сломан", "неделю", "ауыз", "су", "жоқ", "water", "tap"],
        ["дорога", "ямы", "ремонт", "асфальт", "школа", "автобус", "жол", "жөндеу", "road", "potholes"],
        ["отопление", "холодно", "котельная", "батареи", "квартира", "жылу", "heating", "cold", "radiators"],
        ["свет", "фонари", "улица", "темно", "дети", "жарық", "lights", "street", "dark"],
        ["мусор", "вывоз", "свалка", "запах", "двор", "қоқыс", "rubbish", "collection"],
    ]
    static let places = ["Жиделиарык", "Тартогай", "Бестам", "Акмая", "Жанакорган", "Шиели", "Кармакши", "Теренозек"]

    func run() throws {
        var random = SeededGenerator(seed: seed)
        func text() -> (subject: Int, text: String) {
            let subject = Int.random(in: 0..<Self.subjects.count, using: &random)
            let words = (0..<Int.random(in: 6...14, using: &random)).map { _ in Self.subjects[subject].randomElement(using: &random)! }
            return (subject, ([Self.places.randomElement(using: &random)!] + words).joined(separator: " "))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        func p99(_ values: [Double]) -> Double { values.sorted()[min(values.count - 1, values.count * 99 / 100)] }
        func ms(_ duration: Duration) -> Double { Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1e3 }
        let clock = ContinuousClock()
        var rows: [[String: Double]] = []
        for size in sizes {
            FileHandle.standardError.write(Data("appeals bench: a bucket of \(size) appeals, \(placements) placements\n".utf8))
            // Each subject's group is named by its first appeal, as the server names them.
            var founders: [Int: Int] = [:]
            var members: [(group: Int, stems: [String])] = []
            for id in 0..<size {
                let (subject, words) = text()
                members.append((group: founders[subject, default: id], stems: SimilarAppeals.stems(words)))
                if founders[subject] == nil { founders[subject] = id }
            }
            var terms = SimilarAppeals.Terms()
            let numbered = members.map { (group: $0.group, terms: terms.ids($0.stems)) }
            var numberedTimes: [Double] = [], plainTimes: [Double] = []
            var agreed = 0
            for _ in 0..<placements {
                let stems = SimilarAppeals.stems(text().text)
                var placedByTerms: Int?
                let byTerms = clock.measure {
                    placedByTerms = SimilarAppeals.place(terms: terms.ids(stems), among: numbered, termCount: terms.count)
                }
                var placedPlainly: Int?
                let plainly = clock.measure { placedPlainly = SimilarAppeals.placeByVocabulary(stems: stems, among: members) }
                numberedTimes.append(ms(byTerms))
                plainTimes.append(ms(plainly))
                if placedByTerms == placedPlainly { agreed += 1 }
            }
            rows.append(["bucket": Double(size), "numbered_p50_ms": median(numberedTimes), "numbered_p99_ms": p99(numberedTimes),
                         "plain_p50_ms": median(plainTimes), "plain_p99_ms": p99(plainTimes),
                         "ratio": median(plainTimes) / max(median(numberedTimes), 1e-9), "agreed": Double(agreed), "placements": Double(placements)])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for row in rows { print(String(decoding: try encoder.encode(row), as: UTF8.self)) }
        let last = rows[rows.count - 1]
        FileHandle.standardError.write(Data(String(format: "appeals bench: a bucket of %.0f: %.2f ms a placement by numbered stems, %.2f ms by the plain rule (%.0f× faster), %.0f of %.0f placed alike\n",
                                                   last["bucket"]!, last["numbered_p50_ms"]!, last["plain_p50_ms"]!, last["ratio"]!, last["agreed"]!, last["placements"]!).utf8))
    }
}
