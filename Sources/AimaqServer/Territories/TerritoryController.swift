import AimaqCore
import Vapor

enum TerritoryController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.home.pathComponents, use: home)
        routes.get(SiteURL.territory(.key).pathComponents, use: show)
        routes.get(SiteURL.api(.territories).pathComponents, use: apiList)
        routes.get(SiteURL.api(.territory(.key)).pathComponents, use: apiShow)
    }

    /// The country page: the tile map of the 20 regions and the national bodies.
    @Sendable static func home(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        if Layout.isCacheableAnonymous(request) {
            let key = "home:\(request.language)"
            if let html = request.aimaq.pages.cachedAnonymousPage(key, version: 0) { return Layout.html(html) }
            let page = homePage(request)
            request.aimaq.pages.storeAnonymousPage(key, page, version: 0)
            return Layout.html(page)
        }
        return Layout.html(homePage(request))
    }

    static func homePage(_ request: Request) -> String {
        // The country page changes only with reference data: rendered once per language.
        let content = request.aimaq.pages.fragment("home:\(request.language)", version: 0) {
            let tree = request.tree
            let model = CountryPage.Model(regions: tree.regions, population: tree.nationalPopulation,
                                          counts: levelCounts(tree), bodies: request.aimaq.bodies.bodies(of: nil))
            return CountryPage.body(model, request)
        }
        return Layout.page(request, title: request.t("home.title"), content: content)
    }

    @Sendable static func show(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let code = try territoryCode(request)
        let tree = request.tree
        guard let territory = tree[code] else {
            throw Abort(.notFound, reason: request.t("error.territoryNotFound", ["code": code.description]))
        }
        // The page is stale when what any of its sections shows changes, and only then.
        var generation = 0
        for section in request.aimaq.territorySections {
            generation = generation &* 1_000_003 &+ (try await section.version(for: code, request))
        }
        let audience = AccessPolicy.seesOnlyPublic(request.actor) ? "public" : "staff"
        let key = "territory:\(code):\(request.language):\(audience):\(request.aimaq.clock.today())"
        let anonymous = Layout.isCacheableAnonymous(request)
        let version = generation
        let render: @Sendable () async throws -> String = {
            let content = try await request.aimaq.pages.fragment(key, version: version) {
                var sections: [Node] = []
                for section in request.aimaq.territorySections {
                    if let node = try await section.render(for: code, request) { sections.append(node) }
                }
                let model = TerritoryPage.Model(
                    territory: territory, ancestors: tree.ancestors(of: code),
                    children: tree.children(of: code).map { ($0, tree.childCount(of: $0.code)) },
                    descendants: tree.descendantCounts(of: code), bodies: request.aimaq.bodies.bodies(of: code),
                    sections: sections)
                return TerritoryPage.body(model, request)
            }
            var crumbs = [(request.t("country.name"), SiteURL.home.path)]
            crumbs += tree.ancestors(of: code).map { ($0.name[request.language], SiteURL.territory(.value($0.code)).path) }
            crumbs.append((territory.name[request.language], SiteURL.territory(.value(code)).path))
            return Layout.page(request, title: territory.name[request.language], breadcrumbs: crumbs, content: content)
        }
        guard anonymous else { return Layout.html(try await render()) }
        return try await request.keptPage(key, version: version, render: render)
    }

    /// Reads the `:kato` parameter; a malformed code is a 404 like an unknown one.
    static func territoryCode(_ request: Request) throws -> KATOCode {
        let text = request.parameters.get(SiteURL.territoryKey) ?? ""
        guard let code = KATOCode.parse(text) else {
            throw Abort(.notFound, reason: request.t("error.territoryNotFound", ["code": text]))
        }
        return code
    }

    static func levelCounts(_ tree: TerritoryTree) -> [KATOCode.Level: Int] {
        var counts: [KATOCode.Level: Int] = [:]
        for region in tree.regions {
            counts[.region, default: 0] += 1
            for (level, n) in tree.descendantCounts(of: region.code) { counts[level, default: 0] += n }
        }
        return counts
    }

    // MARK: API

    @Sendable static func apiShow(_ request: Request) async throws -> Response {
        try request.authorize(.viewPublic)
        let code = try territoryCode(request)
        let tree = request.tree
        guard let territory = tree[code] else {
            throw Abort(.notFound, reason: request.t("error.territoryNotFound", ["code": code.description]))
        }
        // Reference data: encoded once, until the territories change.
        let data = try request.aimaq.pages.document("api:territory:\(code)") {
            try JSONEncoder().encode(TerritoryDTO(territory, children: tree.children(of: code)))
        }
        let response = Response(body: .init(data: data))
        response.headers.contentType = .json
        return response
    }

    /// `GET /api/v1/territories?parent=KATO&page=&per=`: the regions, or the children of `parent`.
    @Sendable static func apiList(_ request: Request) async throws -> ListDTO<TerritoryDTO.Child> {
        try request.authorize(.viewPublic)
        let paging = try Paging(request)
        let tree = request.tree
        let all: [Territory]
        if let parentText = request.queryText("parent") {
            guard let parent = KATOCode.parse(parentText), tree[parent] != nil else {
                throw Abort(.notFound, reason: request.t("error.territoryNotFound", ["code": parentText]))
            }
            all = tree.children(of: parent)
        } else {
            all = tree.regions
        }
        return ListDTO(items: paging.slice(all).map(TerritoryDTO.Child.init), total: all.count,
                       page: paging.page, per: paging.per)
    }
}

struct TerritoryDTO: Content {
    struct Child: Content {
        var code: String
        var level: Int
        var kind: String
        var name: LocalizedName
        init(_ t: Territory) {
            code = t.code.description
            level = t.level.rawValue
            kind = t.kind.rawValue
            name = t.name
        }
    }

    var code: String
    var level: Int
    var kind: String
    var name: LocalizedName
    var iso: String?
    var population: Int?
    var parent: String?
    var children: ListDTO<Child>

    init(_ t: Territory, children: [Territory]) {
        code = t.code.description
        level = t.level.rawValue
        kind = t.kind.rawValue
        name = t.name
        iso = t.iso
        population = t.population
        parent = t.parent?.description
        self.children = ListDTO(items: children.map(Child.init), total: children.count, page: 1,
                                per: max(children.count, 1))
    }
}
