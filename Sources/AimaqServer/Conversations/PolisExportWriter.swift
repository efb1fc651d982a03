import AimaqCore
import Foundation
import OpinionMap
import SQLKit

/// Writes a conversation in the Polis export format, so that its results can be checked with
/// other tools (and read back by `aimaq import polis` or `aimaq opinion-map`):
///
/// - `votes.csv`: every vote stored, oldest first (`timestamp` in seconds, `datetime`,
///   `comment-id`, `voter-id`, `vote`: agree 1, disagree -1, pass 0);
/// - `comments.csv`: every statement (`moderated`: 1 approved, 0 pending, -1 rejected) with its
///   agreements and disagreements; the text only of approved ones (what was never published,
///   or was taken down, is not published here either);
/// - `participants-votes.csv`: each participant's group on the latest map and latest vote on
///   each approved statement.
///
/// Voter and comment identifiers are Aimaq's own participant and statement numbers.
enum PolisExportWriter {
    static func text(_ file: ConversationController.PolisFiles, snapshot: ConversationSnapshot,
                     on sql: any SQLDatabase) async throws -> String {
        let id = snapshot.conversation.id
        switch file {
        case .votes:
            var csv = CSVWriter(header: ["timestamp", "datetime", "comment-id", "voter-id", "vote"])
            try await eachVote(id, on: sql) { row in
                csv.row([.integer(Int(row.created_at / 1_000)), .text(isoTime(row.created_at)), .integer(row.statement_id),
                         .integer(row.participant_id), .integer(row.value)])
            }
            return csv.text
        case .comments:
            let authors = try await authorParticipants(id, on: sql)
            var csv = CSVWriter(header: ["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees", "moderated",
                                         "comment-body"])
            for statement in snapshot.statements.values.sorted(by: { $0.id < $1.id }) {
                let placement = snapshot.placements[statement.id]
                let moderated = switch statement.statusValue {
                case .approved: 1
                case .pending: 0
                case .rejected: -1
                }
                csv.row([.integer(Int(statement.created_at / 1_000)), .text(isoTime(statement.created_at)), .integer(statement.id),
                         statement.author_id.flatMap { authors[$0] }.map { .integer($0) } ?? .text(""),
                         .integer(placement?.agrees ?? 0), .integer(placement?.disagrees ?? 0), .integer(moderated),
                         .text(moderated == 1 ? statement.text : "")])
            }
            return csv.text
        case .participantsVotes:
            var latest: [Int: [Int: Int]] = [:]
            try await eachVote(id, on: sql) { row in latest[row.participant_id, default: [:]][row.statement_id] = row.value }
            let authored = try await authoredCounts(id, snapshot: snapshot, on: sql)
            let columns = snapshot.approved
            var csv = CSVWriter(header: ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
                                + columns.map(String.init))
            for participant in latest.keys.sorted() {
                let votes = latest[participant] ?? [:]
                let counted = columns.compactMap { votes[$0] }
                var row: [CSVWriter.Field] = [
                    .integer(participant), snapshot.groupOfParticipant[participant].map { .integer($0) } ?? .text(""),
                    .integer(authored[participant] ?? 0), .integer(counted.count), .integer(counted.filter { $0 == 1 }.count),
                    .integer(counted.filter { $0 == -1 }.count),
                ]
                row += columns.map { votes[$0].map { .integer($0) } ?? .text("") }
                csv.row(row)
            }
            return csv.text
        }
    }

    /// Every vote of the conversation, in the order stored, a page at a time.
    private static func eachVote(_ conversation: Int, on sql: any SQLDatabase,
                                 _ body: (ConversationStore.VoteRow) -> Void) async throws {
        var after = 0
        while true {
            let rows = try await ConversationStore.votes(conversation, after: after, limit: ConversationMaps.page, on: sql)
            rows.forEach(body)
            guard let last = rows.last, rows.count == ConversationMaps.page else { return }
            after = last.id
        }
    }

    private static func authorParticipants(_ conversation: Int, on sql: any SQLDatabase) async throws -> [UUID: Int] {
        let rows = try await ConversationStore.participants(conversation, after: 0, on: sql)
        return Dictionary(rows.compactMap { row in row.account_id.map { ($0, row.id) } }, uniquingKeysWith: { first, _ in first })
    }

    private static func authoredCounts(_ conversation: Int, snapshot: ConversationSnapshot,
                                       on sql: any SQLDatabase) async throws -> [Int: Int] {
        let authors = try await authorParticipants(conversation, on: sql)
        var counts: [Int: Int] = [:]
        for statement in snapshot.statements.values {
            if let author = statement.author_id, let participant = authors[author] { counts[participant, default: 0] += 1 }
        }
        return counts
    }

    private static func isoTime(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1_000).formatted(.iso8601)
    }
}
