import AimaqCore

/// The pages of referendums: the list, and a referendum's verdict, totals, maps and table.
enum ReferendumViews {
    /// `part / whole` as a percentage with two decimals ("73.12"), or "" when nothing to share.
    static func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "" }
        let hundredths = (part * 10_000 + whole / 2) / whole
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction)"
    }

    static func percent(_ part: Int, of whole: Int, _ page: PageContext) -> String {
        guard whole > 0 else { return "—" }
        return NumberFormat.decimal(Double(part) * 100 / Double(whole), page.language) + "%"
    }

    static func list(_ referendums: [ReferendumRecord], _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("referendum.list.title") },
            referendums.isEmpty
                ? el("p") { page.t("referendum.list.none") }
                : el("ul", .class("list")) {
                    for referendum in referendums {
                        el("li") {
                            el("a", .href(SiteURL.referendum(.value(referendum.id)).path)) { referendum.title[page.language] }
                            " (" + referendum.heldOn + ")"
                            if referendum.demo { " " + page.t("referendum.demo.short") }
                        }
                    }
                },
        ])
    }

    static func page(_ counted: ReferendumController.Counted, _ page: PageContext) -> Node {
        let referendum = counted.referendum
        let national = counted.results.national
        let base = referendum.rules.passBase
        let tree = page.tree
        let regions = Dictionary(counted.results.regions(of: tree).map { ($0.code, $0.tally) }, uniquingKeysWith: { first, _ in first })
        return .fragment([
            el("h1") { referendum.title[page.language] },
            el("p", .class("lead")) { referendum.question[page.language] },
            el("p") { page.t("referendum.heldOn", ["date": referendum.heldOn]) },
            referendum.demo ? el("p", .class("notice")) { page.t("referendum.demo") } : .empty,
            progress(counted, page),
            el("h2") { page.t("referendum.verdict") },
            el("p", .class(counted.verdict.passed ? "verdict passed" : "verdict failed")) {
                counted.verdict.passed ? page.t("referendum.verdict.passed")
                    : counted.verdict.valid ? page.t("referendum.verdict.rejected") : page.t("referendum.verdict.invalid")
            },
            el("ul", .class("checks")) {
                for check in counted.verdict.checks {
                    el("li", .class(check.holds ? "holds" : "fails")) {
                        (check.holds ? "✓ " : "✗ ") + checkText(check, base: base, page)
                        if !check.against.isEmpty {
                            " " + page.t("referendum.check.against", ["regions": check.against.compactMap { tree[$0]?.name[page.language] }
                                .joined(separator: ", ")])
                        }
                    }
                }
            },
            el("h2") { page.t("referendum.totals") },
            el("table", .class("list")) {
                el("tbody") {
                    row(page.t("referendum.eligible"), NumberFormat.integer(national.eligible, page.language))
                    row(page.t("referendum.participants"), NumberFormat.integer(national.participants, page.language)
                        + " (" + percent(national.participants, of: national.eligible, page) + ")")
                    row(page.t("referendum.yes"), NumberFormat.integer(national.answers.first ?? 0, page.language)
                        + " (" + percent(national.answers.first ?? 0, of: base.base(of: national), page) + ")")
                    row(page.t("referendum.no"), NumberFormat.integer(national.answers.dropFirst().first ?? 0, page.language))
                    row(page.t("referendum.invalid"), NumberFormat.integer(national.invalid, page.language))
                }
            },
            el("h2") { page.t("referendum.map.yes") },
            TileMap.svg(regions: tree.regions, language: page.language, title: page.t("referendum.map.yes"), titleID: "map-yes",
                        link: { SiteURL.territory(.value($0)).path },
                        shade: { region in
                            guard let tally = regions[region.code], base.base(of: tally) > 0 else {
                                return TileMap.Shade(cssClass: "tile tile-none", caption: "—")
                            }
                            let yes = tally.answers.first ?? 0
                            return TileMap.Shade(cssClass: "tile tile-q\(bucket(yes, of: base.base(of: tally), from: 50))",
                                                 caption: percent(yes, of: base.base(of: tally), page))
                        }),
            el("h2") { page.t("referendum.map.turnout") },
            TileMap.svg(regions: tree.regions, language: page.language, title: page.t("referendum.map.turnout"), titleID: "map-turnout",
                        link: { SiteURL.territory(.value($0)).path },
                        shade: { region in
                            guard let tally = regions[region.code], tally.eligible > 0 else {
                                return TileMap.Shade(cssClass: "tile tile-none", caption: "—")
                            }
                            return TileMap.Shade(cssClass: "tile tile-q\(bucket(tally.participants, of: tally.eligible, from: 30))",
                                                 caption: percent(tally.participants, of: tally.eligible, page))
                        }),
            el("h2", .id("by-region")) { page.t("referendum.byRegion") },
            el("table", .class("list"), .aria("labelledby", "by-region")) {
                el("thead") {
                    el("tr") {
                        for key in ["referendum.region", "referendum.eligible", "referendum.turnout", "referendum.yes", "referendum.no",
                                    "referendum.invalid"] {
                            el("th", Attribute("scope", "col")) { page.t(key) }
                        }
                    }
                }
                el("tbody") {
                    for region in tree.regions {
                        if let tally = regions[region.code] {
                            el("tr") {
                                el("th", Attribute("scope", "row")) {
                                    el("a", .href(SiteURL.territory(.value(region.code)).path)) { region.name[page.language] }
                                }
                                el("td") { NumberFormat.integer(tally.eligible, page.language) }
                                el("td") { percent(tally.participants, of: tally.eligible, page) }
                                el("td") { percent(tally.answers.first ?? 0, of: base.base(of: tally), page) }
                                el("td") { NumberFormat.integer(tally.answers.dropFirst().first ?? 0, page.language) }
                                el("td") { NumberFormat.integer(tally.invalid, page.language) }
                            }
                        }
                    }
                }
            },
            el("p") {
                el("a", .href(SiteURL.referendumResults(.value(referendum.id)).path)) { page.t("referendum.csv") }
            },
            entryForm(counted, page),
        ])
    }

    /// How far counting has come against the imported electorate.
    static func progress(_ counted: ReferendumController.Counted, _ page: PageContext) -> Node {
        guard let progress = counted.progress else { return .empty }
        return fragment {
            el("h2", .id("progress")) { page.t("referendum.progress") }
            el("p") {
                page.t("referendum.progress.text", [
                    "reported": NumberFormat.integer(progress.reported, page.language),
                    "expected": NumberFormat.integer(progress.expected, page.language),
                    "share": Components.percent(progress.eligibleTotal > 0
                        ? Double(progress.eligibleReported) / Double(progress.eligibleTotal) : nil),
                ])
            }
            if !progress.complete { el("p", .class("notice")) { page.t("referendum.progress.provisional") } }
        }
    }

    /// A commission's protocol, entered by an administrator whose scope holds the territory.
    static func entryForm(_ counted: ReferendumController.Counted, _ page: PageContext) -> Node {
        guard !counted.enterable.isEmpty else { return .empty }
        return el("form", attributes: [.class("stack"), .id("protocol-form"), Attribute("method", "post"),
                                       Attribute("action", SiteURL.referendumProtocol(.value(counted.referendum.id)).path)]) {
            el("h2") { page.t("referendum.entry.title") }
            csrfField(page)
            el("label", Attribute("for", "protocol-kato")) { page.t("referendum.region") }
            el("select", .id("protocol-kato"), .name("kato")) {
                for territory in counted.enterable {
                    el("option", .value(territory.code.description)) {
                        territory.name[page.language] + (counted.entered[territory.code] == nil ? "" : " ✓")
                    }
                }
            }
            for (name, key) in [("eligible", "referendum.eligible"), ("participants", "referendum.participants"), ("yes", "referendum.yes"),
                                ("no", "referendum.no"), ("invalid", "referendum.invalid")] {
                el("label", Attribute("for", "protocol-\(name)")) { page.t(key) }
                void("input", .id("protocol-\(name)"), .name(name), .type("number"), Attribute("min", "0"), .flag("required"))
            }
            el("button", .type("submit")) { page.t("referendum.entry.send") }
        }
    }

    /// Five shades from `from` percent up to 100.
    static func bucket(_ part: Int, of whole: Int, from: Int) -> Int {
        let percent = part * 100 / max(1, whole)
        guard percent > from else { return 0 }
        return min(4, (percent - from) * 5 / max(1, 100 - from))
    }

    private static func row(_ label: String, _ value: String) -> Node {
        el("tr") {
            el("th", Attribute("scope", "row")) { label }
            el("td") { value }
        }
    }

    static func checkText(_ check: Verdict.Check, base: PassBase, _ page: PageContext) -> String {
        switch check.rule {
        case .turnout:
            page.t("referendum.check.turnout", ["count": NumberFormat.integer(check.count, page.language),
                                                "base": NumberFormat.integer(check.base, page.language),
                                                "share": percent(check.count, of: check.base, page), "needed": check.needed])
        case .pass:
            page.t("referendum.check.pass", ["count": NumberFormat.integer(check.count, page.language),
                                             "base": NumberFormat.integer(check.base, page.language),
                                             "share": percent(check.count, of: check.base, page), "needed": check.needed,
                                             "of": page.t("referendum.base.\(base.rawValue)")])
        case .regions:
            page.t("referendum.check.regions", ["count": String(check.count), "base": String(check.base), "needed": check.needed])
        }
    }
}
