import AimaqCore
import Crypto
import Fluent
import SQLKit
import Vapor

/// Personal API tokens: made on "My work", shown once, stored as a SHA-256 hash; a token
/// acts with its owner's role and territory. Only the API reads them.
enum APITokens {
    static let prefix = "aimaq_"

    static func hash(_ token: String) -> String {
        Hex.sha256(token)
    }

    static func make() -> String {
        prefix + [UInt8].random(count: 32).base64URLEncodedString()
    }

    /// Signs an API request (`/api/v1/…`) in as the token's owner when it carries
    /// `Authorization: Bearer`. Pages never take a token, and a token never makes a session:
    /// revoking it ends everything it could do.
    struct Authenticator: Middleware {
        func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
            // Pages, and requests without a token, pass without a task or a query.
            guard request.url.path.hasPrefix("/api/v1/"), let bearer = request.headers.bearerAuthorization,
                  bearer.token.hasPrefix(APITokens.prefix) else { return next.respond(to: request) }
            guard request.method == .GET || request.method == .HEAD else {
                // A write's token is read on the write lane, by the route (`startAPIWrite`),
                // where it waits for no reader; until then the request is nobody's.
                request.storage[PendingTokenKey.self] = bearer.token
                return next.respond(to: request)
            }
            let signedIn = request.eventLoop.makePromise(of: Void.self)
            signedIn.completeWithTask { try await Self.authenticate(bearer.token, request, on: request.db) }
            return signedIn.futureResult.flatMap { next.respond(to: request) }
        }

        static func authenticate(_ token: String, _ request: Request, on db: any Database) async throws {
            guard let account = try await owner(of: APITokens.hash(token), request, on: db) else { return }
            request.auth.login(account)
            request.storage[TokenKey.self] = true
        }

        /// The active account a token belongs to; notes the token's use (at most once a
        /// minute, by the writer: an API client's every call costs no write of its own).
        private static func owner(of tokenHash: String, _ request: Request, on db: any Database) async throws -> Account? {
            // The token and its owner in one round trip (a write's first statement).
            guard let account = try await Account.query(on: db)
                    .join(APIToken.self, on: \APIToken.$accountID == \Account.$id)
                    .filter(APIToken.self, \.$tokenHash == tokenHash).first(),
                  account.active else { return nil }
            let token = try account.joined(APIToken.self)
            let now = KazakhstanTime.nowMilliseconds()
            if now - (token.lastUsedAt ?? 0) > 60_000, let tokenID = token.id {
                try await request.onWriteLane { db in
                    try await db.sql.update(APIToken.schema).set("last_used_at", to: SQLBind(now))
                        .where("id", .equal, SQLBind(tokenID)).run()
                }
            }
            return account
        }
    }

    struct TokenKey: StorageKey { typealias Value = Bool }
    struct PendingTokenKey: StorageKey { typealias Value = String }

    /// Runs an API write on the write lane, signed in as its token's owner (read there):
    /// every write route of the API goes through here, and one that did not would find
    /// nobody signed in (401).
    static func startAPIWrite<T: Sendable>(_ request: Request,
                                           _ body: @escaping @Sendable () async throws -> T) -> EventLoopFuture<T> {
        request.startOnWriteLane {
            if let token = request.storage[PendingTokenKey.self] {
                try await request.onWriteLane { db in try await Authenticator.authenticate(token, request, on: db) }
            }
            return try await body()
        }
    }

    /// Signs an API write in as its token's owner, reading the token where pages read: for
    /// writes whose own storing runs on the write lane anyway (opinion votes, stored in
    /// batches there), so that the many small requests are spread over the event loops.
    static func authenticatePending(_ request: Request) async throws {
        guard let token = request.storage[PendingTokenKey.self] else { return }
        try await Authenticator.authenticate(token, request, on: request.db)
    }

    struct NewToken: Content { var name: String? }

    static func register(_ routes: any RoutesBuilder) {
        routes.post(SiteURL.myTokens.pathComponents, use: create)
        routes.post(SiteURL.myTokenRevoke(.key).pathComponents, use: revoke)
        // API writes start on the write lane and stay there until they answer.
        routes.post(SiteURL.api(.reports).pathComponents) { request in
            startAPIWrite(request) { try await apiReport(request) }
        }
        routes.post(SiteURL.api(.reviews).pathComponents) { request in
            startAPIWrite(request) { try await apiReview(request) }
        }
        routes.post(SiteURL.api(.roadMaps).pathComponents) { request in
            startAPIWrite(request) { try await apiRoadMap(request) }
        }
    }

    /// Makes a token for an account and returns its secret, which is kept only as a hash.
    static func issue(account: UUID, name: String, actor: String, on database: any Database) async throws -> String {
        let secret = make()
        let tokenHash = hash(secret)
        try await AuditLog.record(on: database, actor: actor) { db in
            let token = APIToken()
            token.accountID = account
            token.name = name
            token.tokenHash = tokenHash
            token.createdAt = KazakhstanTime.nowMilliseconds()
            try await token.create(on: db)
            return ((), AuditEvent(action: "token.create", entity: "api_token", entityID: String(token.id ?? 0),
                                   before: nil, after: "{\"name\":\(jsonString(name))}"))
        }
        return secret
    }

    @Sendable static func create(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnWork)
        guard let accountID = request.account?.id else { throw SignInRequired() }
        let name = (try request.content.decode(NewToken.self).name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            throw Abort(.unprocessableEntity, reason: request.t("token.error.name"))
        }
        let secret = try await issue(account: accountID, name: name, actor: request.auditActor, on: request.db)
        let content = fragment {
            el("h1") { request.t("token.created") }
            el("p") { request.t("token.once") }
            el("p") { el("code", .id("new-token")) { secret } }
            el("p") { el("a", .href(SiteURL.myWork.path)) { request.t("my.title") } }
        }
        return Layout.secretResponse(request, title: request.t("token.created"), content: content)
    }

    @Sendable static func revoke(_ request: Request) async throws -> Response {
        try request.authorize(.viewOwnWork)
        guard let accountID = request.account?.id, let id = request.parameters.get(SiteURL.idKey, as: Int.self),
              let token = try await APIToken.find(id, on: request.db), token.accountID == accountID else {
            throw Abort(.notFound)
        }
        try await AuditLog.record(on: request.db, actor: request.auditActor) { db in
            try await token.delete(on: db)
            return ((), AuditEvent(action: "token.revoke", entity: "api_token", entityID: String(id),
                                   before: "{\"name\":\(jsonString(token.name))}", after: nil))
        }
        return request.redirect(to: SiteURL.myWork.path, redirectType: .normal)
    }

    /// API writes take a token, never a session cookie.
    static func requireToken(_ request: Request) throws {
        guard request.storage[TokenKey.self] == true else { throw SignInRequired() }
    }

    struct ReportInput: Content {
        var assignment: Int
        var period: String?
        var text: String
        var values: [String: Double]?
    }

    struct Created: Content {
        var id: Int
        var status: String
    }

    @Sendable static func apiReport(_ request: Request) async throws -> Response {
        try requireToken(request)
        let input = try request.content.decode(ReportInput.self)
        return try await request.onWriteLane { db in
            try await report(input, request, db)
        }
    }

    private static func report(_ input: ReportInput, _ request: Request, _ db: any Database) async throws -> Response {
        let (assignment, instruction, territory) = try await AssignmentWorkflow.load(input.assignment, request, on: db)
        try request.authorize(AssignmentWorkflow.reportAction(assignment, territory, request.aimaq.bodies))
        let indicators = try await IndicatorRecord.query(on: db).filter(\.$instructionID == instruction.id!).all()
        var problems: [String] = []
        var values: [Int: Double] = [:]
        for (key, value) in input.values ?? [:] {
            guard let id = Int(key) else {
                problems.append(request.t("error.filter", ["name": "values", "value": key]))
                continue
            }
            values[id] = value
        }
        let submission = try ReportSubmission.validated(
            text: input.text, periodLabel: input.period, values: values, files: [], indicators: indicators,
            period: ReportingPeriod(rawValue: instruction.period) ?? .once, today: InstructionController.today(request),
            problems: problems, request)
        let (id, status) = try await AssignmentWorkflow.report(request, assignment: assignment, territory: territory,
                                                                         submission: submission)
        let response = Response(status: .created)
        try response.content.encode(Created(id: id, status: status.rawValue))
        return response
    }

    struct ReviewInput: Content {
        var assignment: Int
        var decision: String
        var remarks: String?
        var final: Bool?
        var evidencePublic: Bool?
    }

    @Sendable static func apiReview(_ request: Request) async throws -> Created {
        try requireToken(request)
        let input = try request.content.decode(ReviewInput.self)
        return try await request.onWriteLane { db in
            let (assignment, instruction, territory) = try await AssignmentWorkflow.load(input.assignment, request, on: db)
            let status = try await AssignmentWorkflow.review(
                request, assignment: assignment, instruction: instruction, territory: territory,
                decision: input.decision, remarks: input.remarks, final: input.final ?? false,
                evidencePublic: input.evidencePublic)
            return Created(id: input.assignment, status: status.rawValue)
        }
    }

    struct RoadMapInput: Content {
        struct Milestone: Content {
            var date: String
            var text: String
        }
        var assignment: Int
        var milestones: [Milestone]
    }

    /// `POST /api/v1/road-maps`: the road map of an assignment of a complex instruction, as
    /// the assignment page takes it (its milestones replace any given before; every problem
    /// is said at once, 422).
    @Sendable static func apiRoadMap(_ request: Request) async throws -> Created {
        try requireToken(request)
        let input = try request.content.decode(RoadMapInput.self)
        return try await request.onWriteLane { db in
            let (assignment, instruction, territory) = try await AssignmentWorkflow.load(input.assignment, request, on: db)
            try request.authorize(AssignmentWorkflow.reportAction(assignment, territory, request.aimaq.bodies))
            try await AssignmentWorkflow.submitRoadMap(request, assignment: assignment, instruction: instruction,
                                                       rows: input.milestones.map { (date: $0.date, text: $0.text) })
            return Created(id: input.assignment, status: assignment.statusName)
        }
    }
}
