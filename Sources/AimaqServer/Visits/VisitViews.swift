import AimaqCore
import Foundation

/// The pages of visits, meetings and the register of objects.
enum VisitViews {
    struct Programme {
        var meetings: [MeetingRecord]
        var issues: [Int: [AppealRecord]]
        var objects: [Int: TerritoryObjectRecord]
        var today: CivilDate
        var mayRecord: Bool
        var bodies: BodyDirectory
        /// A reception's booked slots, and whether the visitor may book one.
        var bookings: [VisitStore.Booking] = []
        var mayBook = false
        var ownBooking: Int? = nil
        /// Each meeting's files: the minutes as signed, photos.
        var files: [Int: [AppealFileRecord]] = [:]
        /// A refused issue form, shown again filled in with what was wrong.
        var refusedIssue: (meeting: Int, values: [String: String], problem: String)? = nil
    }

    static func territoryName(_ code: KATOCode, _ page: PageContext) -> String {
        page.tree[code]?.name[page.language] ?? code.description
    }

    static func dates(_ visit: VisitRecord, _ page: PageContext) -> String {
        visit.starts == visit.ends ? Components.dateText(visit.starts, page)
            : Components.dateText(visit.starts, page) + " – " + Components.dateText(visit.ends, page)
    }

    static func calendar(visits: [VisitRecord], meetings: [MeetingRecord], territory: KATOCode?, body: Int?, holders: [BodySummary],
                         today: CivilDate, mayRecord: Bool, refused: (values: [String: String], problem: String)? = nil,
                         _ page: PageContext) -> Node {
        .fragment([
            el("h1") { page.t("visit.list.title") },
            el("p") { page.t("visit.list.intro") },
            el("p", .class("actions")) {
                el("a", .href(SiteURL.visitsICal.link(SiteQuery().adding(.territory, territory).adding(.body, body)))) { page.t("visit.ical") }
                " · "
                el("a", .href(SiteURL.objects.path)) { page.t("object.list.title") }
                " · "
                el("a", .href(SiteURL.appeals.path)) { page.t("appeal.list.title") }
            },
            el("form", attributes: [.class("filters"), Attribute("method", "get"), Attribute("action", SiteURL.visits.path)]) {
                el("label") {
                    page.t("appeal.region") + " "
                    el("select", .name("territory")) {
                        Components.option("", page.t("country.name"), selected: territory == nil)
                        for region in page.tree.regions {
                            Components.option(region.code.description, region.name[page.language], selected: territory == region.code)
                        }
                    }
                }
                el("label") {
                    page.t("visit.body") + " "
                    el("select", .name("body")) {
                        Components.option("", page.t("visit.anyBody"), selected: body == nil)
                        for holder in holders {
                            Components.option(String(holder.id), holder.name[page.language], selected: body == holder.id)
                        }
                    }
                }
                el("button", .type("submit")) { page.t("register.apply") }
            },
            el("h2") { page.t("visit.visits") },
            visits.isEmpty ? el("p") { page.t("visit.none") } : el("ul", .class("list"), .id("visit-list")) {
                for visit in visits {
                    el("li") {
                        el("a", .href(SiteURL.visit(.value(visit.id)).path)) { visit.title[page.language] }
                        " — " + territoryName(visit.territory, page) + ", " + dates(visit, page)
                        if visit.demo { " " + page.t("referendum.demo.short") }
                    }
                }
            },
            el("h2") { page.t("visit.meetings") },
            meetings.isEmpty ? el("p") { page.t("visit.noMeetings") } : el("table", .class("list")) {
                el("thead") {
                    el("tr") {
                        Components.th(page.t("visit.when")); Components.th(page.t("visit.meeting")); Components.th(page.t("visit.where"))
                    }
                }
                el("tbody") {
                    for meeting in meetings {
                        el("tr") {
                            el("td") { (meeting.day.map { Components.dateText($0, page) } ?? "") + " " + meeting.time }
                            el("td") { el("a", .href(SiteURL.meeting(.value(meeting.id)).path)) { meeting.title[page.language] } }
                            el("td") { territoryName(meeting.territory, page) + (meeting.address.isEmpty ? "" : ", " + meeting.address) }
                        }
                    }
                }
            },
            mayRecord ? visitForm(page) : .empty,
            mayRecord ? receptionForm(values: refused?.values ?? [:], problem: refused?.problem, page) : .empty,
        ])
    }

    static func visitForm(_ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("visit-form"), Attribute("method", "post"), Attribute("action", SiteURL.visits.path)]) {
            csrfField(page)
            el("h2") { page.t("visit.new") }
            el("label", Attribute("for", "visit-title")) { page.t("visit.title") }
            void("input", .type("text"), .name("title"), .id("visit-title"), .flag("required"), Attribute("maxlength", "300"))
            el("label", Attribute("for", "visit-territory")) { page.t("appeal.territory") }
            el("select", .name("territory"), .id("visit-territory")) {
                for region in page.tree.regions { Components.option(region.code.description, region.name[page.language], selected: false) }
            }
            el("label", Attribute("for", "visit-starts")) { page.t("visit.starts") }
            void("input", .type("date"), .name("starts"), .id("visit-starts"), .flag("required"))
            el("label", Attribute("for", "visit-ends")) { page.t("visit.ends") }
            void("input", .type("date"), .name("ends"), .id("visit-ends"), .flag("required"))
            el("label", Attribute("for", "visit-delegation")) { page.t("visit.delegation") }
            el("textarea", .name("delegation"), .id("visit-delegation"), Attribute("rows", "4")) { "" }
            el("button", .type("submit")) { page.t("visit.create") }
        }
    }

    /// What became of the issues raised: how many, answered, overdue, under control.
    static func outcome(_ issues: [AppealRecord], today: CivilDate, _ page: PageContext) -> Node {
        let answered = issues.filter { $0.status == .answered }.count
        let overdue = issues.filter { $0.timeliness(today: today) == .overdue }.count
        let assigned = issues.filter { $0.status == .assigned }.count
        return el("p", .class("notice"), .id("visit-outcome")) {
            page.t("visit.outcome", ["raised": String(issues.count), "answered": String(answered), "overdue": String(overdue),
                                     "assigned": String(assigned)])
        }
    }

    static func visit(_ visit: VisitRecord, _ model: Programme, _ page: PageContext) -> Node {
        let all = model.meetings.flatMap { model.issues[$0.id] ?? [] }
        return .fragment([
            el("h1") { visit.title[page.language] },
            el("p") {
                territoryName(visit.territory, page) + " · " + dates(visit, page)
                if visit.demo { " · " + page.t("visit.demo") }
            },
            outcome(all, today: model.today, page),
            visit.delegation.isEmpty ? .empty : fragment {
                el("h2") { page.t("visit.delegationTitle") }
                el("ul") { for member in visit.delegation { el("li") { member } } }
            },
            el("h2") { page.t("visit.programme") },
            model.meetings.isEmpty ? el("p") { page.t("visit.noMeetings") } : el("ol", .class("programme")) {
                for meeting in model.meetings { el("li") { meetingBlock(meeting, model, page, heading: "h3") } }
            },
            model.mayRecord ? meetingForm(visit, page) : .empty,
        ])
    }

    static func meetingPage(_ meeting: MeetingRecord, visit: VisitRecord?, _ model: Programme, _ page: PageContext) -> Node {
        .fragment([
            visit.map { visit in el("p") { el("a", .href(SiteURL.visit(.value(visit.id)).path)) { visit.title[page.language] } } } ?? .empty,
            outcome(model.issues[meeting.id] ?? [], today: model.today, page),
            meetingBlock(meeting, model, page, heading: "h1"),
            meeting.kind == .reception && meeting.slots != nil ? slots(meeting, model, page) : .empty,
        ])
    }

    /// A reception's slots: who booked (for those who record it), free or booked (for others),
    /// and the booking form for a resident.
    static func slots(_ meeting: MeetingRecord, _ model: Programme, _ page: PageContext) -> Node {
        let count = meeting.slots ?? 0
        let booked = Dictionary(uniqueKeysWithValues: model.bookings.map { ($0.slot, $0) })
        let free = (0..<count).filter { booked[$0] == nil }
        return fragment {
            el("h2", .id("slots")) { page.t("reception.slots", ["free": String(free.count), "count": String(count)]) }
            el("table", .class("list")) {
                el("thead") { el("tr") { Components.th(page.t("visit.when")); Components.th(page.t("appeal.statusLabel")) } }
                el("tbody") {
                    for slot in 0..<count {
                        el("tr") {
                            el("td") { ReceptionController.slotTime(meeting, slot) }
                            el("td") {
                                if let booking = booked[slot] {
                                    model.mayRecord
                                        ? booking.name + " — " + AppealViews.topicName(booking.topic, page) + (booking.note.isEmpty ? "" : ": " + booking.note)
                                        : page.t(model.ownBooking == slot ? "reception.yours" : "reception.booked")
                                } else {
                                    page.t("reception.free")
                                }
                            }
                        }
                    }
                }
            }
            if model.mayBook && model.ownBooking == nil && !free.isEmpty {
                el("form", attributes: [.class("stack"), .id("booking-form"), Attribute("method", "post"),
                                        Attribute("action", SiteURL.receptionBookings(.value(meeting.id)).path)]) {
                    csrfField(page)
                    el("label", Attribute("for", "booking-slot")) { page.t("reception.slot") }
                    el("select", .name("slot"), .id("booking-slot")) {
                        for slot in free { Components.option(String(slot), ReceptionController.slotTime(meeting, slot), selected: false) }
                    }
                    el("label", Attribute("for", "booking-topic")) { page.t("appeal.topic") }
                    el("select", .name("topic"), .id("booking-topic")) {
                        for topic in AppealTopic.all { Components.option(topic.key, topic.name[page.language], selected: false) }
                    }
                    el("label", Attribute("for", "booking-note")) { page.t("reception.note") }
                    void("input", .type("text"), .name("note"), .id("booking-note"), Attribute("maxlength", "1000"))
                    el("button", .type("submit")) { page.t("reception.book") }
                }
            }
        }
    }

    static func receptionForm(values: [String: String] = [:], problem: String? = nil, _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("reception-form"), Attribute("method", "post"), Attribute("action", SiteURL.receptions.path)]) {
            csrfField(page)
            el("h2") { page.t("reception.new") }
            if let problem { el("p", .class("error"), Attribute("role", "alert")) { problem } }
            el("label", Attribute("for", "reception-territory")) { page.t("visit.issueTerritory") }
            void("input", .type("text"), .name("territory"), .id("reception-territory"), Attribute("pattern", "[0-9]{9}"), .flag("required"),
                 .value(values["territory"] ?? ""))
            el("label", Attribute("for", "reception-time")) { page.t("visit.when") }
            void("input", .type("datetime-local"), .name("starts_at"), .id("reception-time"), .flag("required"), .value(values["starts_at"] ?? ""))
            el("label", Attribute("for", "reception-address")) { page.t("visit.address") }
            void("input", .type("text"), .name("address"), .id("reception-address"), Attribute("maxlength", "300"), .value(values["address"] ?? ""))
            el("label", Attribute("for", "reception-slots")) { page.t("reception.slotCount") }
            void("input", .type("number"), .name("slots"), .id("reception-slots"), Attribute("min", "1"), Attribute("max", "32"),
                 .value(values["slots"] ?? "8"))
            el("button", .type("submit")) { page.t("reception.publish") }
        }
    }

    static func mandateForm(values: [String: String] = [:], problem: String? = nil, _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("mandate-form"), Attribute("method", "post"), Attribute("action", SiteURL.mandates.path)]) {
            csrfField(page)
            el("h2") { page.t("mandate.new") }
            if let problem { el("p", .class("error"), Attribute("role", "alert")) { problem } }
            el("label", Attribute("for", "mandate-territory")) { page.t("visit.issueTerritory") }
            void("input", .type("text"), .name("territory"), .id("mandate-territory"), Attribute("pattern", "[0-9]{9}"), .flag("required"),
                 .value(values["territory"] ?? ""))
            el("label", Attribute("for", "mandate-district")) { page.t("mandate.district") }
            void("input", .type("text"), .name("electoral_district"), .id("mandate-district"), .flag("required"), Attribute("maxlength", "200"),
                 .value(values["electoral_district"] ?? ""))
            el("label", Attribute("for", "mandate-topic")) { page.t("appeal.topic") }
            el("select", .name("topic"), .id("mandate-topic")) {
                for topic in AppealTopic.all { Components.option(topic.key, topic.name[page.language], selected: values["topic"] == topic.key) }
            }
            el("label", Attribute("for", "mandate-text")) { page.t("mandate.text") }
            el("textarea", .name("text"), .id("mandate-text"), Attribute("rows", "3"), .flag("required")) { values["text"] ?? "" }
            el("label", Attribute("for", "mandate-deadline")) { page.t("mandate.deadline") }
            void("input", .type("date"), .name("deadline"), .id("mandate-deadline"), .flag("required"), .value(values["deadline"] ?? ""))
            el("button", .type("submit")) { page.t("mandate.save") }
        }
    }

    static func meetingBlock(_ meeting: MeetingRecord, _ model: Programme, _ page: PageContext, heading: String) -> Node {
        let issues = model.issues[meeting.id] ?? []
        return el("section", .id("meeting-\(meeting.id)"), .class("meeting")) {
            el(heading) { el("a", .href(SiteURL.meeting(.value(meeting.id)).path)) { meeting.title[page.language] } }
            el("dl", .class("facts")) {
                el("dt") { page.t("visit.when") }
                el("dd") { (meeting.day.map { Components.dateText($0, page) } ?? "") + " " + meeting.time }
                el("dt") { page.t("visit.kind") }
                el("dd") { page.t("visit.kind.\(meeting.kind.rawValue)") }
                el("dt") { page.t("visit.where") }
                el("dd") { territoryName(meeting.territory, page) + (meeting.address.isEmpty ? "" : ", " + meeting.address) }
                if !meeting.participants.isEmpty {
                    el("dt") { page.t("visit.participants") }
                    el("dd") {
                        if let host = meeting.hostID {
                            el("a", .href(SiteURL.deputy(.value(host)).path), .class("deputy-link")) { meeting.participants }
                        } else {
                            meeting.participants
                        }
                    }
                }
                if !meeting.agenda.isEmpty { el("dt") { page.t("visit.agenda") }; el("dd") { meeting.agenda } }
                if let object = meeting.objectID.flatMap({ model.objects[$0] }) {
                    el("dt") { page.t("visit.object") }
                    el("dd") {
                        el("a", .href(SiteURL.objects.link(SiteQuery([(.territory, object.territory.description)])) + "#object-\(object.id)")) {
                            object.name[page.language]
                        }
                        " · " + page.t("object.progress", ["percent": String(object.progress)])
                    }
                }
            }
            let files = model.files[meeting.id] ?? []
            if let minutes = meeting.minutes {
                el("h4") { page.t("visit.minutes") }
                el("p", .class("minutes")) { minutes }
            }
            let minuteFiles = files.filter { $0.purpose == AppealFileRecord.Purpose.minutes.rawValue }
            if !minuteFiles.isEmpty {
                el("h4") { page.t("visit.minutesFiles") }
                AppealViews.fileList(minuteFiles, id: "minutes-files-\(meeting.id)", page)
            }
            let photos = files.filter { $0.purpose == AppealFileRecord.Purpose.photo.rawValue }
            if !photos.isEmpty {
                el("h4") { page.t("visit.photos") }
                AppealViews.fileList(photos, id: "photos-\(meeting.id)", page)
            }
            if model.mayRecord {
                minutesForm(meeting, page)
            }
            el("h4", .id("issues-\(meeting.id)")) { page.t("visit.issues", ["count": String(issues.count)]) }
            if !issues.isEmpty {
                el("table", .class("list")) {
                    el("thead") {
                        el("tr") {
                            Components.th(page.t("appeal.number")); Components.th(page.t("visit.issue"))
                            Components.th(page.t("appeal.body")); Components.th(page.t("appeal.deadline"))
                            Components.th(page.t("appeal.statusLabel")); Components.th(page.t("appeal.answer"))
                        }
                    }
                    el("tbody") {
                        for issue in issues {
                            el("tr") {
                                el("td") { el("a", .href(SiteURL.appeal(.value(issue.id)).path)) { issue.number } }
                                el("td") { issue.publicText ?? AppealViews.topicName(issue.topic, page) }
                                el("td") { AppealViews.bodyName(issue.bodyID, model.bodies, page) }
                                el("td") { Components.dateText(issue.deadline, page) }
                                el("td") {
                                    AppealViews.status(issue, today: model.today, page)
                                    if let assignment = issue.assignmentID {
                                        " "
                                        el("a", .href(SiteURL.assignment(.value(assignment)).path)) { page.t("assignment.title", ["id": String(assignment)]) }
                                    }
                                }
                                el("td") { issue.status == .answered ? (issue.answer ?? "") : "—" }
                            }
                        }
                    }
                }
            }
            if model.mayRecord {
                let refused = model.refusedIssue.flatMap { $0.meeting == meeting.id ? $0 : nil }
                issueForm(meeting, bookings: meeting.kind == .reception ? model.bookings : [], values: refused?.values ?? [:],
                          problem: refused?.problem, page)
            }
        }
    }

    /// The minutes (text, the signed minutes as files, photos), written after the meeting and
    /// completed later; files are checked like evidence.
    static func minutesForm(_ meeting: MeetingRecord, _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("minutes-form-\(meeting.id)"), Attribute("method", "post"),
                                Attribute("action", SiteURL.meetingMinutes(.value(meeting.id)).link((.csrf, page.csrfToken))),
                                Attribute("enctype", "multipart/form-data")]) {
            el("label", Attribute("for", "minutes-\(meeting.id)")) { page.t("visit.minutes") }
            el("textarea", .name("minutes"), .id("minutes-\(meeting.id)"), Attribute("rows", "4")) { meeting.minutes ?? "" }
            AppealViews.filesField(id: "minutes-files-input-\(meeting.id)", page)
            el("label", Attribute("for", "photos-input-\(meeting.id)")) { page.t("visit.photos") }
            void("input", .type("file"), .name("photos[]"), .id("photos-input-\(meeting.id)"), .flag("multiple"), Attribute("accept", ".jpg,.jpeg,.png"))
            el("button", .type("submit")) { page.t("visit.minutesSave") }
        }
    }

    static func issueForm(_ meeting: MeetingRecord, bookings: [VisitStore.Booking] = [], values: [String: String] = [:],
                          problem: String? = nil, _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("issue-form-\(meeting.id)"), Attribute("method", "post"),
                                Attribute("action", SiteURL.meetingIssues(.value(meeting.id)).path)]) {
            csrfField(page)
            if let problem { el("p", .class("error"), Attribute("role", "alert")) { problem } }
            el("label", Attribute("for", "issue-text-\(meeting.id)")) { page.t("visit.issueNew") }
            el("textarea", .name("text"), .id("issue-text-\(meeting.id)"), Attribute("rows", "3"), .flag("required")) { values["text"] ?? "" }
            el("label", Attribute("for", "issue-by-\(meeting.id)")) { page.t("visit.raisedBy") }
            void("input", .type("text"), .name("raised_by"), .id("issue-by-\(meeting.id)"), Attribute("maxlength", "200"),
                 .value(values["raised_by"] ?? ""))
            if !bookings.isEmpty {
                // Someone who booked the reception follows the issue in their own appeals.
                el("label", Attribute("for", "issue-booking-\(meeting.id)")) { page.t("visit.issueBooking") }
                el("select", .name("booking"), .id("issue-booking-\(meeting.id)")) {
                    Components.option("", "—", selected: (values["booking"] ?? "").isEmpty)
                    for booking in bookings {
                        Components.option(String(booking.id), ReceptionController.slotTime(meeting, booking.slot) + " " + booking.name,
                                          selected: values["booking"] == String(booking.id))
                    }
                }
            }
            el("label", Attribute("for", "issue-contact-\(meeting.id)")) { page.t("visit.issueContact") }
            void("input", .type("text"), .name("contact"), .id("issue-contact-\(meeting.id)"), Attribute("maxlength", "200"),
                 .aria("describedby", "issue-contact-hint-\(meeting.id)"), .value(values["contact"] ?? ""))
            el("p", .class("meta"), .id("issue-contact-hint-\(meeting.id)")) { page.t("visit.issueContactHint") }
            el("label", Attribute("for", "issue-topic-\(meeting.id)")) { page.t("appeal.topic") }
            el("select", .name("topic"), .id("issue-topic-\(meeting.id)")) {
                for topic in AppealTopic.all { Components.option(topic.key, topic.name[page.language], selected: values["topic"] == topic.key) }
            }
            el("label", Attribute("for", "issue-territory-\(meeting.id)")) { page.t("visit.issueTerritory") }
            void("input", .type("text"), .name("territory"), .id("issue-territory-\(meeting.id)"), Attribute("inputmode", "numeric"),
                 Attribute("pattern", "[0-9]{9}"), .value(values["territory"] ?? meeting.territory.description))
            el("button", .type("submit")) { page.t("visit.issueSave") }
        }
    }

    static func meetingForm(_ visit: VisitRecord, _ page: PageContext) -> Node {
        el("form", attributes: [.class("stack"), .id("meeting-form"), Attribute("method", "post"),
                                Attribute("action", SiteURL.visitMeetings(.value(visit.id)).path)]) {
            csrfField(page)
            el("h2") { page.t("visit.meetingNew") }
            el("label", Attribute("for", "meeting-kind")) { page.t("visit.kind") }
            el("select", .name("kind"), .id("meeting-kind")) {
                for kind in MeetingKind.allCases { Components.option(kind.rawValue, page.t("visit.kind.\(kind.rawValue)"), selected: false) }
            }
            el("label", Attribute("for", "meeting-time")) { page.t("visit.when") }
            void("input", .type("datetime-local"), .name("starts_at"), .id("meeting-time"), .flag("required"),
                 Attribute("min", visit.starts.description + "T00:00"), Attribute("max", visit.ends.description + "T23:59"))
            el("label", Attribute("for", "meeting-title")) { page.t("visit.meeting") }
            void("input", .type("text"), .name("title"), .id("meeting-title"), .flag("required"), Attribute("maxlength", "300"))
            el("label", Attribute("for", "meeting-territory")) { page.t("visit.issueTerritory") }
            void("input", .type("text"), .name("territory"), .id("meeting-territory"), Attribute("pattern", "[0-9]{9}"), .value(visit.territory.description))
            el("label", Attribute("for", "meeting-address")) { page.t("visit.address") }
            void("input", .type("text"), .name("address"), .id("meeting-address"), Attribute("maxlength", "300"))
            el("label", Attribute("for", "meeting-participants")) { page.t("visit.participants") }
            el("textarea", .name("participants"), .id("meeting-participants"), Attribute("rows", "2")) { "" }
            el("label", Attribute("for", "meeting-agenda")) { page.t("visit.agenda") }
            el("textarea", .name("agenda"), .id("meeting-agenda"), Attribute("rows", "3")) { "" }
            el("label", Attribute("for", "meeting-body")) { page.t("visit.body") }
            el("select", .name("body"), .id("meeting-body")) {
                Components.option("", "—", selected: true)
                for body in page.bodies.bodies(of: nil) + page.bodies.bodies(of: visit.territory) where body.kind.isRepresentative {
                    Components.option(String(body.id), body.name[page.language], selected: false)
                }
            }
            el("button", .type("submit")) { page.t("visit.meetingSave") }
        }
    }

    static func objects(_ items: [TerritoryObjectRecord], counts: [Int: Int], territory: KATOCode?, bodies: BodyDirectory,
                        manageIn: KATOCode? = nil, _ page: PageContext) -> Node {
        let highest = counts.values.max() ?? 0
        return .fragment([
            el("h1") { page.t("object.list.title") + (territory.map { " — " + territoryName($0, page) } ?? "") },
            el("p") { page.t("object.list.intro") },
            el("p") { el("a", .href(SiteURL.objectsCSV.link(SiteQuery().adding(.territory, territory)))) { page.t("appeal.csv") } },
            TileMap.svg(regions: page.tree.regions, language: page.language, title: page.t("object.map"), titleID: "object-map",
                        link: { SiteURL.objects.link(SiteQuery([(.territory, $0.description)])) },
                        shade: { region in
                            guard let count = counts[region.code.regionNumber], highest > 0 else { return TileMap.Shade(cssClass: "tile tile-none", caption: "—") }
                            return TileMap.Shade(cssClass: "tile tile-q\(min(4, count * 5 / (highest + 1)))", caption: String(count))
                        }),
            territory == nil ? el("p") { page.t("object.chooseRegion") } : byDistrict(items, bodies: bodies, page),
            manageIn.map { scope in objectForms(scope, items: items.filter { scope.contains($0.territory) }, page) } ?? .empty,
        ])
    }

    /// An officer's forms: register an object in their territory, record an object's progress.
    static func objectForms(_ scope: KATOCode, items: [TerritoryObjectRecord], _ page: PageContext) -> Node {
        fragment {
            el("form", attributes: [.class("stack"), .id("object-form"), Attribute("method", "post"), Attribute("action", SiteURL.objects.path)]) {
                csrfField(page)
                el("h2") { page.t("object.new") }
                el("label", Attribute("for", "object-territory")) { page.t("visit.issueTerritory") }
                void("input", .type("text"), .name("territory"), .id("object-territory"), Attribute("inputmode", "numeric"),
                     Attribute("pattern", "[0-9]{9}"), .flag("required"), .value(scope.description))
                el("label", Attribute("for", "object-kind")) { page.t("object.kind") }
                el("select", .name("kind"), .id("object-kind")) {
                    for kind in TerritoryObjectRecord.kinds { Components.option(kind, page.t("object.kind.\(kind)"), selected: false) }
                }
                el("label", Attribute("for", "object-name")) { page.t("object.name") }
                void("input", .type("text"), .name("name"), .id("object-name"), .flag("required"), Attribute("maxlength", "300"))
                el("label", Attribute("for", "object-body")) { page.t("appeal.body") }
                el("select", .name("body"), .id("object-body")) {
                    Components.option("", "—", selected: true)
                    for code in [scope] + page.tree.ancestors(of: scope).map(\.code) {
                        for body in page.bodies.bodies(of: code) where body.kind.isExecutive {
                            Components.option(String(body.id), body.name[page.language], selected: false)
                        }
                    }
                }
                el("label", Attribute("for", "object-cost")) { page.t("object.cost") }
                void("input", .type("text"), .name("cost"), .id("object-cost"), Attribute("inputmode", "decimal"))
                el("label", Attribute("for", "object-funding")) { page.t("object.funding") }
                el("select", .name("funding"), .id("object-funding")) {
                    for funding in TerritoryObjectRecord.fundings { Components.option(funding, page.t("object.funding.\(funding)"), selected: false) }
                }
                el("label", Attribute("for", "object-start")) { page.t("object.plannedStart") }
                void("input", .type("date"), .name("planned_start"), .id("object-start"))
                el("label", Attribute("for", "object-end")) { page.t("object.plannedEnd") }
                void("input", .type("date"), .name("planned_end"), .id("object-end"))
                el("label", Attribute("for", "object-line")) { page.t("object.budgetFunction") }
                void("input", .type("text"), .name("budget_line"), .id("object-line"), Attribute("pattern", "[0-9]{2}"), Attribute("maxlength", "2"))
                el("label", Attribute("for", "object-instruction")) { page.t("object.instructionNumber") }
                void("input", .type("number"), .name("instruction"), .id("object-instruction"), Attribute("min", "1"))
                el("button", .type("submit")) { page.t("object.save") }
            }
            if !items.isEmpty {
                el("h2") { page.t("object.progressTitle") }
                for item in items {
                    el("form", attributes: [.class("filters"), .id("progress-form-\(item.id)"), Attribute("method", "post"),
                                            Attribute("action", SiteURL.object(.value(item.id)).path)]) {
                        csrfField(page)
                        el("fieldset") {
                            el("legend") { item.name[page.language] }
                            el("label") {
                                page.t("object.progressLabel")
                                void("input", .type("number"), .name("progress"), Attribute("min", "0"), Attribute("max", "100"), .flag("required"),
                                     .value(String(item.progress)))
                            }
                            el("label") {
                                page.t("object.plannedEnd")
                                void("input", .type("date"), .name("planned_end"), .value(item.plannedEnd?.description ?? ""))
                            }
                            el("label") {
                                page.t("object.actualEnd")
                                void("input", .type("date"), .name("actual_end"), .value(item.actualEnd?.description ?? ""))
                            }
                            el("button", .type("submit"), .class("small")) { page.t("object.progressSave") }
                        }
                    }
                }
            }
        }
    }

    static func period(_ item: TerritoryObjectRecord, _ page: PageContext) -> String {
        let start: String = item.plannedStart.map { Components.dateText($0, page) } ?? "…"
        let end: String = item.plannedEnd.map { Components.dateText($0, page) } ?? "…"
        var text = start + " – " + end
        if let done = item.actualEnd { text += " (" + page.t("object.done", ["date": Components.dateText(done, page)]) + ")" }
        return text
    }

    /// Objects by district, as tiles shaded by how many each district has (with their mean
    /// progress), each linking to its part of the list below.
    static func districtTiles(_ groups: [KATOCode: [TerritoryObjectRecord]], _ page: PageContext) -> Node {
        let highest = groups.values.map(\.count).max() ?? 0
        return el("figure", .class("district-tiles"), .aria("labelledby", "district-tiles-title")) {
            el("figcaption", .id("district-tiles-title")) { page.t("object.districtMap") }
            el("ul", .id("district-tiles")) {
                for district in groups.keys.sorted(by: { territoryName($0, page) < territoryName($1, page) }) {
                    let items = groups[district] ?? []
                    let progress = items.isEmpty ? 0 : items.map(\.progress).reduce(0, +) / items.count
                    el("li", .class("tile tile-q\(min(4, items.count * 5 / (highest + 1)))")) {
                        el("a", .href("#district-\(district)")) {
                            el("span", .class("tile-name")) { territoryName(district, page) }
                            el("span", .class("tile-figure")) {
                                page.t("object.districtTile", ["count": String(items.count), "percent": String(progress)])
                            }
                        }
                    }
                }
            }
        }
    }

    static func byDistrict(_ items: [TerritoryObjectRecord], bodies: BodyDirectory, _ page: PageContext) -> Node {
        let groups = Dictionary(grouping: items) { AppealRouting.district(of: $0.territory) }
        return fragment {
            if items.isEmpty { el("p") { page.t("object.none") } } else { districtTiles(groups, page) }
            for district in groups.keys.sorted() {
                el("h2", .id("district-\(district)")) { territoryName(district, page) + " (" + String(groups[district]?.count ?? 0) + ")" }
                objectTable(groups[district] ?? [], bodies: bodies, page)
            }
        }
    }

    /// Objects as a table: what, who answers for it, cost and funding, dates, progress, and the
    /// budget line and instruction it is tied to.
    static func objectTable(_ items: [TerritoryObjectRecord], bodies: BodyDirectory, _ page: PageContext) -> Node {
        el("table", .class("list")) {
            el("thead") {
                el("tr") {
                    Components.th(page.t("object.name")); Components.th(page.t("object.kind")); Components.th(page.t("appeal.body"))
                    Components.th(page.t("object.cost"), .class("num")); Components.th(page.t("object.funding"))
                    Components.th(page.t("object.dates")); Components.th(page.t("object.progressLabel"), .class("num"))
                    Components.th(page.t("object.links"))
                }
            }
            el("tbody") {
                for item in items {
                    el("tr", .id("object-\(item.id)")) {
                        el("th", Attribute("scope", "row")) { item.name[page.language] + (item.demo ? " " + page.t("referendum.demo.short") : "") }
                        el("td") { page.t("object.kind.\(item.kind)") }
                        el("td") { AppealViews.bodyName(item.bodyID, bodies, page) }
                        el("td", .class("num")) { item.cost.map { NumberFormat.integer(Int($0.rounded()), page.language) } ?? "—" }
                        el("td") { page.t("object.funding.\(item.funding)") }
                        el("td") { period(item, page) }
                        el("td", .class("num")) { String(item.progress) + "%" }
                        el("td") {
                            if let line = item.budgetLine, !line.isEmpty {
                                el("a", .href(SiteURL.territory(.value(AppealRouting.district(of: item.territory))).path + "#budget")) {
                                    page.t("object.budgetLine", ["code": line])
                                }
                            }
                            if let instruction = item.instructionID {
                                if item.budgetLine != nil { " · " }
                                el("a", .href(SiteURL.instruction(.value(instruction)).path)) {
                                    page.t("object.instruction", ["id": String(instruction)])
                                }
                            }
                            if item.budgetLine == nil && item.instructionID == nil { "—" }
                        }
                    }
                }
            }
        }
    }
}
