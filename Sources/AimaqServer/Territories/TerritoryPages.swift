import AimaqCore
import Vapor

enum CountryPage {
    struct Model {
        var regions: [Territory]
        var population: Int
        var counts: [KATOCode.Level: Int]
        var bodies: [BodySummary]
    }

    static func body(_ model: Model, _ request: Request) -> Node {
        let language = request.language
        return fragment {
            el("h1") { request.t("home.title") }
            el("p", .class("lead")) { request.t("home.lead") }
            el("section", .aria("labelledby", "regions-heading")) {
                el("h2", .id("regions-heading")) { request.t("home.regions") }
                TileMap.svg(regions: model.regions, language: language, title: request.t("home.tileMap"),
                            link: { SiteURL.territory(.value($0)).path })
                el("ul", .class("region-list")) {
                    for region in model.regions {
                        el("li") { el("a", .href(SiteURL.territory(.value(region.code)).path)) { region.name[language] } }
                    }
                }
            }
            el("section", .aria("labelledby", "figures-heading")) {
                el("h2", .id("figures-heading")) { request.t("territory.keyFigures") }
                figures(request, population: model.population, counts: model.counts)
            }
            el("section", .aria("labelledby", "bodies-heading")) {
                el("h2", .id("bodies-heading")) { request.t("home.nationalBodies") }
                BodyViews.list(model.bodies, request)
            }
        }
    }

    static func figures(_ request: Request, population: Int?, counts: [KATOCode.Level: Int]) -> Node {
        let language = request.language
        return el("ul", .class("figures")) {
            if let population {
                el("li") {
                    el("span", .class("label")) { request.t("territory.population") }
                    el("span", .class("value")) { NumberFormat.integer(population, language) }
                }
            }
            for level in KATOCode.Level.allCases {
                if let n = counts[level], n > 0 {
                    el("li") {
                        el("span", .class("label")) { request.t("level.\(level.rawValue).plural") }
                        el("span", .class("value")) { NumberFormat.integer(n, language) }
                    }
                }
            }
        }
    }
}

enum TerritoryPage {
    struct Model {
        var territory: Territory
        var ancestors: [Territory]
        var children: [(Territory, Int)]
        var descendants: [KATOCode.Level: Int]
        var bodies: [BodySummary]
        /// What the capabilities show here (`TerritorySection`), in order.
        var sections: [Node]
    }

    static func body(_ model: Model, _ request: Request) -> Node {
        let language = request.language
        let t = model.territory
        return fragment {
            el("h1") { t.name[language] }
            el("p", .class("meta")) {
                request.t("kind.\(t.kind.rawValue)")
                " · KATO "
                el("code") { t.code.description }
                if let iso = t.iso { " · ISO \(iso)" }
            }
            el("section", .aria("labelledby", "figures-heading")) {
                el("h2", .id("figures-heading")) { request.t("territory.keyFigures") }
                CountryPage.figures(request, population: t.population, counts: model.descendants)
                if let note = t.populationNote {
                    el("p", .class("note")) { request.t("territory.populationSource") + ": " + note }
                }
            }
            for section in model.sections { section }
            el("section", .aria("labelledby", "bodies-heading")) {
                el("h2", .id("bodies-heading")) { request.t("territory.bodies") }
                if model.bodies.isEmpty {
                    el("p") { request.t("territory.noBodies") }
                } else {
                    BodyViews.list(model.bodies, request)
                }
            }
            el("section", .aria("labelledby", "children-heading")) {
                el("h2", .id("children-heading")) {
                    request.t("territory.children") + " (\(NumberFormat.integer(model.children.count, language)))"
                }
                if model.children.isEmpty {
                    el("p") { request.t("territory.noChildren") }
                } else {
                    el("table", .class("list")) {
                        el("thead") {
                            el("tr") {
                                Components.th(request.t("territory.name"))
                                Components.th(request.t("territory.kind"))
                                Components.th("KATO")
                                Components.th(request.t("territory.childCount"), .class("num"))
                            }
                        }
                        el("tbody") {
                            for (child, count) in model.children {
                                el("tr") {
                                    el("td") { el("a", .href(SiteURL.territory(.value(child.code)).path)) { child.name[language] } }
                                    el("td") { request.t("kind.\(child.kind.rawValue)") }
                                    el("td") { el("code") { child.code.description } }
                                    el("td", .class("num")) { NumberFormat.integer(count, language) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
