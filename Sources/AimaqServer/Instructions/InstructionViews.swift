import AimaqCore
import Foundation
import Vapor

enum InstructionViews {
    /// The territory's name; lists read the tree once and pass it to every row.
    static func territoryName(_ code: Int, in tree: TerritoryTree, _ language: Language) -> String {
        guard let kato = try? KATOCode(number: code), let territory = tree[kato] else { return String(code) }
        return territory.name[language]
    }

    static func bodyName(_ id: Int?, _ request: Request) -> String {
        guard let id, let body = request.aimaq.bodies.body(id) else { return "—" }
        return body.name[request.language]
    }

    static func statusBadge(_ status: String, deadline: String, today: CivilDate, _ request: Request) -> Node {
        let parsed = AssignmentStatus(rawValue: status) ?? .registered
        let overdue = (try? CivilDate(deadline)).map { parsed.isOverdue(deadline: $0, today: today) } ?? false
        return statusBadge(parsed, overdue: overdue, request)
    }

    static func statusBadge(_ status: AssignmentStatus, overdue: Bool, _ request: Request) -> Node {
        fragment {
            el("span", .class("status status-\(status.rawValue)")) { request.t("status.\(status.rawValue)") }
            if overdue { el("span", .class("status status-overdue")) { request.t("status.overdue") } }
        }
    }

    // MARK: Register

    static func register(rows: [RegisterRow], total: Int, filter: RegisterFilter, paging: Paging,
                         sources: [RegisterSnapshot.Source], _ request: Request) -> Node {
        let tree = request.tree
        let today = InstructionController.today(request)
        let query = filter.query
        return fragment {
            el("h1") { request.t("register.title") }
            el("form", Attribute("method", "get"), Attribute("action", SiteURL.register.path), .class("filters"),
               Attribute("role", "search"), .aria("label", request.t("register.filters"))) {
                el("label") {
                    request.t("register.source")
                    el("select", .name("source")) {
                        Components.option("", request.t("register.any"), selected: filter.source == nil)
                        for source in sources {
                            Components.option(String(source.id), "\(source.date) · \(source.title.prefix(60))", selected: filter.source == source.id)
                        }
                    }
                }
                el("label") {
                    request.t("register.status")
                    el("select", .name("status")) {
                        Components.option("", request.t("register.any"), selected: filter.status == nil)
                        for status in AssignmentStatus.allCases {
                            Components.option(status.rawValue, request.t("status.\(status.rawValue)"), selected: filter.status == status)
                        }
                    }
                }
                el("label") {
                    request.t("register.category")
                    el("select", .name("category")) {
                        Components.option("", request.t("register.any"), selected: filter.category == nil)
                        for category in InstructionCategory.allCases {
                            Components.option(category.rawValue, request.t("category.\(category.rawValue)"), selected: filter.category == category)
                        }
                    }
                }
                el("label") {
                    request.t("register.territoryCode")
                    void("input", .name("territory"), .type("text"), Attribute("inputmode", "numeric"),
                         Attribute("pattern", "[0-9]{9}"), .value(filter.territory?.description ?? ""))
                }
                el("label") {
                    request.t("register.bodyNumber")
                    void("input", .name("body"), .type("number"), .value(filter.body.map(String.init) ?? ""))
                }
                el("label") {
                    request.t("register.dueWithin")
                    void("input", .name("due_within"), .type("number"), Attribute("min", "0"), .value(filter.dueWithin.map(String.init) ?? ""))
                }
                el("label", .class("check")) {
                    if filter.overdue {
                        void("input", .name("overdue"), .type("checkbox"), .value("true"), .flag("checked"))
                    } else {
                        void("input", .name("overdue"), .type("checkbox"), .value("true"))
                    }
                    request.t("register.overdueOnly")
                }
                el("label") {
                    request.t("register.sort")
                    el("select", .name("sort")) {
                        for sort in RegisterFilter.Sort.allCases {
                            Components.option(sort.rawValue, request.t("sort.\(sort == .deadlineDescending ? "deadlineDescending" : sort.rawValue)"), selected: filter.sort == sort)
                        }
                    }
                }
                el("button", .type("submit")) { request.t("register.apply") }
            }
            el("p", .class("meta")) {
                request.t("register.count", ["n": NumberFormat.integer(total, request.language)])
                " · "
                el("a", .href(SiteURL.registerExport.link(SiteQuery([(.format, "csv")] + filter.pairs)))) { "CSV" }
                " · "
                el("a", .href(SiteURL.registerExport.link(SiteQuery([(.format, "json")] + filter.pairs)))) { "JSON" }
            }
            el("table", .class("list register")) {
                el("thead") {
                    el("tr") {
                        Components.th(request.t("register.point"))
                        Components.th(request.t("register.instruction"))
                        Components.th(request.t("register.territory"))
                        Components.th(request.t("register.body"))
                        Components.th(request.t("register.deadline"))
                        Components.th(request.t("register.status"))
                        Components.th(request.t("register.completion"), .class("num"))
                    }
                }
                el("tbody") {
                    for row in rows {
                        el("tr") {
                            el("td") { el("a", .href(SiteURL.assignment(.value(row.id)).path)) { row.point } }
                            el("td") { el("a", .href(SiteURL.instruction(.value(row.instructionID)).path)) { String(row.text.prefix(140)) } }
                            el("td") { territoryName(row.territory, in: tree, request.language) }
                            el("td") { bodyName(row.bodyID, request) }
                            el("td") { row.deadline }
                            el("td") { statusBadge(row.status, deadline: row.deadline, today: today, request) }
                            el("td", .class("num")) { Components.percent(row.completion) }
                        }
                    }
                }
            }
            Components.pager(total: total, paging: paging, request) {
                SiteURL.register.link(query.adding(.page, $0).adding(.per, paging.per))
            }
        }
    }

    // MARK: Instruction

    static func instruction(_ detail: InstructionQueries.InstructionDetail, today: CivilDate, _ request: Request) -> Node {
        let i = detail.instruction
        let tree = request.tree
        let items = detail.assignments.compactMap { a -> (territory: KATOCode, item: Completion.Weighted)? in
            guard let code = try? KATOCode(number: a.territory), let completion = a.completion else { return nil }
            return (code, Completion.Weighted(completion: completion, weight: a.weight))
        }
        let rolled = Completion.rollUp(byTerritory: items, tree: tree)
        let overall = Completion.rollUp(items.map(\.item))
        return fragment {
            el("h1") { "\(i.point). \(i.text)" }
            el("ul", .class("facts")) {
                fact(request.t("instruction.source"), "\(request.t("source.\(detail.source.kind)")) · \(detail.source.date) · \(detail.source.title)")
                fact(request.t("register.category"), request.t("category.\(i.category)"))
                fact(request.t("instruction.lead"), bodyName(i.leadBodyID, request))
                if let co = i.coExecutors, !co.isEmpty { fact(request.t("instruction.coExecutors"), co) }
                fact(request.t("register.deadline"), i.deadline)
                fact(request.t("instruction.period"), request.t("period.\(i.period)"))
                if let form = i.completionForm { fact(request.t("instruction.form"), form) }
                fact(request.t("register.completion"), Components.percent(overall))
            }
            if !detail.indicators.isEmpty {
                el("h2") { request.t("instruction.indicators") }
                el("ul") {
                    for indicator in detail.indicators {
                        el("li") { "\(indicator.name): \(NumberFormat.decimal(indicator.target, request.language)) \(indicator.unit)" }
                    }
                }
            }
            el("h2") { request.t("instruction.map") }
            TileMap.svg(regions: tree.regions, language: request.language, title: request.t("instruction.map"),
                        link: { SiteURL.register.link((.instruction, String(i.id ?? 0)), (.territory, $0.description)) },
                        shade: { region in
                            guard let figure = rolled[region.code] else { return TileMap.Shade(cssClass: "tile tile-none", caption: "—") }
                            let bucket = min(4, Int(figure.completion * 5))
                            return TileMap.Shade(cssClass: "tile tile-q\(bucket)", caption: Components.percent(figure.completion))
                        })
            el("p", .class("legend")) {
                for bucket in 0..<5 {
                    el("span", .class("swatch tile-q\(bucket)")) { "" }
                    " \(bucket * 20)–\(bucket * 20 + 20)%  "
                }
            }
            el("h2") { request.t("instruction.assignments") + " (\(detail.assignments.count))" }
            el("table", .class("list")) {
                el("thead") {
                    el("tr") {
                        Components.th(request.t("register.territory")); Components.th(request.t("register.body")); Components.th(request.t("register.deadline"))
                        Components.th(request.t("register.status")); Components.th(request.t("register.completion"), .class("num"))
                    }
                }
                el("tbody") {
                    for a in detail.assignments {
                        el("tr") {
                            el("td") { el("a", .href(SiteURL.assignment(.value(a.id)).path)) { territoryName(a.territory, in: tree, request.language) } }
                            el("td") { bodyName(a.bodyID, request) }
                            el("td") { a.deadline.description }
                            el("td") { statusBadge(a.status, overdue: a.isOverdue(today: today), request) }
                            el("td", .class("num")) { Components.percent(a.completion) }
                        }
                    }
                }
            }
            el("h2") { request.t("instruction.history") }
            history(detail.history, request)
        }
    }

    static func fact(_ label: String, _ value: String) -> Node {
        el("li") { el("span", .class("label")) { label }; el("span", .class("value")) { value } }
    }

    static func history(_ events: [HistoryEntry], _ request: Request) -> Node {
        if events.isEmpty { return el("p") { request.t("instruction.noHistory") } }
        return el("table", .class("list history")) {
            el("thead") {
                el("tr") {
                    Components.th(request.t("history.when")); Components.th(request.t("history.who")); Components.th(request.t("history.event"))
                    Components.th(request.t("history.status")); Components.th(request.t("history.reason"))
                }
            }
            el("tbody") {
                for event in events {
                    el("tr") {
                        el("td") { Components.time(event.at, request) }
                        el("td") { Components.person(event.actor, role: event.actorRole, request) }
                        el("td") { request.t("event.\(event.event)") + (event.deadline.map { " → \($0)" } ?? "") }
                        el("td") {
                            (event.fromStatus.map { request.t("status.\($0)") + " → " } ?? "") + request.t("status.\(event.toStatus)")
                        }
                        el("td") { event.reason ?? "" }
                    }
                }
            }
        }
    }

    // MARK: Assignment

    static func assignment(_ d: InstructionQueries.AssignmentDetail, today: CivilDate, _ request: Request) -> Node {
        let tree = request.tree
        let a = d.assignment
        let id = a.id ?? 0
        let territory = a.territory
        let status = a.status
        let period = ReportingPeriod(rawValue: d.instruction.period) ?? .once
        let actor = request.actor
        let canReport = territory.map { AccessPolicy.allows(InstructionController.reportAction(a, $0, request), for: actor) } ?? false
        let canReview = territory.map { AccessPolicy.allows(.reviewReport(territory: $0), for: actor) } ?? false
        let canManage = territory.map { AccessPolicy.allows(.manageAssignment(territory: $0), for: actor) } ?? false
        let evidenceVisible = territory.map {
            AccessPolicy.allows(.viewEvidence(territory: $0, isPublic: d.instruction.isPublic && a.evidencePublic), for: actor)
        } ?? false
        var latest: [Int: Double] = [:]
        for value in d.reports.first?.values ?? [] { latest[value.indicatorID] = value.value }
        return fragment {
            el("h1") { request.t("assignment.title", ["id": String(id)]) }
            el("p", .class("lead")) {
                el("a", .href(SiteURL.instruction(.value(d.instruction.id ?? 0)).path)) { "\(d.instruction.point). \(d.instruction.text)" }
            }
            el("ul", .class("facts")) {
                fact(request.t("register.territory"), territoryName(a.territoryID, in: tree, request.language))
                fact(request.t("register.body"), bodyName(a.bodyID, request))
                fact(request.t("register.deadline"), a.deadline)
                el("li") { el("span", .class("label")) { request.t("register.status") }; el("span", .class("value")) { statusBadge(a.statusName, deadline: a.deadline, today: today, request) } }
                fact(request.t("register.completion"), Components.percent(a.completion))
                fact(request.t("instruction.period"), request.t("period.\(d.instruction.period)"))
            }
            if !d.indicators.isEmpty {
                el("h2") { request.t("instruction.indicators") }
                el("table", .class("list")) {
                    el("thead") { el("tr") { Components.th(request.t("indicator.name")); Components.th(request.t("indicator.target"), .class("num")); Components.th(request.t("indicator.actual"), .class("num")) } }
                    el("tbody") {
                        for indicator in d.indicators {
                            el("tr") {
                                el("td") { "\(indicator.name), \(indicator.unit)" }
                                el("td", .class("num")) { NumberFormat.decimal(indicator.target, request.language) }
                                el("td", .class("num")) { latest[indicator.id ?? 0].map { NumberFormat.decimal($0, request.language) } ?? "—" }
                            }
                        }
                    }
                }
            }
            el("h2") { request.t("assignment.reports") + " (\(d.reports.count))" }
            if d.reports.isEmpty { el("p") { request.t("assignment.noReports") } }
            for report in d.reports {
                el("article", .class("report")) {
                    el("h3") { "\(report.report.period) · \(request.t("reportState.\(report.report.state.rawValue)"))" }
                    el("p", .class("meta")) {
                        Components.person(report.report.author, role: report.report.authorRole, request) + " · "
                        Components.time(report.report.submittedAt, request)
                    }
                    el("p", .class("report-text")) { report.report.text }
                    if !report.files.isEmpty {
                        el("ul", .class("files")) {
                            for file in report.files {
                                el("li") {
                                    if evidenceVisible {
                                        el("a", .href(SiteURL.evidence(.value(file.id ?? 0)).path)) { file.fileName }
                                    } else {
                                        file.fileName + " (" + request.t("evidence.restricted") + ")"
                                    }
                                    " · \(max(1, file.size / 1024)) KB"
                                }
                            }
                        }
                    }
                    for review in report.reviews {
                        el("p", .class("review review-\(review.decision)")) {
                            request.t("review.\(review.decision)") + " · " + Components.person(review.reviewer, role: review.reviewerRole, request) + " · "
                            Components.time(review.at, request)
                            if let remarks = review.remarks { ": " + remarks }
                        }
                    }
                }
            }
            if canReport, (try? status.applying(.submitReport)) != nil {
                reportForm(id: id, indicators: d.indicators, period: period.label(for: today), request)
            }
            if canReview, status == .reportSubmitted {
                reviewForm(id: id, periodic: period != .once,
                           evidencePublic: d.instruction.isPublic ? a.evidencePublic : nil, request)
            }
            if canManage, !status.isFinal {
                manageForms(id: id, request)
                if let code = a.territory {
                    let taken = Set(d.children.map(\.territoryID))
                    let free = tree.children(of: code).filter { !taken.contains($0.code.value) }
                    if !free.isEmpty { splitForm(id: id, free: free, latest: a.deadline, request) }
                }
            }
            if !d.children.isEmpty {
                el("h2") { request.t("assignment.children") }
                el("ul") {
                    for child in d.children {
                        el("li") {
                            el("a", .href(SiteURL.assignment(.value(child.id ?? 0)).path)) { territoryName(child.territoryID, in: tree, request.language) }
                            " · " + request.t("status.\(child.statusName)") + " · " + Components.percent(child.completion)
                        }
                    }
                }
            }
            el("h2") { request.t("instruction.history") }
            history(d.history, request)
        }
    }

    static func reportForm(id: Int, indicators: [IndicatorRecord], period: String, _ request: Request) -> Node {
        // Multipart forms carry the token in the address: the body is read only after the check.
        let action = SiteURL.assignmentReports(.value(id)).link((.csrf, request.csrfToken))
        return el("form", Attribute("method", "post"), Attribute("action", action), Attribute("enctype", "multipart/form-data"),
                  .class("stack"), .id("report-form"), .aria("labelledby", "report-heading")) {
            el("h2", .id("report-heading")) { request.t("report.new") }
            el("label", Attribute("for", "period")) { request.t("report.period") }
            void("input", .id("period"), .name("period"), .type("text"), .value(period))
            el("label", Attribute("for", "text")) { request.t("report.text") }
            el("textarea", .id("text"), .name("text"), Attribute("rows", "6"), .flag("required")) { "" }
            for indicator in indicators {
                el("label", Attribute("for", "value-\(indicator.id ?? 0)")) { "\(indicator.name), \(indicator.unit)" }
                void("input", .id("value-\(indicator.id ?? 0)"), .name("value_\(indicator.id ?? 0)"), .type("text"), Attribute("inputmode", "decimal"))
            }
            el("label", Attribute("for", "files")) { request.t("report.files") }
            void("input", .id("files"), .name("files[]"), .type("file"), .flag("multiple"),
                 Attribute("accept", EvidenceStore.allowedTypes.keys.sorted().map { "." + $0 }.joined(separator: ",")))
            el("button", .type("submit")) { request.t("report.submit") }
        }
    }

    /// `evidencePublic` is the current choice for a public instruction (nil: never published).
    static func reviewForm(id: Int, periodic: Bool, evidencePublic: Bool?, _ request: Request) -> Node {
        el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentReview(.value(id)).path), .class("stack"),
           .id("review-form"), .aria("labelledby", "review-heading")) {
            el("h2", .id("review-heading")) { request.t("review.title") }
            csrfField(request)
            el("label", Attribute("for", "remarks")) { request.t("review.remarks") }
            el("textarea", .id("remarks"), .name("remarks"), Attribute("rows", "3")) { "" }
            if periodic {
                el("label", .class("check")) {
                    void("input", .name("final"), .type("checkbox"), .value("true"))
                    request.t("review.final")
                }
            }
            if let evidencePublic {
                el("fieldset") {
                    el("legend") { request.t("review.evidence") }
                    el("label", .class("check")) {
                        Node.void("input", [.name("evidence"), .type("radio"), .value("public")]
                            + (evidencePublic ? [.flag("checked")] : []))
                        request.t("review.evidence.public")
                    }
                    el("label", .class("check")) {
                        Node.void("input", [.name("evidence"), .type("radio"), .value("restricted")]
                            + (evidencePublic ? [] : [.flag("checked")]))
                        request.t("review.evidence.restricted")
                    }
                }
            }
            el("div", .class("buttons")) {
                el("button", .type("submit"), .name("decision"), .value("accept")) { request.t("review.acceptButton") }
                el("button", .type("submit"), .name("decision"), .value("return"), .class("secondary")) { request.t("review.returnButton") }
            }
        }
    }

    /// Hands the assignment down to territories directly below it that have none yet.
    static func splitForm(id: Int, free: [Territory], latest: String, _ request: Request) -> Node {
        el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentSplit(.value(id)).path), .class("stack"),
           .id("split-form"), .aria("labelledby", "split-heading")) {
            el("h2", .id("split-heading")) { request.t("split.title") }
            csrfField(request)
            el("fieldset") {
                el("legend") { request.t("split.territories") }
                for territory in free {
                    el("label", .class("check")) {
                        void("input", .type("checkbox"), .name("territories[]"), .value(territory.code.description))
                        " " + territory.name[request.language]
                    }
                }
            }
            el("label", Attribute("for", "split-deadline")) { request.t("split.deadline", ["date": latest]) }
            void("input", .id("split-deadline"), .name("deadline"), .type("date"), Attribute("max", latest), .flag("required"))
            el("button", .type("submit")) { request.t("split.submit") }
        }
    }

    static func manageForms(id: Int, _ request: Request) -> Node {
        fragment {
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentExtend(.value(id)).path), .class("stack"),
               .id("extend-form"), .aria("labelledby", "extend-heading")) {
                el("h2", .id("extend-heading")) { request.t("extend.title") }
                csrfField(request)
                el("label", Attribute("for", "deadline")) { request.t("extend.deadline") }
                void("input", .id("deadline"), .name("deadline"), .type("date"), .flag("required"))
                el("label", Attribute("for", "extend-reason")) { request.t("extend.reason") }
                void("input", .id("extend-reason"), .name("reason"), .type("text"), .flag("required"))
                el("button", .type("submit")) { request.t("extend.submit") }
            }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentRemove(.value(id)).path), .class("stack"),
               .id("remove-form"), .aria("labelledby", "remove-heading")) {
                el("h2", .id("remove-heading")) { request.t("remove.title") }
                csrfField(request)
                el("label", Attribute("for", "remove-reason")) { request.t("extend.reason") }
                void("input", .id("remove-reason"), .name("reason"), .type("text"), .flag("required"))
                el("button", .type("submit"), .class("secondary")) { request.t("remove.submit") }
            }
        }
    }
}
