import AimaqCore
import Vapor

enum BodyController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.body(.key).pathComponents, use: show)
        routes.get(SiteURL.api(.bodies).pathComponents, use: apiList)
        routes.get(SiteURL.api(.body(.key)).pathComponents, use: apiShow)
    }

    static func bodyID(_ request: Request) throws -> Int {
        guard let id = request.parameters.get(SiteURL.idKey, as: Int.self) else {
            throw Abort(.notFound, reason: request.t("error.bodyNotFound"))
        }
        return id
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let id = try bodyID(request)
        guard let body = try await BodyQueries.body(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("error.bodyNotFound"))
        }
        let members = try await BodyQueries.members(of: id, on: request.sql)
        let tree = request.tree
        let language = request.language
        var crumbs = [(request.t("country.name"), SiteURL.home.path)]
        if let code = body.territory, let territory = tree[code] {
            crumbs += tree.ancestors(of: code).map { ($0.name[language], SiteURL.territory(.value($0.code)).path) }
            crumbs.append((territory.name[language], SiteURL.territory(.value(code)).path))
        }
        crumbs.append((body.name[language], SiteURL.body(.value(id)).path))
        return Layout.response(request, title: body.name[language], breadcrumbs: crumbs,
                               content: BodyViews.page(body, members: members, request))
    }

    @Sendable static func apiList(_ request: Request) async throws -> ListDTO<BodyDTO> {
        try request.authorize(.viewPublic)
        let paging = try Paging(request)
        var territory: KATOCode?
        if let text = request.queryText("territory") {
            guard let code = KATOCode.parse(text), request.tree[code] != nil else {
                throw Abort(.notFound, reason: request.t("error.territoryNotFound", ["code": text]))
            }
            territory = code
        }
        let (items, total) = try await BodyQueries.bodies(of: territory, page: paging.page, per: paging.per, on: request.sql)
        return ListDTO(items: items.map { BodyDTO($0, members: nil) }, total: total, page: paging.page, per: paging.per)
    }

    @Sendable static func apiShow(_ request: Request) async throws -> BodyDTO {
        try request.authorize(.viewPublic)
        let id = try bodyID(request)
        guard let body = try await BodyQueries.body(id, on: request.sql) else {
            throw Abort(.notFound, reason: request.t("error.bodyNotFound"))
        }
        return BodyDTO(body, members: try await BodyQueries.members(of: id, on: request.sql))
    }
}

struct BodyDTO: Content {
    struct Member: Content {
        var name: String
        var role: String
        var commission: String?
        var termFrom: String?
        var termTo: String?
    }

    var id: Int
    var kind: String
    var territory: String?
    var name: LocalizedName
    var validFrom: String?
    var validTo: String?
    var seats: Int?
    var members: [Member]?

    init(_ body: BodySummary, members: [BodyMemberSummary]?) {
        id = body.id
        kind = body.kind.rawValue
        territory = body.territory?.description
        name = body.name
        validFrom = body.validity.from?.description
        validTo = body.validity.to?.description
        seats = body.seats
        self.members = members?.map {
            Member(name: $0.personName, role: $0.role.rawValue, commission: $0.commission,
                   termFrom: $0.term.from?.description, termTo: $0.term.to?.description)
        }
    }
}

enum BodyViews {
    static func validity(_ period: ValidityPeriod, _ request: Request) -> String {
        switch (period.from, period.to) {
        case (nil, nil): ""
        case (let from?, nil): request.t("body.validFrom", ["date": from.description])
        case (nil, let to?): request.t("body.validTo", ["date": to.description])
        case (let from?, let to?): request.t("body.validBetween", ["from": from.description, "to": to.description])
        }
    }

    static func list(_ bodies: [BodySummary], _ request: Request) -> Node {
        el("ul", .class("bodies")) {
            for body in bodies {
                el("li") {
                    el("a", .href(SiteURL.body(.value(body.id)).path)) { body.name[request.language] }
                    let period = validity(body.validity, request)
                    if !period.isEmpty { el("span", .class("meta")) { " · " + period } }
                }
            }
        }
    }

    static func page(_ body: BodySummary, members: [BodyMemberSummary], _ request: Request) -> Node {
        let language = request.language
        return fragment {
            el("h1") { body.name[language] }
            el("p", .class("meta")) {
                request.t("bodyKind.\(body.kind.rawValue)")
                let period = validity(body.validity, request)
                if !period.isEmpty { " · " + period }
                if let seats = body.seats { " · " + request.t("body.seats", ["n": String(seats)]) }
            }
            el("h2") { request.t("body.members") + " (\(members.count))" }
            if members.isEmpty {
                el("p") { request.t("body.noMembers") }
            } else {
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            el("th", Attribute("scope", "col")) { request.t("member.name") }
                            el("th", Attribute("scope", "col")) { request.t("member.role") }
                            el("th", Attribute("scope", "col")) { request.t("member.commission") }
                            el("th", Attribute("scope", "col")) { request.t("member.term") }
                        }
                    }
                    el("tbody") {
                        for member in members {
                            el("tr") {
                                el("td") { member.personName }
                                el("td") { request.t("memberRole.\(member.role.rawValue)") }
                                el("td") { member.commission ?? "" }
                                el("td") { validity(member.term, request) }
                            }
                        }
                    }
                }
            }
        }
    }
}
