import AimaqCore
import Foundation
import NIOPosix
import OpinionMap
import SQLKit
import Synchronization
import Vapor

/// What a conversation's page shows: the statements and the latest opinion map with what is
/// derived from it, made off the request path. A page reads the latest snapshot and never
/// waits for a computation.
struct ConversationSnapshot: Sendable {
    var conversation: ConversationRecord
    /// Every statement, pending and rejected ones included, by identifier.
    var statements: [Int: StatementRecord]
    /// Approved statements, oldest first.
    var approved: [Int]
    /// The latest map; nil until there are votes.
    var map: OpinionMap?
    /// Votes stored (every vote, changed ones included) and participants who voted.
    var votes: Int
    var participants: Int
    /// The last vote the map includes, and when it was cast.
    var lastVoteID: Int
    var lastVoteAt: Int64
    /// When the map was made, and how long that took.
    var computedAt: Int64
    var computeMilliseconds: Double
    /// The group of each clustered participant.
    var groupOfParticipant: [Int: Int]
    /// Participants per group (and, last, not clustered) in each region, by region number.
    var groupsByRegion: [Int: [Int]]
    /// Participants per base cluster in each region, by region number (the map filtered to a
    /// region).
    var baseClustersByRegion: [Int: [Int]]
    /// Vote totals and direction of each statement on the map.
    var placements: [Int: StatementPlacement]

    /// What the next-statement choice weighs: every approved statement with its votes so far.
    var candidates: [StatementRouting.Candidate] {
        approved.map { id in
            guard let placement = placements[id] else { return StatementRouting.Candidate(id: id) }
            return StatementRouting.Candidate(id: id, agrees: placement.agrees, disagrees: placement.disagrees,
                                              passes: placement.passes, extremity: (placement.x * placement.x + placement.y * placement.y).squareRoot())
        }
    }

    func text(_ statement: Int) -> String { statements[statement]?.text ?? "" }
}

/// Keeps every conversation's opinion map current: a loop on a thread of its own reads the
/// votes stored since its last look (by any server) and updates the map with
/// `OpinionMapEngine.update`, starting from the previous map, then publishes a new snapshot.
final class ConversationMaps: Sendable {
    private struct Model {
        var matrix = VoteMatrix()
        var map: OpinionMap?
        var revision = -1
        var lastVoteID = 0
        var lastVoteAt: Int64 = 0
        var lastParticipantID = 0
        var votes = 0
        var conversation: ConversationRecord?
        var statements: [Int: StatementRecord] = [:]
        var regions: [Int: Int] = [:]
        var moderatedOut: Set<Int> = []
    }

    private let snapshots = Mutex<[Int: ConversationSnapshot]>([:])
    /// Only the refreshing loop touches the models, one turn at a time.
    private let models = Mutex<[Int: Model]>([:])
    private let turns = SerialRunner()
    let engine = OpinionMapEngine()
    /// The thread the maps are computed on, away from the event loops that answer requests.
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let executor: LoopExecutor
    /// Votes read in one query.
    static let page = 100_000

    init() {
        executor = LoopExecutor(group.next())
    }

    deinit {
        group.shutdownGracefully { _ in }
    }

    func snapshot(_ conversation: Int) -> ConversationSnapshot? {
        snapshots.withLock { $0[conversation] }
    }

    /// Participants of accounts, as far as this server has seen them (they never change).
    private let participants = Mutex<[ParticipantKey: Int]>([:])

    private struct ParticipantKey: Hashable {
        var conversation: Int
        var account: UUID
    }

    func participant(_ conversation: Int, account: UUID) -> Int? {
        participants.withLock { $0[ParticipantKey(conversation: conversation, account: account)] }
    }

    func remember(_ conversation: Int, account: UUID, participant: Int) {
        participants.withLock { $0[ParticipantKey(conversation: conversation, account: account)] = participant }
    }

    /// A conversation's snapshot before its first map: its statements, no votes.
    static func unmapped(_ conversation: ConversationRecord, statements: [StatementRecord]) -> ConversationSnapshot {
        var model = Model()
        model.conversation = conversation
        model.statements = Dictionary(statements.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var snapshot = snapshot(of: model, conversation, milliseconds: 0)
        snapshot.computedAt = 0
        return snapshot
    }

    /// Brings every conversation's map up to date with the database (one turn at a time).
    func refresh(on sql: any SQLDatabase) async throws {
        try await turns.run(on: executor) { try await self.turn(on: sql) }
    }

    private func turn(on sql: any SQLDatabase) async throws {
        let revisions = try await ConversationStore.revisions(on: sql)
        for (id, revision) in revisions {
            var model = models.withLock { $0[id] } ?? Model()
            var changed = false
            if model.revision != revision || model.conversation == nil {
                guard let conversation = try await ConversationStore.find(id, on: sql) else { continue }
                model.conversation = conversation
                model.statements = Dictionary(try await ConversationStore.statements(id, on: sql).map { ($0.id, $0) },
                                              uniquingKeysWith: { first, _ in first })
                model.revision = revision
                // Rejected statements leave the matrix with their votes (pending ones have
                // none: nobody may vote on them). One approved again brings its votes back,
                // which takes a matrix read afresh.
                let out = Set(model.statements.values.filter { $0.statusValue == .rejected }.map(\.id))
                if !model.moderatedOut.isSubset(of: out) {
                    model.matrix = VoteMatrix(moderatedOut: out)
                    model.lastVoteID = 0
                    model.votes = 0
                } else if out != model.moderatedOut {
                    model.matrix.moderateOut(out.subtracting(model.moderatedOut))
                }
                model.moderatedOut = out
                changed = true
            }
            for participant in try await ConversationStore.participants(id, after: model.lastParticipantID, on: sql) {
                if let region = participant.region_id { model.regions[participant.id] = region / 10_000_000 }
                model.lastParticipantID = participant.id
            }
            var fresh: [Vote] = []
            while true {
                let rows = try await ConversationStore.votes(id, after: model.lastVoteID, limit: Self.page, on: sql)
                fresh.reserveCapacity(fresh.count + rows.count)
                for row in rows {
                    if let vote = row.vote { fresh.append(vote) }
                    model.lastVoteID = row.id
                    model.lastVoteAt = row.created_at
                }
                if rows.count < Self.page { break }
            }
            guard let conversation = model.conversation,
                  changed || !fresh.isEmpty || snapshots.withLock({ $0[id] }) == nil else { continue }
            let started = ContinuousClock.now
            model.votes += fresh.count
            if !fresh.isEmpty { model.matrix.apply(fresh) }
            model.map = model.matrix.participantCount > 0 ? engine.map(model.matrix, startingFrom: model.map) : nil
            let snapshot = Self.snapshot(of: model, conversation,
                                         milliseconds: (ContinuousClock.now - started) / .milliseconds(1))
            models.withLock { $0[id] = model }
            snapshots.withLock { $0[id] = snapshot }
        }
    }

    private static func snapshot(of model: Model, _ conversation: ConversationRecord,
                                 milliseconds: Double) -> ConversationSnapshot {
        let map = model.map
        let groupCount = map?.groups.count ?? 0
        let baseCount = map?.baseClusters.count ?? 0
        var groupOf: [Int: Int] = [:]
        var byRegion: [Int: [Int]] = [:]
        var basesByRegion: [Int: [Int]] = [:]
        for participant in map?.participants ?? [] {
            if let group = participant.group { groupOf[participant.id] = group }
            guard let region = model.regions[participant.id] else { continue }
            byRegion[region, default: [Int](repeating: 0, count: groupCount + 1)][participant.group ?? groupCount] += 1
            if let base = participant.baseCluster {
                basesByRegion[region, default: [Int](repeating: 0, count: baseCount)][base] += 1
            }
        }
        let sorted = model.statements.values.sorted { $0.id < $1.id }
        return ConversationSnapshot(
            conversation: conversation, statements: model.statements,
            approved: sorted.filter { $0.statusValue == .approved }.map(\.id),
            map: map, votes: model.votes, participants: model.matrix.participantCount,
            lastVoteID: model.lastVoteID, lastVoteAt: model.lastVoteAt,
            computedAt: KazakhstanTime.nowMilliseconds(), computeMilliseconds: milliseconds,
            groupOfParticipant: groupOf, groupsByRegion: byRegion, baseClustersByRegion: basesByRegion,
            placements: Dictionary((map?.statements ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Refreshes the maps while the server runs.
    static func task(interval: Duration) -> RepeatingTask {
        RepeatingTask("opinion maps", every: interval) { app in
            guard let sql = app.db as? any SQLDatabase else { return }
            try await app.aimaq.conversations.refresh(on: sql)
        }
    }
}
