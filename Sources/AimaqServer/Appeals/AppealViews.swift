import AimaqCore

/// The pages of appeals: the public register, the form, one's own appeals, an official's
/// inbox, one appeal, and the statistics.
enum AppealViews {
    static func topicName(_ key: String, _ page: PageContext) -> String {
        AppealTopic.named(key)?.name[page.language] ?? key
    }

    /// What stands for a private text where something public must be written.
    static func topicFallback(_ appeal: AppealRecord) -> String {
        (AppealTopic.named(appeal.topic)?.name.ru ?? appeal.topic) + " — " + appeal.number
    }

    static func bodyName(_ id: Int?, _ bodies: BodyDirectory, _ page: PageContext) -> String {
        id.flatMap { bodies.body($0)?.name[page.language] } ?? "—"
    }

    static func territoryName(_ code: KATOCode, _ page: PageContext) -> String {
        page.tree[code]?.name[page.language] ?? code.description
    }

    /// The status a person reads: overdue where the deadline has passed without an answer.
    static func status(_ appeal: AppealRecord, today: CivilDate, _ page: PageContext) -> Node {
        let timeliness = appeal.timeliness(today: today)
        let key = timeliness == .overdue ? "appeal.status.overdue" : "appeal.status.\(appeal.status.rawValue)"
        return el("span", .class(timeliness == .overdue ? "status status-overdue" : "status")) {
            page.t(key) + (timeliness == .late ? " · " + page.t("appeal.late") : "")
        }
    }

    static func links(signedIn: Bool, _ page: PageContext) -> Node {
        el("p", .class("actions")) {
            if signedIn {
                el("a", .href(SiteURL.appealNew.path), .class("button")) { page.t("appeal.new.title") }
                " "
                el("a", .href(SiteURL.appealsMine.path)) { page.t("appeal.mine.title") }
                " · "
                el("a", .href(SiteURL.appealsInbox.path)) { page.t("appeal.inbox.title") }
                " · "
            } else {
                page.t("appeal.signIn") + " "
            }
            el("a", .href(SiteURL.appealStatistics.path)) { page.t("appeal.stats.title") }
            " · "
            el("a", .href(SiteURL.appeals.link((.channel, "mandate")))) { page.t("mandate.list.title") }
            " · "
            el("a", .href(SiteURL.appealsCSV.path)) { page.t("appeal.csv") }
        }
    }

    static func filterForm(_ filter: AppealStore.Filter, action: String, _ page: PageContext, statuses: Bool = true) -> Node {
        el("form", attributes: [.class("filters"), Attribute("method", "get"), Attribute("action", action)]) {
            el("label") {
                page.t("appeal.topic") + " "
                el("select", .name("topic")) {
                    Components.option("", page.t("register.any"), selected: filter.topic == nil)
                    for topic in AppealTopic.all { Components.option(topic.key, topic.name[page.language], selected: filter.topic == topic.key) }
                }
            }
            el("label") {
                page.t("appeal.region") + " "
                el("select", .name("territory")) {
                    Components.option("", page.t("country.name"), selected: filter.territory == nil)
                    for region in page.tree.regions {
                        Components.option(region.code.description, region.name[page.language], selected: filter.territory == region.code)
                    }
                }
            }
            if statuses {
                el("label") {
                    page.t("appeal.statusLabel") + " "
                    el("select", .name("status")) {
                        Components.option("", page.t("register.any"), selected: filter.status == nil)
                        for status in AppealStatus.allCases {
                            Components.option(status.rawValue, page.t("appeal.status.\(status.rawValue)"), selected: filter.status == status)
                        }
                    }
                }
            }
            el("label") { Components.checkbox("overdue", value: "1", checked: filter.overdueOn != nil); " " + page.t("appeal.overdueOnly") }
            if let channel = filter.channel { void("input", .type("hidden"), .name("channel"), .value(channel.rawValue)) }
            el("button", .type("submit")) { page.t("register.apply") }
        }
    }

    static func table(_ items: [AppealRecord], today: CivilDate, bodies: BodyDirectory, groupSizes: [Int: Int]? = nil,
                      showText: Bool, _ page: PageContext) -> Node {
        el("table", .class("list")) {
            el("thead") {
                el("tr") {
                    Components.th(page.t("appeal.number"))
                    Components.th(page.t("appeal.registered"))
                    Components.th(page.t("appeal.territory"))
                    Components.th(page.t("appeal.topic"))
                    Components.th(page.t("appeal.body"))
                    Components.th(page.t("appeal.deadline"))
                    Components.th(page.t("appeal.statusLabel"))
                    if groupSizes != nil { Components.th(page.t("appeal.similar"), .class("num")) }
                    if showText { Components.th(page.t("appeal.text")) }
                }
            }
            el("tbody") {
                for appeal in items {
                    el("tr") {
                        el("td") { el("a", .href(SiteURL.appeal(.value(appeal.id)).path)) { appeal.number } }
                        el("td") { Components.dateText(appeal.registeredOn, page) }
                        el("td") { territoryName(appeal.territory, page) }
                        el("td") { topicName(appeal.topic, page) }
                        el("td") { bodyName(appeal.bodyID, bodies, page) }
                        el("td") { Components.dateText(appeal.deadline, page) }
                        el("td") { status(appeal, today: today, page) }
                        if let groupSizes {
                            el("td", .class("num")) { appeal.groupID.flatMap { groupSizes[$0] }.map { String($0) } ?? "1" }
                        }
                        if showText {
                            el("td") { appeal.publicText.map { String($0.prefix(200)) } ?? page.t("appeal.notPublished") }
                        }
                    }
                }
            }
        }
    }

    static func register(_ items: [AppealRecord], total: Int, filter: AppealStore.Filter, paging: Paging, today: CivilDate,
                         signedIn: Bool, mayRecordMandates: Bool = false, refusedMandate: (values: [String: String], problem: String)? = nil,
                         bodies: BodyDirectory, _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t(filter.channel == .mandate ? "mandate.list.title" : "appeal.list.title") },
            el("p") { page.t(filter.channel == .mandate ? "mandate.list.intro" : "appeal.list.intro") },
            links(signedIn: signedIn, page),
            filterForm(filter, action: SiteURL.appeals.path, page),
            el("p", .class("meta")) { page.t("appeal.count", ["count": NumberFormat.integer(total, page.language)]) },
            items.isEmpty ? el("p") { page.t("appeal.none") } : table(items, today: today, bodies: bodies, showText: true, page),
            Components.pager(total: total, paging: paging, page) { number in
                var query = SiteQuery()
                query.add(.territory, filter.territory)
                query.add(.topic, filter.topic)
                query.add(.status, filter.status?.rawValue)
                query.add(.channel, filter.channel?.rawValue)
                if filter.overdueOn != nil { query.add(.overdue, "1") }
                query.add(.page, number)
                return SiteURL.appeals.link(query)
            },
            mayRecordMandates ? VisitViews.mandateForm(values: refusedMandate?.values ?? [:], problem: refusedMandate?.problem, page) : .empty,
        ])
    }

    static func mine(_ items: [AppealRecord], total: Int, paging: Paging, today: CivilDate, bodies: BodyDirectory,
                     _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("appeal.mine.title") },
            el("p", .class("actions")) { el("a", .href(SiteURL.appealNew.path), .class("button")) { page.t("appeal.new.title") } },
            items.isEmpty ? el("p") { page.t("appeal.mine.none") } : table(items, today: today, bodies: bodies, showText: false, page),
            Components.pager(total: total, paging: paging, page) { SiteURL.appealsMine.link((.page, String($0))) },
        ])
    }

    static func inbox(_ items: [AppealRecord], total: Int, groupSizes: [Int: Int], filter: AppealStore.Filter, paging: Paging,
                      today: CivilDate, bodies: BodyDirectory, _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("appeal.inbox.title") },
            el("p") { page.t("appeal.inbox.intro") },
            el("form", attributes: [.class("filters"), Attribute("method", "get"), Attribute("action", SiteURL.appealsInbox.path)]) {
                el("label") {
                    page.t("appeal.topic") + " "
                    el("select", .name("topic")) {
                        Components.option("", page.t("register.any"), selected: filter.topic == nil)
                        for topic in AppealTopic.all { Components.option(topic.key, topic.name[page.language], selected: filter.topic == topic.key) }
                    }
                }
                el("label") { Components.checkbox("overdue", value: "1", checked: filter.overdueOn != nil); " " + page.t("appeal.overdueOnly") }
                el("button", .type("submit")) { page.t("register.apply") }
            },
            el("p", .class("meta")) { page.t("appeal.inbox.count", ["count": NumberFormat.integer(total, page.language)]) },
            items.isEmpty ? el("p") { page.t("appeal.inbox.none") }
                : table(items, today: today, bodies: bodies, groupSizes: groupSizes, showText: false, page),
            Components.pager(total: total, paging: paging, page) { number in
                var query = SiteQuery()
                query.add(.topic, filter.topic)
                if filter.overdueOn != nil { query.add(.overdue, "1") }
                query.add(.page, number)
                return SiteURL.appealsInbox.link(query)
            },
        ])
    }

    static func form(territories: [Territory], deputies: [AppealController.Deputy], values: [String: String], problem: String?,
                     terms: AppealTerms, _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("appeal.new.title") },
            el("p") { page.t("appeal.new.intro", ["days": String(terms.answerDays)]) },
            problem.map { text in el("p", .class("error"), Attribute("role", "alert")) { text } } ?? .empty,
            // Multipart forms carry the token in the address: the body is read only after the check.
            el("form", attributes: [.class("stack"), .id("appeal-form"), Attribute("method", "post"),
                                    Attribute("action", SiteURL.appeals.link((.csrf, page.csrfToken))),
                                    Attribute("enctype", "multipart/form-data")]) {
                csrfField(page)
                el("label", Attribute("for", "appeal-territory")) { page.t("appeal.territory") }
                el("select", .name("territory"), .id("appeal-territory"), .flag("required")) {
                    for territory in territories {
                        Components.option(territory.code.description, territory.name[page.language],
                                          selected: values["territory"] == territory.code.description)
                    }
                }
                el("label", Attribute("for", "appeal-topic")) { page.t("appeal.topic") }
                el("select", .name("topic"), .id("appeal-topic"), .flag("required")) {
                    for topic in AppealTopic.all { Components.option(topic.key, topic.name[page.language], selected: values["topic"] == topic.key) }
                }
                el("fieldset") {
                    el("legend") { page.t("appeal.addressee") }
                    for addressee in AppealRouting.Addressee.allCases {
                        el("label") {
                            (values["addressee"] ?? "akimat") == addressee.rawValue
                                ? void("input", .type("radio"), .name("addressee"), .value(addressee.rawValue), .flag("checked"))
                                : void("input", .type("radio"), .name("addressee"), .value(addressee.rawValue))
                            " " + page.t("appeal.addressee.\(addressee.rawValue)")
                        }
                    }
                }
                if !deputies.isEmpty {
                    el("label", Attribute("for", "appeal-deputy")) { page.t("appeal.deputy") }
                    el("select", .name("deputy"), .id("appeal-deputy"), .aria("describedby", "appeal-deputy-hint")) {
                        Components.option("", page.t("appeal.deputy.none"), selected: (values["deputy"] ?? "").isEmpty)
                        for deputy in deputies {
                            Components.option(deputy.id.uuidString, deputy.display_name + " — " + page.t("role.\(deputy.role)"),
                                              selected: values["deputy"]?.uppercased() == deputy.id.uuidString)
                        }
                    }
                    el("p", .class("meta"), .id("appeal-deputy-hint")) { page.t("appeal.deputy.hint") }
                }
                el("label", Attribute("for", "appeal-text")) { page.t("appeal.text") }
                el("textarea", .name("text"), .id("appeal-text"), Attribute("rows", "8"), Attribute("minlength", "20"),
                   Attribute("maxlength", String(AppealController.textLimit)), .flag("required")) { values["text"] ?? "" }
                filesField(id: "appeal-files", page)
                el("label") {
                    Components.checkbox("publishable", value: "1", checked: values["publishable"] == "1")
                    " " + page.t("appeal.publishable")
                }
                el("p", .class("meta")) { page.t("appeal.privacy") }
                el("button", .type("submit")) { page.t("appeal.send") }
            },
        ])
    }

    /// A file input for up to five files of the kinds evidence may be, with what is allowed said.
    static func filesField(id: String, _ page: PageContext) -> Node {
        fragment {
            el("label", Attribute("for", id)) { page.t("appeal.files") }
            void("input", .type("file"), .name("files[]"), .id(id), .flag("multiple"), .aria("describedby", id + "-hint"),
                 Attribute("accept", EvidenceStore.allowedTypes.keys.sorted().map { "." + $0 }.joined(separator: ",")))
            el("p", .class("meta"), .id(id + "-hint")) {
                page.t("appeal.filesHint", ["n": String(EvidenceStore.maxFiles), "mb": "10",
                                            "kinds": EvidenceStore.allowedTypes.keys.sorted().joined(separator: ", ")])
            }
        }
    }

    /// Links to kept files, each with its size.
    static func fileList(_ files: [AppealFileRecord], id: String, _ page: PageContext) -> Node {
        guard !files.isEmpty else { return .empty }
        return el("ul", .class("files"), .id(id)) {
            for file in files {
                el("li") {
                    el("a", .href(SiteURL.appealFile(.value(file.id)).path)) { file.file_name }
                    " (" + NumberFormat.integer(max(1, file.size / 1024), page.language) + " KB)"
                }
            }
        }
    }

    struct PageModel {
        var files: [AppealFileRecord] = []
        var deputyName: String? = nil
        var appeal: AppealRecord
        var full: Bool
        var today: CivilDate
        var terms: AppealTerms
        var isAuthor: Bool
        var mayAnswer: Bool
        var mayAssign: Bool
        var bodyAbove: Int?
        var similar: [AppealRecord]
        var bodies: BodyDirectory
    }

    static func page(_ model: PageModel, _ page: PageContext) -> Node {
        let appeal = model.appeal
        return .fragment([
            el("h1") { page.t("appeal.title", ["number": appeal.number]) },
            el("dl", .class("facts")) {
                el("dt") { page.t("appeal.statusLabel") }
                el("dd", .id("appeal-status")) { status(appeal, today: model.today, page) }
                el("dt") { page.t("appeal.channel") }
                el("dd") { page.t("appeal.channel.\(appeal.channel.rawValue)") }
                el("dt") { page.t("appeal.registered") }
                el("dd") { Components.dateText(appeal.registeredOn, page) }
                el("dt") { page.t("appeal.territory") }
                el("dd") { territoryName(appeal.territory, page) }
                el("dt") { page.t("appeal.topic") }
                el("dd") { topicName(appeal.topic, page) }
                el("dt") { page.t("appeal.body") }
                el("dd") { bodyName(appeal.bodyID, model.bodies, page) }
                el("dt") { page.t("appeal.deadline") }
                el("dd") {
                    Components.dateText(appeal.deadline, page)
                    if let reason = appeal.extensionReason { " · " + page.t("appeal.extendedBecause", ["reason": reason]) }
                }
                if model.full, let name = appeal.authorName {
                    el("dt") { page.t("appeal.author") }
                    el("dd") { name }
                }
                if model.full, let contact = appeal.contact, !contact.isEmpty {
                    el("dt") { page.t("appeal.contact") }
                    el("dd") { contact }
                }
                if let deputy = appeal.deputyID, let name = model.deputyName {
                    el("dt") { page.t("appeal.deputy") }
                    el("dd") { el("a", .href(SiteURL.deputy(.value(deputy)).path)) { name } }
                }
                if appeal.demo { el("dt") { page.t("appeal.demoLabel") }; el("dd") { page.t("appeal.demo") } }
            },
            el("h2") { page.t("appeal.text") },
            model.full ? el("p", .class("appeal-text")) { appeal.text }
                : el("p", .class("appeal-text")) { appeal.publicText ?? "" },
            model.full && !appeal.publishable ? el("p", .class("meta")) { page.t("appeal.privateNote") } : .empty,
            model.full ? fileList(model.files.filter { $0.purpose == AppealFileRecord.Purpose.appeal.rawValue }, id: "appeal-files-list", page) : .empty,
            answerPart(model, page),
            history(model, page),
            model.mayAnswer && appeal.status.awaitsAnswer ? officerForms(model, page) : .empty,
            model.isAuthor ? authorForms(model, page) : .empty,
            model.mayAssign && appeal.status.awaitsAnswer ? assignForm(model, page) : .empty,
            appeal.assignmentID.map { id in
                el("p", .id("appeal-assignment")) {
                    page.t("appeal.assignedTo") + " "
                    el("a", .href(SiteURL.assignment(.value(id)).path)) { page.t("assignment.title", ["id": String(id)]) }
                }
            } ?? .empty,
            appeal.meetingID.map { id in
                el("p") { el("a", .href(SiteURL.meeting(.value(id)).path)) { page.t("appeal.raisedAt") } }
            } ?? .empty,
            model.full && !model.similar.isEmpty ? fragment {
                el("h2", .id("similar")) { page.t("appeal.similarTitle", ["count": String(model.similar.count)]) }
                table(model.similar, today: model.today, bodies: model.bodies, showText: false, page)
            } : .empty,
        ])
    }

    static func answerPart(_ model: PageModel, _ page: PageContext) -> Node {
        guard let answer = model.appeal.answer, model.appeal.status == .answered else { return .empty }
        return fragment {
            el("h2", .id("answer")) { page.t("appeal.answer") }
            el("p", .class("meta")) { Components.dateText(model.appeal.answeredOn ?? model.today, page) }
            el("p", .class("appeal-answer")) { answer }
            if model.full { fileList(model.files.filter { $0.purpose == AppealFileRecord.Purpose.answer.rawValue }, id: "answer-files", page) }
            if let rating = model.appeal.rating {
                el("p", .id("rating")) { page.t("appeal.rated", ["rating": String(rating)]) + (model.appeal.ratingNote.map { $0.isEmpty ? "" : " — " + $0 } ?? "") }
            }
        }
    }

    static func history(_ model: PageModel, _ page: PageContext) -> Node {
        guard model.full, !model.appeal.history.isEmpty else { return .empty }
        return fragment {
            el("h2") { page.t("appeal.history") }
            el("ol", .class("history")) {
                for step in model.appeal.history {
                    el("li") {
                        ((try? CivilDate(step.on)).map { Components.dateText($0, page) } ?? step.on) + " — "
                        page.t("appeal.step.\(step.kind)")
                        if let body = step.body { " (" + bodyName(body, model.bodies, page) + ")" }
                        if let text = step.text, !text.isEmpty { el("div", .class("meta")) { step.kind == "rated" ? "★ " + text : text } }
                    }
                }
            }
        }
    }

    static func officerForms(_ model: PageModel, _ page: PageContext) -> Node {
        let appeal = model.appeal
        return fragment {
            el("h2", .id("answer-form-title")) { page.t("appeal.answerTitle") }
            el("form", attributes: [.class("stack"), .id("answer-form"), Attribute("method", "post"),
                                    Attribute("action", SiteURL.appealAnswer(.value(appeal.id)).link((.csrf, page.csrfToken))),
                                    Attribute("enctype", "multipart/form-data")]) {
                el("label", Attribute("for", "answer-text")) { page.t("appeal.answer") }
                el("textarea", .name("answer"), .id("answer-text"), Attribute("rows", "6"), .flag("required"),
                   Attribute("maxlength", String(AppealController.answerLimit))) { "" }
                filesField(id: "answer-files-input", page)
                if !model.similar.isEmpty {
                    el("label") {
                        Components.checkbox("together", value: "1", checked: false)
                        " " + page.t("appeal.answerTogether", ["count": String(model.similar.filter { $0.status.awaitsAnswer && $0.bodyID == appeal.bodyID }.count)])
                    }
                }
                el("button", .type("submit")) { page.t("appeal.answerSend") }
            }
            if appeal.extensions < model.terms.extensionsAllowed {
                el("form", attributes: [.class("stack"), .id("extend-form"), Attribute("method", "post"),
                                        Attribute("action", SiteURL.appealExtend(.value(appeal.id)).path)]) {
                    csrfField(page)
                    el("label", Attribute("for", "extend-reason")) { page.t("appeal.extendReason", ["days": String(model.terms.extensionDays)]) }
                    void("input", .type("text"), .name("reason"), .id("extend-reason"), .flag("required"), Attribute("maxlength", "1000"))
                    el("button", .type("submit")) { page.t("appeal.extend") }
                }
            }
        }
    }

    static func assignForm(_ model: PageModel, _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("assign-form"), Attribute("method", "post"),
                                Attribute("action", SiteURL.appealAssignment(.value(model.appeal.id)).path)]) {
            csrfField(page)
            el("h2") { page.t("appeal.assignTitle") }
            el("p") { page.t("appeal.assignExplain") }
            el("label", Attribute("for", "assign-deadline")) { page.t("appeal.assignDeadline") }
            void("input", .type("date"), .name("deadline"), .id("assign-deadline"), .flag("required"))
            el("label", Attribute("for", "assign-body")) { page.t("appeal.assignBody") }
            el("select", .name("body"), .id("assign-body")) {
                let chosen = AppealRouting.defaultExecutor(model.appeal, bodies: model.bodies)
                for body in AppealRouting.executors(for: model.appeal.territory, bodies: model.bodies) {
                    el("option", attributes: [.value(String(body.id))] + (body.id == chosen ? [.flag("selected")] : [])) {
                        bodyName(body.id, model.bodies, page)
                    }
                }
            }
            el("button", .type("submit")) { page.t("appeal.assign") }
        }
    }

    static func authorForms(_ model: PageModel, _ page: PageContext) -> Node {
        let appeal = model.appeal
        guard appeal.status == .answered else { return .empty }
        return fragment {
            el("form", attributes: [.class("stack"), .id("rate-form"), Attribute("method", "post"),
                                    Attribute("action", SiteURL.appealRate(.value(appeal.id)).path)]) {
                csrfField(page)
                el("fieldset") {
                    el("legend") { page.t("appeal.rate") }
                    for rating in 1...5 {
                        el("label") {
                            appeal.rating == rating
                                ? void("input", .type("radio"), .name("rating"), .value(String(rating)), .flag("required"), .flag("checked"))
                                : void("input", .type("radio"), .name("rating"), .value(String(rating)), .flag("required"))
                            " " + String(rating)
                        }
                    }
                }
                el("label", Attribute("for", "rate-note")) { page.t("appeal.rateNote") }
                void("input", .type("text"), .name("note"), .id("rate-note"), Attribute("maxlength", "1000"))
                el("button", .type("submit")) { page.t("appeal.rateSend") }
            }
            if model.terms.escalationProblem(status: appeal.status, rating: appeal.rating, hasBodyAbove: model.bodyAbove != nil) == nil {
                el("form", attributes: [.class("stack"), .id("escalate-form"), Attribute("method", "post"),
                                        Attribute("action", SiteURL.appealEscalate(.value(appeal.id)).path)]) {
                    csrfField(page)
                    el("p") { page.t("appeal.escalateExplain", ["body": bodyName(model.bodyAbove, model.bodies, page)]) }
                    el("button", .type("submit")) { page.t("appeal.escalate") }
                }
            }
        }
    }

    static func statistics(counts: [Int: AppealCounts], topics: [String: Int], region: KATOCode?, topic: String?,
                           tree: TerritoryTree, _ page: PageContext) -> Node {
        var total = AppealCounts()
        for value in counts.values { total.add(value) }
        let areas: [Territory] = region.map { code in
            tree.children(of: code).filter { $0.code.level == .district }
        } ?? tree.regions
        let rates = tree.regions.compactMap { region -> Double? in counts[region.code.regionNumber]?.perTenThousand(region.population) }
        let highest = rates.max() ?? 0
        return .fragment([
            el("h1") { page.t("appeal.stats.title") + (region.map { " — " + (tree[$0]?.name[page.language] ?? "") } ?? "") },
            filterForm(AppealStore.Filter(territory: region, topic: topic), action: SiteURL.appealStatistics.path, page, statuses: false),
            el("dl", .class("facts"), .id("appeal-totals")) {
                el("dt") { page.t("appeal.stats.total") }
                el("dd") { NumberFormat.integer(total.total, page.language) }
                el("dt") { page.t("appeal.stats.awaiting") }
                el("dd") { NumberFormat.integer(total.awaiting, page.language) }
                el("dt") { page.t("appeal.stats.overdue") }
                el("dd") { NumberFormat.integer(total.overdue, page.language) }
                el("dt") { page.t("appeal.stats.onTime") }
                el("dd") { Components.percent(total.onTimeShare) }
                el("dt") { page.t("appeal.stats.rating") }
                el("dd") { total.meanRating.map { NumberFormat.decimal($0, page.language) } ?? "—" }
            },
            region == nil ? TileMap.svg(
                regions: tree.regions, language: page.language, title: page.t("appeal.stats.map"), titleID: "appeal-map",
                link: { SiteURL.appealStatistics.link(SiteQuery([(.territory, $0.description)]).adding(.topic, topic)) },
                shade: { region in
                    guard let rate = counts[region.code.regionNumber]?.perTenThousand(region.population), highest > 0 else {
                        return TileMap.Shade(cssClass: "tile tile-none", caption: "—")
                    }
                    return TileMap.Shade(cssClass: "tile tile-q\(min(4, Int(rate / highest * 5)))", caption: NumberFormat.decimal(rate, page.language))
                }) : .empty,
            el("table", .class("list"), .aria("label", page.t("appeal.stats.table"))) {
                el("thead") {
                    el("tr") {
                        Components.th(page.t(region == nil ? "appeal.region" : "appeal.district"))
                        Components.th(page.t("appeal.stats.total"), .class("num"))
                        Components.th(page.t("appeal.stats.per10k"), .class("num"))
                        Components.th(page.t("appeal.stats.awaiting"), .class("num"))
                        Components.th(page.t("appeal.stats.overdue"), .class("num"))
                        Components.th(page.t("appeal.stats.onTime"), .class("num"))
                        Components.th(page.t("appeal.stats.rating"), .class("num"))
                    }
                }
                el("tbody") {
                    for area in areas {
                        let key = region == nil ? area.code.regionNumber : area.code.value
                        let value = counts[key] ?? AppealCounts()
                        el("tr") {
                            el("th", Attribute("scope", "row")) {
                                region == nil ? el("a", .href(SiteURL.appealStatistics.link(SiteQuery([(.territory, area.code.description)]).adding(.topic, topic)))) {
                                    area.name[page.language]
                                } : .text(area.name[page.language])
                            }
                            el("td", .class("num")) { NumberFormat.integer(value.total, page.language) }
                            el("td", .class("num")) { value.perTenThousand(area.population).map { NumberFormat.decimal($0, page.language) } ?? "—" }
                            el("td", .class("num")) { NumberFormat.integer(value.awaiting, page.language) }
                            el("td", .class("num")) { NumberFormat.integer(value.overdue, page.language) }
                            el("td", .class("num")) { Components.percent(value.onTimeShare) }
                            el("td", .class("num")) { value.meanRating.map { NumberFormat.decimal($0, page.language) } ?? "—" }
                        }
                    }
                }
            },
            el("h2") { page.t("appeal.stats.byTopic") },
            el("table", .class("list")) {
                el("thead") { el("tr") { Components.th(page.t("appeal.topic")); Components.th(page.t("appeal.stats.total"), .class("num")) } }
                el("tbody") {
                    for item in AppealTopic.all where topics[item.key] != nil {
                        el("tr") {
                            el("th", Attribute("scope", "row")) { item.name[page.language] }
                            el("td", .class("num")) { NumberFormat.integer(topics[item.key] ?? 0, page.language) }
                        }
                    }
                }
            },
        ])
    }
}
