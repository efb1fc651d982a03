import AimaqCore
import OpinionMap
import Vapor

/// `/api/v1/conversations/:id`: a conversation's statements and its latest opinion map (groups,
/// what they stand for, consensus, groups by region); `POST …/votes` casts a vote with an API
/// token, answered once the vote is stored.
enum ConversationAPI {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.api(.conversation(.key)).pathComponents, use: conversation)
        // A vote is read and checked on the request's event loop, and stored in a batch on
        // the write lane (`VoteIntake`): many small requests do not queue on the lane's thread.
        routes.post(SiteURL.api(.conversationVotes(.key)).pathComponents, use: vote)
    }

    struct StatementDTO: Content {
        var id: Int
        var text: String
        var agrees: Int
        var disagrees: Int
        var passes: Int
    }

    struct GroupStatementDTO: Content {
        var statement: Int
        var stance: String
        var votes: Int
        var share: Double
    }

    struct GroupDTO: Content {
        var id: Int
        var label: String
        var members: Int
        var representative: [GroupStatementDTO]
    }

    struct RegionDTO: Content {
        var kato: String
        /// Participants in each group (by group id), then those not clustered.
        var groups: [Int]
    }

    struct ConversationDTO: Content {
        var id: Int
        var title: LocalizedName
        var discussion: Int?
        var territory: String?
        var opens: String
        var closes: String
        var demo: Bool
        var participants: Int
        var votes: Int
        /// The last stored vote the map includes, and when the map was made (ms since 1970; 0: not yet).
        var mappedThroughVote: Int
        var computedAt: Int64
        var statements: [StatementDTO]
        var groups: [GroupDTO]
        var consensusAgree: [GroupStatementDTO]
        var consensusDisagree: [GroupStatementDTO]
        var regions: [RegionDTO]
    }

    @Sendable static func conversation(_ request: Request) async throws -> ConversationDTO {
        try request.authorize(.viewPublic)
        let snapshot = try await ConversationController.load(request)
        let record = snapshot.conversation
        let map = snapshot.map
        func share(_ count: Int, _ votes: Int) -> Double { votes > 0 ? Double(count) / Double(votes) : 0 }
        return ConversationDTO(
            id: record.id, title: record.title, discussion: record.discussionID, territory: record.territory?.description,
            opens: record.opens.description, closes: record.closes.description, demo: record.demo,
            participants: snapshot.participants, votes: snapshot.votes, mappedThroughVote: snapshot.lastVoteID,
            computedAt: snapshot.computedAt,
            statements: snapshot.approved.map { id in
                let placement = snapshot.placements[id]
                return StatementDTO(id: id, text: snapshot.text(id), agrees: placement?.agrees ?? 0,
                                    disagrees: placement?.disagrees ?? 0, passes: placement?.passes ?? 0)
            },
            groups: (map?.groups ?? []).map { group in
                GroupDTO(id: group.id, label: ConversationViews.letter(group.id), members: group.memberCount,
                         representative: group.representativeStatements.map { statement in
                             let count = statement.stance == .agree ? statement.groupAgrees : statement.groupDisagrees
                             return GroupStatementDTO(statement: statement.statementID, stance: statement.stance.rawValue,
                                                      votes: statement.groupVotes, share: share(count, statement.groupVotes))
                         })
            },
            consensusAgree: (map?.consensus.agree ?? []).map {
                GroupStatementDTO(statement: $0.statementID, stance: "agree", votes: $0.votes, share: share($0.agrees, $0.votes))
            },
            consensusDisagree: (map?.consensus.disagree ?? []).map {
                GroupStatementDTO(statement: $0.statementID, stance: "disagree", votes: $0.votes, share: share($0.disagrees, $0.votes))
            },
            regions: snapshot.groupsByRegion.keys.sorted().map { region in
                RegionDTO(kato: String(region * 10_000_000), groups: snapshot.groupsByRegion[region] ?? [])
            })
    }

    struct VoteInput: Content {
        var statement: Int?
        var vote: String?
    }

    struct VoteDTO: Content {
        var conversation: Int
        var statement: Int
        var vote: String
        var stored: Bool
    }

    @Sendable static func vote(_ request: Request) async throws -> Response {
        try await APITokens.authenticatePending(request)
        try APITokens.requireToken(request)
        let input = try request.content.decode(VoteInput.self)
        let (snapshot, _) = try await ConversationController.cast(request, statement: input.statement, vote: input.vote)
        let response = Response(status: .created)
        try response.content.encode(VoteDTO(conversation: snapshot.conversation.id, statement: input.statement ?? 0,
                                            vote: input.vote ?? "", stored: true))
        return response
    }
}
