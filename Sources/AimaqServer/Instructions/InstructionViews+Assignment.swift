import AimaqCore
import Foundation
import Vapor

/// An assignment's page and the forms of its actions.
extension InstructionViews {
    static func assignment(_ d: InstructionQueries.AssignmentDetail, today: CivilDate, _ page: PageContext) -> Node {
        let tree = page.tree
        let a = d.assignment
        let id = a.id ?? 0
        let territory = a.territory
        let status = a.status
        let period = ReportingPeriod(rawValue: d.instruction.period) ?? .once
        let actor = page.actor
        let canReport = territory.map { AccessPolicy.allows(AssignmentWorkflow.reportAction(a, $0, page.bodies), for: actor) } ?? false
        let canReview = territory.map { AccessPolicy.allows(.reviewReport(territory: $0), for: actor) } ?? false
        let canManage = territory.map { AccessPolicy.allows(.manageAssignment(territory: $0), for: actor) } ?? false
        let evidenceVisible = territory.map {
            AccessPolicy.allows(.viewEvidence(territory: $0, isPublic: d.instruction.isPublic && a.evidencePublic), for: actor)
        } ?? false
        var latest: [Int: Double] = [:]
        for value in d.reports.first?.values ?? [] { latest[value.indicatorID] = value.value }
        return fragment {
            el("h1") { page.t("assignment.title", ["id": String(id)]) }
            el("p", .class("lead")) {
                el("a", .href(SiteURL.instruction(.value(d.instruction.id)).path)) { "\(d.instruction.point). \(d.instruction.text)" }
            }
            el("ul", .class("facts")) {
                fact(page.t("register.territory"), territoryName(a.territoryID, in: tree, page.language))
                fact(page.t("register.body"), bodyName(a.bodyID, page))
                fact(page.t("register.deadline"), a.deadline)
                el("li") { el("span", .class("label")) { page.t("register.status") }; el("span", .class("value")) { statusBadge(a.statusName, deadline: a.deadline, today: today, page) } }
                fact(page.t("register.completion"), Components.percent(a.completion))
                fact(page.t("instruction.period"), page.t("period.\(d.instruction.period)"))
            }
            if d.asksRoadMap {
                roadMap(d, today: today, canGive: canReport && !status.isFinal && a.parentID == nil, page)
            }
            if !d.instruction.indicators.isEmpty {
                el("h2") { page.t("instruction.indicators") }
                el("table", .class("list")) {
                    el("thead") { el("tr") { Components.th(page.t("indicator.name")); Components.th(page.t("indicator.target"), .class("num")); Components.th(page.t("indicator.actual"), .class("num")) } }
                    el("tbody") {
                        for indicator in d.instruction.indicators {
                            el("tr") {
                                el("td") { "\(indicator.name), \(indicator.unit)" }
                                el("td", .class("num")) { NumberFormat.decimal(indicator.target, page.language) }
                                el("td", .class("num")) { latest[indicator.id].map { NumberFormat.decimal($0, page.language) } ?? "—" }
                            }
                        }
                    }
                }
            }
            el("h2") { page.t("assignment.reports") + " (\(d.reports.count))" }
            if d.reports.isEmpty { el("p") { page.t("assignment.noReports") } }
            for report in d.reports {
                el("article", .class("report")) {
                    el("h3") { "\(report.report.period) · \(page.t("reportState.\(report.report.state.rawValue)"))" }
                    el("p", .class("meta")) {
                        Components.person(report.report.author, role: report.report.authorRole, page) + " · "
                        Components.time(report.report.submittedAt, page)
                    }
                    el("p", .class("report-text")) { report.report.text }
                    if !report.files.isEmpty {
                        el("ul", .class("files")) {
                            for file in report.files {
                                el("li") {
                                    if evidenceVisible {
                                        el("a", .href(SiteURL.evidence(.value(file.id ?? 0)).path)) { file.fileName }
                                    } else {
                                        file.fileName + " (" + page.t("evidence.restricted") + ")"
                                    }
                                    " · \(max(1, file.size / 1024)) KB"
                                }
                            }
                        }
                    }
                    for review in report.reviews {
                        el("p", .class("review review-\(review.decision)")) {
                            page.t("review.\(review.decision)") + " · " + Components.person(review.reviewer, role: review.reviewerRole, page) + " · "
                            Components.time(review.at, page)
                            if let remarks = review.remarks { ": " + remarks }
                        }
                    }
                }
            }
            if canReport, (try? status.applying(.submitReport)) != nil {
                reportForm(id: id, indicators: d.instruction.indicators, period: period.label(for: today), page)
            }
            if canReview, status == .reportSubmitted {
                reviewForm(id: id, periodic: period != .once,
                           evidencePublic: d.instruction.isPublic ? a.evidencePublic : nil, page)
            }
            if canManage, !status.isFinal {
                manageForms(id: id, page)
                if let code = a.territory {
                    let taken = Set(d.children.map(\.territoryID))
                    let free = tree.children(of: code).filter { !taken.contains($0.code.value) }
                    if !free.isEmpty { splitForm(id: id, free: free, latest: a.deadline, page) }
                }
            }
            if !d.children.isEmpty {
                el("h2") { page.t("assignment.children") }
                el("ul") {
                    for child in d.children {
                        el("li") {
                            el("a", .href(SiteURL.assignment(.value(child.id ?? 0)).path)) { territoryName(child.territoryID, in: tree, page.language) }
                            " · " + page.t("status.\(child.statusName)") + " · " + Components.percent(child.completion)
                        }
                    }
                }
            }
            el("h2") { page.t("instruction.history") }
            history(d.history, page)
        }
    }

    static func reportForm(id: Int, indicators: [RegisterSnapshot.InstructionFacts.Indicator], period: String, _ page: PageContext) -> Node {
        // Multipart forms carry the token in the address: the body is read only after the check.
        let action = SiteURL.assignmentReports(.value(id)).link((.csrf, page.csrfToken))
        return el("form", Attribute("method", "post"), Attribute("action", action), Attribute("enctype", "multipart/form-data"),
                  .class("stack"), .id("report-form"), .aria("labelledby", "report-heading")) {
            el("h2", .id("report-heading")) { page.t("report.new") }
            el("label", Attribute("for", "period")) { page.t("report.period") }
            void("input", .id("period"), .name("period"), .type("text"), .value(period))
            el("label", Attribute("for", "text")) { page.t("report.text") }
            el("textarea", .id("text"), .name("text"), Attribute("rows", "6"), .flag("required")) { "" }
            for indicator in indicators {
                el("label", Attribute("for", "value-\(indicator.id)")) { "\(indicator.name), \(indicator.unit)" }
                void("input", .id("value-\(indicator.id)"), .name("value_\(indicator.id)"), .type("text"), Attribute("inputmode", "decimal"))
            }
            el("label", Attribute("for", "files")) { page.t("report.files") }
            void("input", .id("files"), .name("files[]"), .type("file"), .flag("multiple"),
                 Attribute("accept", EvidenceStore.allowedTypes.keys.sorted().map { "." + $0 }.joined(separator: ",")))
            el("button", .type("submit")) { page.t("report.submit") }
        }
    }

    /// `evidencePublic` is the current choice for a public instruction (nil: never published).
    static func reviewForm(id: Int, periodic: Bool, evidencePublic: Bool?, _ page: PageContext) -> Node {
        el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentReview(.value(id)).path), .class("stack"),
           .id("review-form"), .aria("labelledby", "review-heading")) {
            el("h2", .id("review-heading")) { page.t("review.title") }
            csrfField(page)
            el("label", Attribute("for", "remarks")) { page.t("review.remarks") }
            el("textarea", .id("remarks"), .name("remarks"), Attribute("rows", "3")) { "" }
            if periodic {
                el("label", .class("check")) {
                    void("input", .name("final"), .type("checkbox"), .value("true"))
                    page.t("review.final")
                }
            }
            if let evidencePublic {
                el("fieldset") {
                    el("legend") { page.t("review.evidence") }
                    el("label", .class("check")) {
                        Node.void("input", [.name("evidence"), .type("radio"), .value("public")]
                            + (evidencePublic ? [.flag("checked")] : []))
                        page.t("review.evidence.public")
                    }
                    el("label", .class("check")) {
                        Node.void("input", [.name("evidence"), .type("radio"), .value("restricted")]
                            + (evidencePublic ? [] : [.flag("checked")]))
                        page.t("review.evidence.restricted")
                    }
                }
            }
            el("div", .class("buttons")) {
                el("button", .type("submit"), .name("decision"), .value("accept")) { page.t("review.acceptButton") }
                el("button", .type("submit"), .name("decision"), .value("return"), .class("secondary")) { page.t("review.returnButton") }
            }
        }
    }

    /// Hands the assignment down to territories directly below it that have none yet.
    static func splitForm(id: Int, free: [Territory], latest: String, _ page: PageContext) -> Node {
        el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentSplit(.value(id)).path), .class("stack"),
           .id("split-form"), .aria("labelledby", "split-heading")) {
            el("h2", .id("split-heading")) { page.t("split.title") }
            csrfField(page)
            el("fieldset") {
                el("legend") { page.t("split.territories") }
                for territory in free {
                    el("label", .class("check")) {
                        void("input", .type("checkbox"), .name("territories[]"), .value(territory.code.description))
                        " " + territory.name[page.language]
                    }
                }
            }
            el("label", Attribute("for", "split-deadline")) { page.t("split.deadline", ["date": latest]) }
            void("input", .id("split-deadline"), .name("deadline"), .type("date"), Attribute("max", latest), .flag("required"))
            el("button", .type("submit")) { page.t("split.submit") }
        }
    }

    static func manageForms(id: Int, _ page: PageContext) -> Node {
        fragment {
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentExtend(.value(id)).path), .class("stack"),
               .id("extend-form"), .aria("labelledby", "extend-heading")) {
                el("h2", .id("extend-heading")) { page.t("extend.title") }
                csrfField(page)
                el("label", Attribute("for", "deadline")) { page.t("extend.deadline") }
                void("input", .id("deadline"), .name("deadline"), .type("date"), .flag("required"))
                el("label", Attribute("for", "extend-reason")) { page.t("extend.reason") }
                void("input", .id("extend-reason"), .name("reason"), .type("text"), .flag("required"))
                el("button", .type("submit")) { page.t("extend.submit") }
            }
            el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentRemove(.value(id)).path), .class("stack"),
               .id("remove-form"), .aria("labelledby", "remove-heading")) {
                el("h2", .id("remove-heading")) { page.t("remove.title") }
                csrfField(page)
                el("label", Attribute("for", "remove-reason")) { page.t("extend.reason") }
                void("input", .id("remove-reason"), .name("reason"), .type("text"), .flag("required"))
                el("button", .type("submit"), .class("secondary")) { page.t("remove.submit") }
            }
        }
    }

    /// The road map of an assignment of a complex instruction: its milestones, or when it is
    /// due; and, for its body, the form to give or correct it.
    static func roadMap(_ d: InstructionQueries.AssignmentDetail, today: CivilDate, canGive: Bool, _ page: PageContext) -> Node {
        let id = d.assignment.id ?? 0
        return el("section", .aria("labelledby", "road-map")) {
            el("h2", .id("road-map")) { page.t("roadMap.title") }
            if let due = d.roadMapDue {
                el("p", .class(due < today ? "overdue" : "notice")) {
                    page.t(due < today ? "roadMap.late" : "roadMap.due", ["date": Components.dateText(due, page)])
                }
            }
            if let first = d.roadMap.first {
                el("p", .class("meta")) {
                    page.t("roadMap.given") + " "
                    Components.person(first.author, role: first.author_role, page) + " · "
                    Components.time(first.submitted_at, page)
                }
                el("table", .class("list")) {
                    el("thead") { el("tr") { Components.th(page.t("roadMap.date")); Components.th(page.t("roadMap.milestone")) } }
                    el("tbody") {
                        for milestone in d.roadMap {
                            el("tr") {
                                el("td") { (try? CivilDate(milestone.due)).map { Components.dateText($0, page) } ?? milestone.due }
                                el("td") { milestone.text }
                            }
                        }
                    }
                }
            }
            if canGive {
                el("form", Attribute("method", "post"), Attribute("action", SiteURL.assignmentRoadMap(.value(id)).path),
                   .class("stack road-map")) {
                    csrfField(page)
                    el("p", .class("hint")) { page.t("roadMap.hint") }
                    let rows = max(6, d.roadMap.count + 2)
                    for index in 0..<rows {
                        let kept = index < d.roadMap.count ? d.roadMap[index] : nil
                        el("fieldset", .class("milestone")) {
                            el("legend") { page.t("roadMap.number", ["n": String(index + 1)]) }
                            el("label", Attribute("for", "milestone-date-\(index)")) { page.t("roadMap.date") }
                            void("input", .id("milestone-date-\(index)"), .name("date[]"), .type("date"), .value(kept?.due ?? ""))
                            el("label", Attribute("for", "milestone-text-\(index)")) { page.t("roadMap.milestone") }
                            void("input", .id("milestone-text-\(index)"), .name("text[]"), .type("text"),
                                 Attribute("maxlength", String(Milestone.textLength.upperBound)), .value(kept?.text ?? ""))
                        }
                    }
                    el("button", .type("submit")) { page.t(d.roadMap.isEmpty ? "roadMap.submit" : "roadMap.correct") }
                }
            }
        }
    }
}
