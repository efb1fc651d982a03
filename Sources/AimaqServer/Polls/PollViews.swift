import AimaqCore

/// The pages of consultative polls.
enum PollViews {
    struct Context {
        var poll: PollRecord
        var results: PollResults
        var open: Bool
        var choice: Int?
        var signedIn: Bool
        var mayVote: Bool
        var regions: [Territory]
    }

    static func list(_ polls: [PollRecord], today: CivilDate, mayCreate: Bool, values: [String: String], problems: [String],
                     _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("poll.list.title") },
            el("p") { page.t("poll.list.intro") },
            polls.isEmpty ? el("p") { page.t("poll.list.none") } : el("ul", .class("list")) {
                for poll in polls {
                    el("li") {
                        el("a", .href(SiteURL.poll(.value(poll.id)).path)) { poll.title[page.language] }
                        " — " + (poll.territory.flatMap { page.tree[$0] }?.name[page.language] ?? page.t("country.name")) + " "
                        status(poll, today: today, page)
                        if poll.demo { " " + page.t("referendum.demo.short") }
                    }
                }
            },
            mayCreate ? createForm(values: values, problems: problems, page) : .empty,
        ])
    }

    /// The form that opens a poll (administrators and deputies, for their territory).
    static func createForm(values: [String: String], problems: [String], _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("poll-form"), Attribute("method", "post"), Attribute("action", SiteURL.polls.path),
                                .aria("labelledby", "poll-form-title")]) {
            OpeningForm.head(id: "poll-form", heading: "poll.new", titleLabel: "poll.newTitle", values: values, problems: problems, page)
            el("label", Attribute("for", "poll-options")) { page.t("poll.newOptions") }
            el("textarea", .name("options"), .id("poll-options"), Attribute("rows", "5"), .flag("required"),
               .aria("describedby", "poll-options-hint")) { values["options"] ?? "" }
            el("p", .class("meta"), .id("poll-options-hint")) { page.t("poll.newOptionsHint") }
            OpeningForm.territoryField(id: "poll-form", values: values, page)
            el("label", Attribute("for", "poll-opens")) { page.t("poll.newOpens") }
            void("input", .type("date"), .name("opens"), .id("poll-opens"), .flag("required"), .value(values["opens"] ?? ""))
            el("label", Attribute("for", "poll-closes")) { page.t("poll.newCloses") }
            void("input", .type("date"), .name("closes"), .id("poll-closes"), .flag("required"), .value(values["closes"] ?? ""))
            el("button", .type("submit")) { page.t("poll.create") }
        }
    }

    static func status(_ poll: PollRecord, today: CivilDate, _ page: PageContext) -> Node {
        el("span", .class("status")) {
            poll.isOpen(on: today) ? page.t("conversation.openUntil", ["date": Components.dateText(poll.closes, page)])
                : page.t("poll.closedOn", ["date": Components.dateText(poll.closes, page)])
        }
    }

    static func share(_ count: Int, of total: Int) -> Double? { total > 0 ? Double(count) / Double(total) : nil }

    static func page(_ context: Context, _ page: PageContext) -> Node {
        let poll = context.poll
        let results = context.results
        let id = poll.id
        return .fragment([
            el("h1") { poll.title[page.language] },
            el("p") {
                (poll.territory.flatMap { page.tree[$0] }?.name[page.language] ?? page.t("country.name")) + " · "
                el("span", .class("status")) {
                    context.open ? page.t("conversation.openUntil", ["date": Components.dateText(poll.closes, page)])
                        : page.t("poll.closedOn", ["date": Components.dateText(poll.closes, page)])
                }
                if poll.demo { " " + page.t("poll.demo") }
            },
            el("p", .class("meta")) { page.t("poll.consultative") },
            votePart(context, page),
            el("h2", .id("results")) { page.t("poll.results", ["count": NumberFormat.integer(results.voters, page.language)]) },
            el("table", .class("list"), .aria("labelledby", "results")) {
                el("thead") { el("tr") { Components.th(page.t("poll.option")); Components.th(page.t("poll.votes"), .class("num"));
                                         Components.th(page.t("poll.share"), .class("num")) } }
                el("tbody") {
                    for (index, option) in poll.options.enumerated() {
                        el("tr") {
                            el("th", Attribute("scope", "row")) { option[page.language] }
                            el("td", .class("num")) { NumberFormat.integer(results.total[index], page.language) }
                            el("td", .class("num")) { Components.percent(share(results.total[index], of: results.voters)) }
                        }
                    }
                }
            },
            results.byRegion.isEmpty ? .empty : fragment {
                el("h2", .id("poll-regions")) { page.t("poll.byRegion") }
                TileMap.svg(regions: context.regions, language: page.language,
                            title: page.t("poll.map", ["option": poll.options.first?[page.language] ?? ""]), titleID: "poll-map",
                            link: { SiteURL.territory(.value($0)).path },
                            shade: { region in
                                guard let counts = results.byRegion[region.code.regionNumber], let value = share(counts[0], of: counts.reduce(0, +))
                                else { return TileMap.Shade(cssClass: "tile tile-none", caption: "—") }
                                return TileMap.Shade(cssClass: "tile tile-q\(min(4, Int(value * 5)))", caption: Components.percent(value))
                            })
                el("table", .class("list"), .aria("labelledby", "poll-regions")) {
                    el("thead") {
                        el("tr") {
                            Components.th(page.t("referendum.region"))
                            Components.th(page.t("poll.voters"), .class("num"))
                            for option in poll.options { Components.th(option[page.language], .class("num")) }
                        }
                    }
                    el("tbody") {
                        for region in context.regions {
                            if let counts = results.byRegion[region.code.regionNumber] {
                                let total = counts.reduce(0, +)
                                el("tr") {
                                    el("th", Attribute("scope", "row")) { region.name[page.language] }
                                    el("td", .class("num")) { NumberFormat.integer(total, page.language) }
                                    for count in counts { el("td", .class("num")) { Components.percent(share(count, of: total)) } }
                                }
                            }
                        }
                    }
                }
            },
            el("p") { el("a", .href(SiteURL.pollResults(.value(id)).path)) { page.t("poll.csv") } },
        ])
    }

    static func votePart(_ context: Context, _ page: PageContext) -> Node {
        if let choice = context.choice, context.poll.options.indices.contains(choice) {
            return el("p", .class("notice"), .id("poll-voted")) {
                page.t("poll.voted", ["option": context.poll.options[choice][page.language]])
            }
        }
        guard context.open else { return el("p") { page.t("poll.error.closed") } }
        guard context.mayVote else { return el("p") { page.t(context.signedIn ? "conversation.notYourTerritory" : "poll.signIn") } }
        return el("form", attributes: [.class("stack"), .id("poll-form"), Attribute("method", "post"),
                                       Attribute("action", SiteURL.pollVote(.value(context.poll.id)).path)]) {
            csrfField(page)
            el("fieldset") {
                el("legend") { page.t("poll.choose") }
                for (index, option) in context.poll.options.enumerated() {
                    el("label") {
                        void("input", .type("radio"), .name("option"), .value(String(index)), .flag("required"))
                        " " + option[page.language]
                    }
                }
            }
            el("button", .type("submit")) { page.t("poll.send") }
        }
    }
}
