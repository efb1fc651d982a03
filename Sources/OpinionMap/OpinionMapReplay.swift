import Foundation

/// A conversation computed again as Polis computed it while it ran: its votes in time order,
/// a new map each time more than `window` has passed since the computation before (each map
/// starting from the one before), so that the group count shown follows Polis's smoothing
/// (`OpinionMapConfiguration.groupCountBuffer`) over the conversation's history.
public enum OpinionMapReplay {
    public struct Result: Sendable {
        public var map: OpinionMap
        public var computations: Int
    }

    public static func replay(_ export: PolisExport, engine: OpinionMapEngine, windowMilliseconds: Int64) -> Result {
        let votes = export.votes.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }
            .map(\.element)
        let moderated = export.moderatedOutStatementIDs
        var previous: OpinionMap?
        var computations = 0
        var batchStart: Int64?
        var cast: [Vote] = []
        cast.reserveCapacity(votes.count)
        for vote in votes {
            if let start = batchStart, vote.timestamp - start > windowMilliseconds {
                previous = engine.map(VoteMatrix(votes: cast, moderatedOut: moderated), startingFrom: previous)
                computations += 1
                batchStart = nil
            }
            if batchStart == nil { batchStart = vote.timestamp }
            cast.append(vote)
        }
        let map = engine.map(VoteMatrix(votes: cast, moderatedOut: moderated), startingFrom: previous)
        return Result(map: map, computations: computations + 1)
    }
}

/// How the map of each conversation in a folder agrees with Polis's groups, computed alone
/// and replayed in time order: what `aimaq opinion-map --compare-all` prints.
public enum OpinionMapComparison {
    public struct Row: Sendable {
        public var conversation: String
        public var polisGroups: Int
        public var aloneGroups: Int
        public var aloneARI: Double
        public var replayGroups: Int
        public var replayARI: Double
        public var computations: Int
    }

    /// Every subfolder of `folder` that holds a Polis export with `participants-votes.csv`.
    public static func rows(in folder: URL, configuration: OpinionMapConfiguration,
                            windowMilliseconds: Int64) throws -> [Row] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var rows: [Row] = []
        for name in names {
            let directory = folder.appendingPathComponent(name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("votes.csv").path) else { continue }
            let export = try PolisExport.load(from: directory)
            guard !export.referenceGroups.isEmpty else { continue }
            rows.append(row(name, export, configuration: configuration, windowMilliseconds: windowMilliseconds))
        }
        return rows
    }

    public static func row(_ name: String, _ export: PolisExport, configuration: OpinionMapConfiguration,
                           windowMilliseconds: Int64) -> Row {
        let engine = OpinionMapEngine(configuration: configuration)
        let alone = engine.map(export.voteMatrix())
        let replayed = OpinionMapReplay.replay(export, engine: engine, windowMilliseconds: windowMilliseconds)
        let first = GroupComparison(map: alone, reference: export.referenceGroups)
        let second = GroupComparison(map: replayed.map, reference: export.referenceGroups)
        return Row(conversation: name, polisGroups: Set(export.referenceGroups.values).count,
                   aloneGroups: alone.groups.count, aloneARI: first.adjustedRandIndex,
                   replayGroups: replayed.map.groups.count, replayARI: second.adjustedRandIndex,
                   computations: replayed.computations)
    }

    /// The rows as a Markdown table, with the counts of matches and the mean ARIs.
    public static func table(_ rows: [Row]) -> String {
        func f(_ value: Double) -> String { String(format: "%.2f", value) }
        var text = "| conversation | Polis groups | alone: groups | alone: ARI | replayed: groups | replayed: ARI | computations |\n"
        text += "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        for row in rows {
            text += "| \(row.conversation) | \(row.polisGroups) | \(row.aloneGroups) | \(f(row.aloneARI)) | "
                + "\(row.replayGroups) | \(f(row.replayARI)) | \(row.computations) |\n"
        }
        let count = Double(max(rows.count, 1))
        text += "| **same count / mean ARI** | | \(rows.filter { $0.aloneGroups == $0.polisGroups }.count) of \(rows.count) | "
            + "\(f(rows.map(\.aloneARI).reduce(0, +) / count)) | \(rows.filter { $0.replayGroups == $0.polisGroups }.count) of \(rows.count) | "
            + "\(f(rows.map(\.replayARI).reduce(0, +) / count)) | |\n"
        return text
    }
}
