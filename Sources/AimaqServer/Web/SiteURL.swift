import AimaqCore
import Vapor

/// A path parameter: `.key` when registering a route, `.value` when making a link.
enum Parameter<Value: Sendable>: Sendable {
    case key
    case value(Value)
}

/// Every URL of the site, used both to register routes and to make links, so a link cannot
/// point at a route that does not exist.
enum SiteURL: Sendable {
    case home
    case territory(Parameter<KATOCode>)
    case body(Parameter<Int>)
    case signIn
    case signOut
    case account
    case accountSessionsEnd
    case adminUsers
    case adminUserActive(Parameter<UUID>)
    case adminUser(Parameter<UUID>)
    case adminUserLink(Parameter<UUID>)
    case accountPassword
    case signInCode
    case secondFactor
    case secondFactorQR
    case secondFactorOff
    case adminUserSecondFactor(Parameter<UUID>)
    case passwordLink(Parameter<String>)
    case adminAudit
    case health
    case ping
    case stylesheet
    case register
    case registerExport
    case instruction(Parameter<Int>)
    case assignment(Parameter<Int>)
    case assignmentReports(Parameter<Int>)
    case assignmentReview(Parameter<Int>)
    case assignmentExtend(Parameter<Int>)
    case assignmentRemove(Parameter<Int>)
    case assignmentSplit(Parameter<Int>)
    case assignmentRoadMap(Parameter<Int>)
    case evidence(Parameter<Int>)
    case myWork
    case myNotificationsRead
    case myCalendar
    case myTokens
    case myTokenRevoke(Parameter<Int>)
    case adminImportPlan
    case budget
    case budgetWhatIf
    case budgetWhatIfRules
    case budgetExport
    case referendums
    case discussions
    case discussion(Parameter<Int>)
    case discussionChanges(Parameter<Int>)
    case discussionArticle(Parameter<Int>, Parameter<String>)
    case discussionComments(Parameter<Int>, Parameter<String>)
    case commentVote(Parameter<Int>, Parameter<Int>)
    case commentHide(Parameter<Int>, Parameter<Int>)
    case commentReport(Parameter<Int>, Parameter<Int>)
    case discussionProposals(Parameter<Int>, Parameter<String>)
    case proposalSupport(Parameter<Int>, Parameter<Int>)
    case proposalDisposition(Parameter<Int>, Parameter<Int>)
    case discussionDispositions(Parameter<Int>)
    case discussionOpinions(Parameter<Int>)
    case opinionFile(Parameter<Int>, Parameter<Int>)
    case discussionReport(Parameter<Int>)
    case referendum(Parameter<Int>)
    case referendumResults(Parameter<Int>)
    case referendumProtocol(Parameter<Int>)
    case polls
    case poll(Parameter<Int>)
    case pollVote(Parameter<Int>)
    case pollResults(Parameter<Int>)
    case conversations
    case conversation(Parameter<Int>)
    case conversationVotes(Parameter<Int>)
    case conversationStatements(Parameter<Int>)
    case statementModeration(Parameter<Int>, Parameter<Int>)
    /// `votes.csv`, `comments.csv` or `participants-votes.csv` (the Polis export).
    case conversationExport(Parameter<Int>, String)
    case adminImportBudget
    case appeals
    case appealsCSV
    case appealNew
    case appealsMine
    case appealsInbox
    case appealStatistics
    case appeal(Parameter<Int>)
    case appealAnswer(Parameter<Int>)
    case appealExtend(Parameter<Int>)
    case appealRate(Parameter<Int>)
    case appealEscalate(Parameter<Int>)
    case appealAssignment(Parameter<Int>)
    case visits
    case visitsICal
    case visit(Parameter<Int>)
    case visitMeetings(Parameter<Int>)
    case meeting(Parameter<Int>)
    case meetingMinutes(Parameter<Int>)
    case meetingIssues(Parameter<Int>)
    case objects
    case objectsCSV
    case receptions
    case receptionBookings(Parameter<Int>)
    case mandates
    case appealFile(Parameter<Int>)
    case deputy(Parameter<UUID>)
    case object(Parameter<Int>)
    case api(API)

    enum API: Sendable {
        case health
        case territories
        case territory(Parameter<KATOCode>)
        case bodies
        case body(Parameter<Int>)
        case openAPI
        case instructions
        case instruction(Parameter<Int>)
        case assignments
        case reports
        case reviews
        case roadMaps
        case budgetLines
        case budgetTransfers
        case budgetIndicators
        case budgetWhatIf
        case referendums
        case referendum(Parameter<Int>)
        case discussions
        case discussion(Parameter<Int>)
        case conversation(Parameter<Int>)
        case conversationVotes(Parameter<Int>)
        case discussionComments(Parameter<Int>)
        case discussionProposals(Parameter<Int>)
        case discussionOpinions(Parameter<Int>)
        case poll(Parameter<Int>)
        case appeals
        case appeal(Parameter<Int>)
        case visits
        case visit(Parameter<Int>)
        case objects
    }

    static let territoryKey = "kato"
    static let idKey = "id"
    static let tokenKey = "token"
    static let anchorKey = "anchor"
    static let commentKey = "comment"
    static let proposalKey = "proposal"
    static let statementKey = "statement"
    static let opinionKey = "opinion"

    private var segments: [String] {
        switch self {
        case .home: []
        case .territory(let p): ["territories", Self.text(p, key: Self.territoryKey)]
        case .body(let p): ["bodies", Self.text(p, key: Self.idKey)]
        case .signIn: ["signin"]
        case .signOut: ["signout"]
        case .account: ["account"]
        case .accountSessionsEnd: ["account", "sessions", "end"]
        case .adminUsers: ["admin", "users"]
        case .adminUserActive(let p): ["admin", "users", Self.text(p, key: Self.idKey), "active"]
        case .adminUser(let p): ["admin", "users", Self.text(p, key: Self.idKey)]
        case .adminUserLink(let p): ["admin", "users", Self.text(p, key: Self.idKey), "password-link"]
        case .accountPassword: ["account", "password"]
        case .signInCode: ["signin", "code"]
        case .secondFactor: ["account", "second-factor"]
        case .secondFactorQR: ["account", "second-factor", "qr.svg"]
        case .secondFactorOff: ["account", "second-factor", "off"]
        case .adminUserSecondFactor(let p): ["admin", "users", Self.text(p, key: Self.idKey), "second-factor-reset"]
        case .passwordLink(let p): ["password", Self.text(p, key: Self.tokenKey)]
        case .adminAudit: ["admin", "audit"]
        case .health: ["health"]
        case .ping: ["ping"]
        case .stylesheet: ["static", "app.css"]
        case .register: ["instructions"]
        case .registerExport: ["instructions", "export"]
        case .instruction(let p): ["instructions", Self.text(p, key: Self.idKey)]
        case .assignment(let p): ["assignments", Self.text(p, key: Self.idKey)]
        case .assignmentReports(let p): ["assignments", Self.text(p, key: Self.idKey), "reports"]
        case .assignmentReview(let p): ["assignments", Self.text(p, key: Self.idKey), "review"]
        case .assignmentExtend(let p): ["assignments", Self.text(p, key: Self.idKey), "extend"]
        case .assignmentRemove(let p): ["assignments", Self.text(p, key: Self.idKey), "remove"]
        case .assignmentSplit(let p): ["assignments", Self.text(p, key: Self.idKey), "split"]
        case .assignmentRoadMap(let p): ["assignments", Self.text(p, key: Self.idKey), "road-map"]
        case .evidence(let p): ["evidence", Self.text(p, key: Self.idKey)]
        case .myWork: ["my"]
        case .myNotificationsRead: ["my", "notifications", "read"]
        case .myCalendar: ["my", "deadlines.ics"]
        case .myTokens: ["my", "tokens"]
        case .myTokenRevoke(let p): ["my", "tokens", Self.text(p, key: Self.idKey), "revoke"]
        case .adminImportPlan: ["admin", "import-plan"]
        case .budget: ["budget"]
        case .budgetWhatIf: ["budget", "what-if"]
        case .budgetWhatIfRules: ["budget", "what-if", "rules"]
        case .budgetExport: ["budget", "export"]
        case .referendums: ["referendums"]
        case .discussions: ["discussions"]
        case .discussion(let p): ["discussions", Self.text(p, key: Self.idKey)]
        case .discussionChanges(let p): ["discussions", Self.text(p, key: Self.idKey), "changes"]
        case .discussionArticle(let p, let a): ["discussions", Self.text(p, key: Self.idKey), "articles", Self.text(a, key: Self.anchorKey)]
        case .discussionComments(let p, let a):
            ["discussions", Self.text(p, key: Self.idKey), "articles", Self.text(a, key: Self.anchorKey), "comments"]
        case .commentVote(let p, let c): ["discussions", Self.text(p, key: Self.idKey), "comments", Self.text(c, key: Self.commentKey), "vote"]
        case .commentHide(let p, let c): ["discussions", Self.text(p, key: Self.idKey), "comments", Self.text(c, key: Self.commentKey), "hide"]
        case .discussionProposals(let p, let a):
            ["discussions", Self.text(p, key: Self.idKey), "articles", Self.text(a, key: Self.anchorKey), "proposals"]
        case .proposalSupport(let p, let c):
            ["discussions", Self.text(p, key: Self.idKey), "proposals", Self.text(c, key: Self.proposalKey), "support"]
        case .proposalDisposition(let p, let c):
            ["discussions", Self.text(p, key: Self.idKey), "proposals", Self.text(c, key: Self.proposalKey), "disposition"]
        case .discussionDispositions(let p): ["discussions", Self.text(p, key: Self.idKey), "dispositions"]
        case .discussionOpinions(let p): ["discussions", Self.text(p, key: Self.idKey), "opinions"]
        case .opinionFile(let p, let o): ["discussions", Self.text(p, key: Self.idKey), "opinions", Self.text(o, key: Self.opinionKey), "file"]
        case .discussionReport(let p): ["discussions", Self.text(p, key: Self.idKey), "report"]
        case .commentReport(let p, let c):
            ["discussions", Self.text(p, key: Self.idKey), "comments", Self.text(c, key: Self.commentKey), "report"]
        case .referendum(let p): ["referendums", Self.text(p, key: Self.idKey)]
        case .referendumResults(let p): ["referendums", Self.text(p, key: Self.idKey), "results.csv"]
        case .referendumProtocol(let p): ["referendums", Self.text(p, key: Self.idKey), "results"]
        case .polls: ["polls"]
        case .poll(let p): ["polls", Self.text(p, key: Self.idKey)]
        case .pollVote(let p): ["polls", Self.text(p, key: Self.idKey), "vote"]
        case .pollResults(let p): ["polls", Self.text(p, key: Self.idKey), "results.csv"]
        case .conversations: ["conversations"]
        case .conversation(let p): ["conversations", Self.text(p, key: Self.idKey)]
        case .conversationVotes(let p): ["conversations", Self.text(p, key: Self.idKey), "votes"]
        case .conversationStatements(let p): ["conversations", Self.text(p, key: Self.idKey), "statements"]
        case .statementModeration(let p, let s):
            ["conversations", Self.text(p, key: Self.idKey), "statements", Self.text(s, key: Self.statementKey), "moderation"]
        case .conversationExport(let p, let file): ["conversations", Self.text(p, key: Self.idKey), file]
        case .adminImportBudget: ["admin", "import-budget"]
        case .appeals: ["appeals"]
        case .appealsCSV: ["appeals.csv"]
        case .appealNew: ["appeals", "new"]
        case .appealsMine: ["appeals", "mine"]
        case .appealsInbox: ["appeals", "inbox"]
        case .appealStatistics: ["appeals", "statistics"]
        case .appeal(let p): ["appeals", Self.text(p, key: Self.idKey)]
        case .appealAnswer(let p): ["appeals", Self.text(p, key: Self.idKey), "answer"]
        case .appealExtend(let p): ["appeals", Self.text(p, key: Self.idKey), "extension"]
        case .appealRate(let p): ["appeals", Self.text(p, key: Self.idKey), "rating"]
        case .appealEscalate(let p): ["appeals", Self.text(p, key: Self.idKey), "escalation"]
        case .appealAssignment(let p): ["appeals", Self.text(p, key: Self.idKey), "assignment"]
        case .visits: ["visits"]
        case .visitsICal: ["visits.ics"]
        case .visit(let p): ["visits", Self.text(p, key: Self.idKey)]
        case .visitMeetings(let p): ["visits", Self.text(p, key: Self.idKey), "meetings"]
        case .meeting(let p): ["meetings", Self.text(p, key: Self.idKey)]
        case .meetingMinutes(let p): ["meetings", Self.text(p, key: Self.idKey), "minutes"]
        case .meetingIssues(let p): ["meetings", Self.text(p, key: Self.idKey), "issues"]
        case .objects: ["objects"]
        case .objectsCSV: ["objects.csv"]
        case .receptions: ["receptions"]
        case .receptionBookings(let p): ["meetings", Self.text(p, key: Self.idKey), "bookings"]
        case .mandates: ["mandates"]
        case .appealFile(let p): ["files", Self.text(p, key: Self.idKey)]
        case .deputy(let p): ["deputies", Self.text(p, key: Self.idKey)]
        case .object(let p): ["objects", Self.text(p, key: Self.idKey)]
        case .api(let api):
            ["api", "v1"] + {
                switch api {
                case .health: ["health"]
                case .territories: ["territories"]
                case .territory(let p): ["territories", Self.text(p, key: Self.territoryKey)]
                case .bodies: ["bodies"]
                case .body(let p): ["bodies", Self.text(p, key: Self.idKey)]
                case .openAPI: ["openapi.json"]
                case .instructions: ["instructions"]
                case .instruction(let p): ["instructions", Self.text(p, key: Self.idKey)]
                case .assignments: ["assignments"]
                case .reports: ["reports"]
                case .reviews: ["reviews"]
                case .roadMaps: ["road-maps"]
                case .budgetLines: ["budget", "lines"]
                case .budgetTransfers: ["budget", "transfers"]
                case .budgetIndicators: ["budget", "indicators"]
                case .budgetWhatIf: ["budget", "what-if"]
                case .referendums: ["referendums"]
                case .referendum(let p): ["referendums", Self.text(p, key: Self.idKey)]
                case .discussions: ["discussions"]
                case .discussion(let p): ["discussions", Self.text(p, key: Self.idKey)]
                case .conversation(let p): ["conversations", Self.text(p, key: Self.idKey)]
                case .conversationVotes(let p): ["conversations", Self.text(p, key: Self.idKey), "votes"]
                case .discussionComments(let p): ["discussions", Self.text(p, key: Self.idKey), "comments"]
                case .discussionProposals(let p): ["discussions", Self.text(p, key: Self.idKey), "proposals"]
                case .discussionOpinions(let p): ["discussions", Self.text(p, key: Self.idKey), "opinions"]
                case .poll(let p): ["polls", Self.text(p, key: Self.idKey)]
                case .appeals: ["appeals"]
                case .appeal(let p): ["appeals", Self.text(p, key: Self.idKey)]
                case .visits: ["visits"]
                case .visit(let p): ["visits", Self.text(p, key: Self.idKey)]
                case .objects: ["objects"]
                }
            }()
        }
    }

    private static func text<V>(_ parameter: Parameter<V>, key: String) -> String {
        switch parameter {
        case .key: ":\(key)"
        case .value(let value): "\(value)"
        }
    }

    /// Numbers written without the generic printing path (a page makes hundreds of links).
    private static func text(_ parameter: Parameter<Int>, key: String) -> String {
        switch parameter {
        case .key: ":\(key)"
        case .value(let value): String(value)
        }
    }

    private static func text(_ parameter: Parameter<KATOCode>, key: String) -> String {
        switch parameter {
        case .key: ":\(key)"
        case .value(let value): String(value.value)
        }
    }

    /// The path for links, e.g. `/territories/430000000`.
    var path: String { "/" + segments.joined(separator: "/") }

    /// The path components for route registration, e.g. `territories/:kato`.
    var pathComponents: [PathComponent] { segments.map { PathComponent(stringLiteral: $0) } }
}
