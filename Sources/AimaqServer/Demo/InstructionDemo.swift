import AimaqCore
import Fluent
import SQLKit
import Vapor

/// A realistic national set of instruction control: the action plan of the September 2025
/// Address, the 5th National Kurultai, the plan of the Year of Digitalisation and AI, and
/// the items raised in Kyzylorda oblast in January 2026, assigned to all 20 regions and
/// further down, with reports, returns, acceptances, extensions and overdue items.
/// Texts are written for the demo; every person in it is invented.
enum InstructionDemo {
    struct Scale: Sendable {
        /// Instructions per source (four sources).
        var instructionsPerSource: Int
        /// Instructions whose assignments go down to every district of every region.
        var nationwideDistrictInstructions: Int
        /// Earlier periods already reported and accepted, for periodic assignments still running.
        var earlierPeriods: Int
        static let demo = Scale(instructionsPerSource: 26, nationwideDistrictInstructions: 16, earlierPeriods: 0)
        /// At least 50,000 assignments and 200,000 reports, for benchmarks.
        static let national = Scale(instructionsPerSource: 76, nationwideDistrictInstructions: 240, earlierPeriods: 4)
    }

    struct Summary: Sendable {
        var sources = 0, instructions = 0, assignments = 0, events = 0, reports = 0, reviews = 0
    }

    struct Topic {
        var category: InstructionCategory
        var text: String
        var indicator: (name: String, unit: String, target: Double)?
    }

    static let topics: [Topic] = [
        Topic(category: .digital, text: "Connect rural schools and outpatient clinics to broadband internet", indicator: ("Facilities connected", "units", 120)),
        Topic(category: .artificialIntelligence, text: "Introduce artificial-intelligence tools in the akimat's handling of citizens' appeals", indicator: ("Appeals handled with AI assistance", "%", 60)),
        Topic(category: .digital, text: "Move local public services to the eGov portal and retire paper forms", indicator: ("Services online", "units", 40)),
        Topic(category: .artificialIntelligence, text: "Train civil servants of the region in the use of artificial intelligence", indicator: ("Civil servants trained", "people", 800)),
        Topic(category: .governance, text: "Publish the execution of the local budget and of investment projects as open data", indicator: ("Data sets published", "units", 25)),
        Topic(category: .roads, text: "Repair local roads of regional and district significance", indicator: ("Roads repaired", "km", 150)),
        Topic(category: .water, text: "Provide villages with centralised drinking water supply", indicator: ("Villages connected", "units", 30)),
        Topic(category: .utilities, text: "Modernise heat and power networks with wear above 60 percent", indicator: ("Networks modernised", "km", 45)),
        Topic(category: .investment, text: "Launch the investment projects agreed for the region and report on jobs created", indicator: ("Jobs created", "jobs", 1500)),
        Topic(category: .youth, text: "Run digital-literacy courses for young people in district centres and villages", indicator: ("Young people trained", "people", 3000)),
        Topic(category: .smallBusiness, text: "Simplify support for small business: microcredits, one-stop service, fewer inspections", indicator: ("Microcredits issued", "units", 400)),
        Topic(category: .sport, text: "Build and equip inclusive sports grounds accessible to people with disabilities", indicator: ("Sports grounds opened", "units", 12)),
        Topic(category: .budget, text: "Prepare the district and village budgets for the new revenue sources of the Budget Code", indicator: nil),
        Topic(category: .social, text: "Reduce waiting lists for places in kindergartens", indicator: ("Children on the waiting list", "children", 500)),
        Topic(category: .governance, text: "Hold reporting meetings of akims with the population and publish the minutes", indicator: ("Meetings held", "units", 20)),
        Topic(category: .water, text: "Reduce losses of irrigation water through canal lining", indicator: ("Canals lined", "km", 60)),
    ]

    struct SourceSpec {
        var kind: SourceKind
        var date: String
        var number: String?
        var title: String
        var issuer: BodyKind?
        var kyzylordaOnly: Bool
    }

    static let sources: [SourceSpec] = [
        SourceSpec(kind: .address, date: "2025-09-08", number: nil,
                   title: "Nationwide action plan for the Address \"Kazakhstan in the era of artificial intelligence\" (demo)",
                   issuer: nil, kyzylordaOnly: false),
        SourceSpec(kind: .kurultai, date: "2026-01-20", number: nil,
                   title: "Measures following the 5th National Kurultai, Kyzylorda (demo)", issuer: nil, kyzylordaOnly: false),
        SourceSpec(kind: .decree, date: "2026-01-15", number: "demo-2026/AI",
                   title: "Plan of the Year of Digitalisation and Artificial Intelligence: 8 directions (demo)", issuer: nil, kyzylordaOnly: false),
        SourceSpec(kind: .meetingProtocol, date: "2026-01-08", number: "demo-01",
                   title: "Meeting of the Senate Speaker with maslikhat deputies of Kyzylorda oblast: items raised (demo)",
                   issuer: .senate, kyzylordaOnly: true),
    ]

    static let categoryCount = InstructionCategory.allCases.count

    /// Loads the set when no instructions exist yet. `today` places deadlines and statuses.
    @discardableResult
    static func load(_ app: Application, scale: Scale = .demo, today: CivilDate,
                     progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Summary {
        var summary = Summary()
        guard try await Instruction.query(on: app.db).count() == 0 else { return summary }
        let tree = app.aimaq.territories.tree
        let bodies = app.aimaq.bodies
        func akimat(of code: KATOCode?) -> Int? { bodies.bodies(of: code).first { $0.kind == .akimat }?.id }
        func nationalBody(_ kind: BodyKind) -> Int? { bodies.bodies(of: nil).first { $0.kind == kind }?.id }

        let kyzylorda = try KATOCode("430000000")
        var random = SeededRandom(seed: 2025_09_08)
        var sourceRows: [[any SQLExpression]] = []
        var instructionRows: [[any SQLExpression]] = []
        var indicatorRows: [[any SQLExpression]] = []
        var assignmentRows: [[any SQLExpression]] = []
        var eventRows: [[any SQLExpression]] = []
        var reportRows: [[any SQLExpression]] = []
        var valueRows: [[any SQLExpression]] = []
        var reviewRows: [[any SQLExpression]] = []
        var milestoneRows: [[any SQLExpression]] = []
        let roadMapRule = RoadMapRule()

        let sql = try app.db.sql
        func nextID(_ table: String) async throws -> Int {
            let max = try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "m").from(table)
                .first(decodingColumn: "m", as: Int?.self)
            return (max.flatMap { $0 } ?? 0) + 1
        }
        var sourceID = try await nextID("source_documents")
        var instructionID = try await nextID("instructions")
        var indicatorID = try await nextID("instruction_indicators")
        var assignmentID = try await nextID("assignments")
        var reportID = try await nextID("reports")

        let districtsByRegion = tree.regions.map { region in
            (region, tree.children(of: region.code).filter { $0.level == .district })
        }
        var nationwideLeft = scale.nationwideDistrictInstructions
        let start = try CivilDate("2025-09-15")

        for source in sources {
            sourceRows.append([SQLBind(sourceID), SQLBind(source.kind.rawValue), SQLBind(source.date), SQLBind(source.number),
                               SQLBind(source.title), SQLBind(source.issuer.flatMap(nationalBody))])
            summary.sources += 1
            for index in 0..<scale.instructionsPerSource {
                let topic = topics[(index + sourceID * 3) % topics.count]
                let deadline = start.adding(days: 60 + random.next(upperBound: 600))
                let period: ReportingPeriod = [.once, .quarterly, .monthly, .halfYearly][index % 4]
                let isPublic = index % 9 != 4
                let point = "\(index / 10 + 1).\(index % 10 + 1)"
                instructionRows.append([
                    SQLBind(instructionID), SQLBind(sourceID), SQLBind(point), SQLBind(topic.text), SQLBind(topic.category.rawValue),
                    SQLBind(source.kyzylordaOnly ? akimat(of: kyzylorda) : nationalBody(.kurultai) ?? nationalBody(.senate)),
                    SQLBind("Ministry of Digital Development (demo); regional akimats"), SQLBind(deadline.description),
                    SQLBind(period.rawValue), SQLBind("Information to the national representative body"), SQLBind(isPublic),
                    SQLBind(1.0 + Double(index % 3)),
                ])
                var instructionIndicator: (id: Int, target: Double)?
                if let indicator = topic.indicator {
                    indicatorRows.append([SQLBind(indicatorID), SQLBind(instructionID), SQLBind(indicator.name), SQLBind(indicator.unit),
                                          SQLBind(indicator.target), SQLBind(indicator.name.hasPrefix("Children"))])
                    instructionIndicator = (indicatorID, indicator.target)
                    indicatorID += 1
                }
                summary.instructions += 1

                // Where it goes: every region (or Kyzylorda oblast), down to districts where planned.
                var targets: [(code: KATOCode, parent: Int?)] = []
                let goesToDistricts = source.kyzylordaOnly || nationwideLeft > 0
                if !source.kyzylordaOnly { nationwideLeft -= 1 }
                for (region, districts) in districtsByRegion {
                    if source.kyzylordaOnly && region.code != kyzylorda { continue }
                    let regionAssignment = assignmentID + targets.count
                    targets.append((region.code, nil))
                    if goesToDistricts || region.code == kyzylorda {
                        for district in districts { targets.append((district.code, regionAssignment)) }
                    }
                }
                let sourceDate = try CivilDate(source.date)
                let complex = roadMapRule.isRequired(given: sourceDate, deadline: deadline, severalBodies: true)
                for target in targets {
                    // Most bodies gave the road map a complex instruction asks for; some still owe it.
                    if complex && target.parent == nil && assignmentID % 7 != 3 {
                        let span = deadline.dayNumber - sourceDate.dayNumber
                        let submitted = Int64(sourceDate.adding(days: 8).dayNumber) * 86_400_000 + 10 * 3_600_000
                        for (position, step) in ["Road map agreed with the co-executors", "Half of the measures carried out",
                                                 "Results reported to the lead body"].enumerated() {
                            let due = sourceDate.adding(days: span * (position + 1) / 4)
                            milestoneRows.append([SQLBind(assignmentID), SQLBind(position + 1), SQLBind(due.description),
                                                  SQLBind(step), SQLBind(submitted), SQLBind("Demo officer"),
                                                  SQLBind(Role.akimatOfficer.rawValue)])
                        }
                    }
                    let state = simulate(&random, deadline: deadline, today: today, period: period)
                    let ownDeadline = state.extendedTo ?? deadline
                    let completion: Double?
                    var actual: Double?
                    if let indicator = instructionIndicator, state.reports > 0 {
                        actual = (indicator.target * Double(20 + random.next(upperBound: 100)) / 100).rounded()
                        completion = state.status == .accepted ? 1
                            : Completion.completion(status: state.status, indicators: [.init(target: indicator.target, actual: actual)])
                    } else {
                        completion = Completion.completion(status: state.status, indicators: [])
                    }
                    assignmentRows.append([
                        SQLBind(assignmentID), SQLBind(instructionID), SQLBind(target.code.value),
                        SQLBind(bodies.responsible(for: target.code, category: topic.category)),
                        SQLBind(target.parent), SQLBind(ownDeadline.description), SQLBind(state.status.rawValue),
                        SQLBind(1.0), SQLBind(completion), SQLBind(index % 5 != 2), SQLBind(Int64(today.dayNumber) * 86_400_000),
                        SQLBind(isPublic), SQLBind(topic.category.rawValue),
                    ])
                    // History and reports, replayed through the state machine.
                    var status = AssignmentStatus.registered
                    var day = start.adding(days: random.next(upperBound: 20))
                    func event(_ e: AssignmentEvent, actor: String, reason: String? = nil) {
                        guard let next = try? status.applying(e) else { return }
                        var newDeadline: String?
                        if case .extend(let d) = e { newDeadline = d.description }
                        eventRows.append([SQLBind(assignmentID), SQLBind(instructionID), SQLBind(Int64(day.dayNumber) * 86_400_000 + 36_000_000),
                                          SQLBind(actor), SQLBind(role(actor)), SQLBind(e.name), SQLBind(status.rawValue), SQLBind(next.rawValue),
                                          SQLBind(reason), SQLBind(newDeadline)])
                        summary.events += 1
                        status = next
                        day = day.adding(days: 3 + random.next(upperBound: 25))
                    }
                    // People are shown by name, never by e-mail: one invented officer per
                    // territory and one deputy per region, the same in every run.
                    var officerNames = SeededRandom(seed: UInt64(target.code.value))
                    var deputyNames = SeededRandom(seed: UInt64(target.code.regionNumber) &* 7_919)
                    let officer = FictionalNames.person(&officerNames)
                    let deputy = FictionalNames.person(&deputyNames)
                    // (Two invented people may share a name: the officer's role then wins.)
                    func role(_ who: String) -> String? {
                        who == officer ? Role.akimatOfficer.rawValue : who == deputy ? Role.maslikhatDeputy.rawValue : nil
                    }
                    event(.assign, actor: "Control office (demo)")
                    event(.start, actor: officer)
                    if period != .once && state.status != .removedFromControl {
                        for _ in 0..<scale.earlierPeriods {
                            event(.submitReport, actor: officer)
                            reportRows.append([SQLBind(reportID), SQLBind(assignmentID), SQLBind(period.label(for: day)),
                                               SQLBind("Periodic report: figures for the period (demo)."), SQLBind(officer),
                                               SQLBind(Role.akimatOfficer.rawValue),
                                               SQLBind(Int64(day.dayNumber) * 86_400_000 + 40_000_000), SQLBind(ReportState.accepted.rawValue)])
                            reviewRows.append([SQLBind(reportID), SQLBind(deputy), SQLBind(Role.maslikhatDeputy.rawValue),
                                               SQLBind("accept"), SQLBind(nil as String?),
                                               SQLBind(Int64(day.dayNumber) * 86_400_000 + 50_000_000)])
                            summary.reports += 1
                            summary.reviews += 1
                            reportID += 1
                            event(.accept(final: false), actor: deputy)
                        }
                    }
                    for round in 0..<state.reports {
                        event(.submitReport, actor: officer)
                        let isLast = round == state.reports - 1
                        let reportState: String
                        let decision: String?
                        if isLast && state.lastReportPending {
                            reportState = ReportState.submitted.rawValue; decision = nil
                        } else if round < state.returns {
                            reportState = ReportState.returned.rawValue; decision = "return"
                        } else {
                            reportState = ReportState.accepted.rawValue; decision = "accept"
                        }
                        reportRows.append([SQLBind(reportID), SQLBind(assignmentID),
                                           SQLBind(period.label(for: day)),
                                           SQLBind("Report on \(topic.text.lowercased()): work done in the period, figures attached (demo)."),
                                           SQLBind(officer), SQLBind(Role.akimatOfficer.rawValue),
                                           SQLBind(Int64(day.dayNumber) * 86_400_000 + 40_000_000), SQLBind(reportState)])
                        if let indicator = instructionIndicator, let actual {
                            valueRows.append([SQLBind(reportID), SQLBind(indicator.id), SQLBind(actual * Double(round + 1) / Double(state.reports))])
                        }
                        if let decision {
                            reviewRows.append([SQLBind(reportID), SQLBind(deputy), SQLBind(Role.maslikhatDeputy.rawValue), SQLBind(decision),
                                               SQLBind(decision == "return" ? "Figures do not match the attached documents; please correct (demo)." : nil),
                                               SQLBind(Int64(day.dayNumber) * 86_400_000 + 50_000_000)])
                            summary.reviews += 1
                            event(decision == "return" ? .returnReport : .accept(final: isLast && state.status == .accepted),
                                  actor: deputy, reason: decision == "return" ? "Figures do not match (demo)" : nil)
                        }
                        summary.reports += 1
                        reportID += 1
                    }
                    if let extendedTo = state.extendedTo, !status.isFinal {
                        event(.extend(newDeadline: extendedTo), actor: deputy, reason: "Contractor delayed by the heating season (demo)")
                    }
                    if state.status == .removedFromControl {
                        event(.removeFromControl, actor: deputy, reason: "Merged into the regional development plan (demo)")
                    }
                    assignmentID += 1
                    summary.assignments += 1
                }
                instructionID += 1
            }
            sourceID += 1
        }
        progress("instructions: \(summary.instructions) instructions, \(summary.assignments) assignments generated")

        let tables: [(String, [String], [Row])] = [
            ("source_documents", ["id", "kind", "date", "number", "title", "issuer_body_id"], sourceRows.map(Row.init)),
            ("instructions", ["id", "source_id", "point", "text", "category", "lead_body_id", "co_executors",
                              "deadline", "period", "completion_form", "is_public", "weight"], instructionRows.map(Row.init)),
            ("instruction_indicators", ["id", "instruction_id", "name", "unit", "target", "lower_is_better"], indicatorRows.map(Row.init)),
            ("assignments", ["id", "instruction_id", "territory_id", "body_id", "parent_id", "deadline", "status",
                             "weight", "completion", "evidence_public", "updated_at", "is_public", "category"], assignmentRows.map(Row.init)),
            ("assignment_events", ["assignment_id", "instruction_id", "at", "actor", "actor_role", "event", "from_status", "to_status",
                                   "reason", "deadline"],
             eventRows.map(Row.init)),
            ("reports", ["id", "assignment_id", "period", "text", "author", "author_role", "submitted_at", "state"], reportRows.map(Row.init)),
            ("report_values", ["report_id", "indicator_id", "value"], valueRows.map(Row.init)),
            ("reviews", ["report_id", "reviewer", "reviewer_role", "decision", "remarks", "at"], reviewRows.map(Row.init)),
            ("road_map_milestones", ["assignment_id", "position", "due", "text", "submitted_at", "author", "author_role"],
             milestoneRows.map(Row.init)),
        ]
        try await app.db.transaction { db in
            let sql = try db.sql
            for (table, columns, rows) in tables {
                try await insert(sql, table, columns, rows, progress: progress)
            }
            try await resetSequences(sql, tables: ["source_documents", "instructions", "instruction_indicators", "assignments", "reports"])
        }
        app.aimaq.register.invalidate()
        let written = summary
        try await AuditLog.record(on: app.db, actor: "demo") { _ in
            ((), AuditEvent(action: "demo.instructions", entity: "instructions", entityID: "all", before: nil,
                            after: "{\"instructions\":\(written.instructions),\"assignments\":\(written.assignments),\"reports\":\(written.reports)}"))
        }
        return written
    }

    struct Row: @unchecked Sendable { var values: [any SQLExpression] }

    static func insert(_ sql: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [Row],
                       progress: (@Sendable (String) -> Void)? = nil) async throws {
        let perStatement = max(1, 30_000 / max(1, columns.count))
        var done = 0
        for batch in rows.chunked(into: min(perStatement, 2_000)) {
            var builder = sql.insert(into: table).columns(columns)
            for row in batch { builder = builder.values(row.values) }
            try await builder.run()
            done += batch.count
            if let progress, rows.count > 50_000, done % 50_000 < batch.count {
                progress("\(table): \(done)/\(rows.count)")
            }
        }
    }

    /// PostgreSQL keeps identity sequences apart from the rows; after inserting explicit ids
    /// the sequences must move past them.
    static func resetSequences(_ sql: any SQLDatabase, tables: [String]) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        for table in tables {
            try await sql.raw("SELECT setval(pg_get_serial_sequence(\(unsafeRaw: "'\(table)'"), 'id'), COALESCE((SELECT MAX(id) FROM \(ident: table)), 1))").run()
        }
    }

    struct SimulatedState {
        var status: AssignmentStatus
        var reports: Int
        var returns: Int
        var lastReportPending: Bool
        var extendedTo: CivilDate?
    }

    /// Picks a plausible life for one assignment: mostly on track, some accepted, some
    /// returned, extended, overdue or removed, depending on how far its deadline is.
    static func simulate(_ random: inout SeededRandom, deadline: CivilDate, today: CivilDate,
                         period: ReportingPeriod) -> SimulatedState {
        let roll = random.next(upperBound: 100)
        let past = deadline < today
        switch roll {
        case 0..<4:
            return SimulatedState(status: .removedFromControl, reports: 0, returns: 0, lastReportPending: false, extendedTo: nil)
        case 4..<14:
            let extended = (past ? today : deadline).adding(days: 60 + random.next(upperBound: 120))
            return SimulatedState(status: .extended, reports: period == .once ? 0 : 1, returns: 0, lastReportPending: false, extendedTo: extended)
        case 14..<24:
            return SimulatedState(status: .returned, reports: 1, returns: 1, lastReportPending: false, extendedTo: nil)
        case 24..<40:
            return SimulatedState(status: .reportSubmitted, reports: 2, returns: roll % 2, lastReportPending: true, extendedTo: nil)
        case 40..<(past ? 80 : 55):
            let returns = roll % 3 == 0 ? 1 : 0
            return SimulatedState(status: .accepted, reports: (period == .once ? 1 : 3) + returns, returns: returns,
                                  lastReportPending: false, extendedTo: nil)
        default:
            // In progress: overdue when the deadline has passed.
            return SimulatedState(status: .inProgress, reports: period == .once ? 0 : 1, returns: 0, lastReportPending: false, extendedTo: nil)
        }
    }
}

extension SeededRandom {
    mutating func next(upperBound: Int) -> Int { Int(next() % UInt64(max(1, upperBound))) }
}
