import AimaqCore
import OpinionMap

/// The printable report of a discussion.
enum ReportViews {
    static func page(_ report: ReportController.Report, _ page: PageContext) -> Node {
        let discussion = report.shown.discussion
        let figures = report.figures
        let language = page.language
        let number = { (value: Int) in NumberFormat.integer(value, language) }
        let facts: [(String, String)] = [
            ("report.participants", number(figures.participants)),
            ("report.articles", number(figures.articles)),
            ("report.versions", number(figures.versions)),
            ("report.comments", number(figures.comments)),
            ("report.proposals", number(figures.proposals)),
            ("report.supports", number(figures.supports)),
            ("report.disposed", "\(number(figures.disposed)) / \(number(figures.proposals))"),
            ("report.opinions", number(figures.opinions)),
            ("report.statements", number(figures.statements)),
            ("report.votes", number(figures.votes)),
        ]
        let headings = Dictionary((report.shown.version?.document.articles ?? []).map { ($0.anchor, $0.heading) },
                                  uniquingKeysWith: { first, _ in first })
        return .fragment([
            el("h1") { page.t("report.title") },
            el("p") {
                el("strong") { discussion.title[language] }
                " — " + (discussion.territory.flatMap { page.tree[$0] }?.name[language] ?? page.t("country.name")) + " · "
                page.t("report.period", ["from": Components.dateText(discussion.schedule.opens, page),
                                         "to": Components.dateText(discussion.schedule.closes, page)])
                " "
                DiscussionViews.phaseBadge(report.shown.phase, page)
            },
            discussion.demo ? el("p", .class("demo-note")) { page.t("discussion.demo") } : .empty,
            el("ul", .class("facts")) {
                for (key, value) in facts {
                    el("li") {
                        el("span", .class("label")) { page.t(key) }
                        el("span", .class("value")) { value }
                    }
                }
            },
            regions(figures, page),
            days(figures, page),
            topProposals(report, headings: headings, page),
            dispositions(report, headings: headings, page),
            opinions(report, headings: headings, page),
            maps(report, page),
        ])
    }

    static func regions(_ figures: ReportController.Figures, _ page: PageContext) -> Node {
        let most = max(1, figures.byRegion.values.max() ?? 1)
        let regions = page.tree.regions
        return fragment {
            el("h2", .id("report-regions")) { page.t("report.byRegion") }
            TileMap.svg(regions: regions, language: page.language, title: page.t("report.byRegion"), titleID: "report-map",
                        link: { SiteURL.territory(.value($0)).path },
                        shade: { region in
                            let count = figures.byRegion[region.code.regionNumber] ?? 0
                            guard count > 0 else { return TileMap.Shade(cssClass: "tile tile-none", caption: "0") }
                            let bucket = min(4, count * 5 / (most + 1))
                            return TileMap.Shade(cssClass: "tile tile-q\(bucket)", caption: NumberFormat.integer(count, page.language))
                        })
            el("table", .class("list"), .aria("labelledby", "report-regions")) {
                el("thead") { el("tr") { Components.th(page.t("referendum.region")); Components.th(page.t("report.people"), .class("num")) } }
                el("tbody") {
                    for region in regions {
                        el("tr") {
                            el("th", Attribute("scope", "row")) { region.name[page.language] }
                            el("td", .class("num")) { NumberFormat.integer(figures.byRegion[region.code.regionNumber] ?? 0, page.language) }
                        }
                    }
                    // People whose region is not known (staff of national scope, opinion-map
                    // participants without an account who gave none): counted in the total only.
                    let unplaced = figures.participants - figures.byRegion.values.reduce(0, +)
                    if unplaced > 0 {
                        el("tr", .id("report-region-unknown")) {
                            el("th", Attribute("scope", "row")) { page.t("report.regionUnknown") }
                            el("td", .class("num")) { NumberFormat.integer(unplaced, page.language) }
                        }
                    }
                }
            }
        }
    }

    /// Activity by day: a bar chart (comments, proposals and votes stacked by height) and its table.
    static func days(_ figures: ReportController.Figures, _ page: PageContext) -> Node {
        guard !figures.byDay.isEmpty else { return .empty }
        let totals = figures.byDay.map { $0.comments + $0.proposals + $0.votes }
        let most = Double(max(1, totals.max() ?? 1))
        let barWidth = max(4, min(24, 640 / figures.byDay.count))
        let height = 160
        return fragment {
            el("h2", .id("report-days")) { page.t("report.byDay") }
            el("svg", attributes: [Attribute("viewBox", "0 0 \(barWidth * figures.byDay.count + 2) \(height + 2)"), .class("day-chart"),
                                   Attribute("role", "img"), .aria("labelledby", "report-days-title")]) {
                el("title", .id("report-days-title")) { page.t("report.byDay") }
                for (index, total) in totals.enumerated() {
                    let bar = Int((Double(total) / most * Double(height)).rounded())
                    el("rect", Attribute("x", String(index * barWidth + 1)), Attribute("y", String(height - bar + 1)),
                       Attribute("width", String(barWidth - 1)), Attribute("height", String(max(bar, 0))), .class("bar")) {
                        el("title") { Components.dateText(figures.byDay[index].day, page) + ": " + String(total) }
                    }
                }
            }
            el("table", .class("list"), .aria("labelledby", "report-days")) {
                el("thead") {
                    el("tr") {
                        Components.th(page.t("report.day"))
                        Components.th(page.t("report.comments"), .class("num"))
                        Components.th(page.t("report.proposals"), .class("num"))
                        Components.th(page.t("report.votes"), .class("num"))
                    }
                }
                el("tbody") {
                    for day in figures.byDay {
                        el("tr") {
                            el("th", Attribute("scope", "row")) { Components.dateText(day.day, page) }
                            el("td", .class("num")) { NumberFormat.integer(day.comments, page.language) }
                            el("td", .class("num")) { NumberFormat.integer(day.proposals, page.language) }
                            el("td", .class("num")) { NumberFormat.integer(day.votes, page.language) }
                        }
                    }
                }
            }
        }
    }

    static func topProposals(_ report: ReportController.Report, headings: [String: String], _ page: PageContext) -> Node {
        let top = report.proposals.filter { $0.support > 0 }.prefix(10)
        return fragment {
            el("h2") { page.t("report.topProposals") }
            if top.isEmpty {
                el("p") { page.t("proposal.none") }
            } else {
                el("ol") {
                    for proposal in top {
                        el("li") {
                            el("strong") { headings[proposal.anchor] ?? proposal.anchor }
                            ": " + proposal.wording + " — " + page.t("report.support", ["count": String(proposal.support)])
                        }
                    }
                }
            }
        }
    }

    static func dispositions(_ report: ReportController.Report, headings: [String: String], _ page: PageContext) -> Node {
        let id = report.shown.discussion.id
        return fragment {
            el("h2", .id("report-dispositions")) { page.t("proposal.table.title") }
            if report.proposals.isEmpty {
                el("p") { page.t("proposal.none") }
            } else {
                el("table", .class("list"), .aria("labelledby", "report-dispositions")) {
                    el("thead") {
                        el("tr") {
                            for key in ["proposal.table.article", "proposal.wording", "proposal.table.author", "proposal.table.support",
                                        "proposal.disposition", "proposal.reason"] {
                                Components.th(page.t(key))
                            }
                        }
                    }
                    el("tbody") {
                        for proposal in report.proposals {
                            el("tr") {
                                el("td") { headings[proposal.anchor] ?? proposal.anchor }
                                el("td") { proposal.wording }
                                el("td") { proposal.author }
                                el("td", .class("num")) { String(proposal.support) }
                                el("td") { ProposalViews.dispositionText(proposal, page) }
                                el("td") { proposal.disposition_reason ?? "" }
                            }
                        }
                    }
                }
            }
            el("p", .class("no-print")) {
                el("a", .href(SiteURL.discussionDispositions(.value(id)).path + "?format=csv")) { page.t("proposal.table.csv") }
            }
        }
    }

    static func opinions(_ report: ReportController.Report, headings: [String: String], _ page: PageContext) -> Node {
        fragment {
            el("h2") { page.t("opinion.title") }
            if report.opinions.isEmpty {
                el("p") { page.t("opinion.none") }
            } else {
                el("p") {
                    ExpertPosition.allCases.map { position in
                        page.t("opinion.position.\(position.rawValue)") + ": "
                            + String(report.opinions.filter { $0.position == position.rawValue }.count)
                    }.joined(separator: " · ")
                }
                el("ul") {
                    for opinion in report.opinions {
                        el("li") {
                            el("strong") { opinion.author }
                            ", " + opinion.affiliation + " — " + page.t("opinion.position.\(opinion.position)") + ", "
                                + (opinion.anchor.map { headings[$0] ?? $0 } ?? page.t("opinion.onWhole"))
                        }
                    }
                }
            }
        }
    }

    static func maps(_ report: ReportController.Report, _ page: PageContext) -> Node {
        fragment {
            for snapshot in report.conversations {
                el("h2") { page.t("report.map", ["title": snapshot.conversation.title[page.language]]) }
                if let map = snapshot.map, !map.groups.isEmpty {
                    el("p") {
                        page.t("report.mapFigures", ["participants": NumberFormat.integer(snapshot.participants, page.language),
                                                     "votes": NumberFormat.integer(snapshot.votes, page.language),
                                                     "groups": String(map.groups.count)])
                    }
                    el("ul") {
                        for group in map.groups {
                            el("li") {
                                el("strong") {
                                    page.t("conversation.byRegion.group", ["group": ConversationViews.letter(group.id)])
                                        + " (" + NumberFormat.integer(group.memberCount, page.language) + ")"
                                }
                                ": " + group.representativeStatements.prefix(2).map { statement in
                                    "«" + snapshot.text(statement.statementID) + "» ("
                                        + page.t(statement.stance == .agree ? "report.agree" : "report.disagree") + ")"
                                }.joined(separator: "; ")
                            }
                        }
                    }
                    if !map.consensus.agree.isEmpty {
                        el("p") {
                            page.t("report.common") + " "
                                + map.consensus.agree.prefix(3).map { "«" + snapshot.text($0.statementID) + "»" }.joined(separator: "; ")
                        }
                    }
                    el("p", .class("no-print")) {
                        el("a", .href(SiteURL.conversation(.value(snapshot.conversation.id)).path)) { page.t("report.mapLink") }
                    }
                } else {
                    el("p") { page.t("conversation.groups.none") }
                }
            }
        }
    }
}
