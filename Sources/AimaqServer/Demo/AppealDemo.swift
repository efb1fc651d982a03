import AimaqCore
import Fluent
import Foundation
import OpinionMap
import SQLKit
import Vapor

/// The demo of issue 15, every person and every text invented: a register of objects and
/// projects in every region; the visit of 8 January 2026 to Kyzylorda region with its
/// programme, minutes and the issues raised (answered, late, overdue, under control); about
/// 20,000 appeals across the country over 2025–2026 with clusters of similar ones; receptions
/// and voters' mandates of the Kyzylorda and Shieli maslikhats.
enum AppealDemo {
    struct Summary: Sendable { var objects = 0, meetings = 0, issues = 0, appeals = 0, groups = 0, regroupSeconds = 0.0 }

    static let kyzylorda = try! KATOCode("430000000")
    static let shieli = try! KATOCode("435200000")

    static func load(_ app: Application, appeals count: Int = 20_000,
                     progress: @escaping @Sendable (String) -> Void) async throws -> Summary {
        let sql = app.db as! any SQLDatabase
        struct N: Decodable { var n: Int }
        let existing = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("visits").first(decoding: N.self)?.n ?? 0
        guard existing == 0 else { return Summary() }
        var summary = Summary()
        var random = SeededGenerator(seed: 1_508)
        summary.objects = try await objects(app, random: &random)
        progress("\(summary.objects) objects and investment projects in every region")
        summary.appeals = try await appeals(app, count: count, random: &random, progress: progress)
        let (visitMeetings, visitIssues) = try await visit(app)
        let (receptionMeetings, receptionIssues) = try await receptionsAndMandates(app)
        summary.meetings = visitMeetings + receptionMeetings
        summary.issues = visitIssues + receptionIssues
        let started = Date()
        let grouped = try await AppealStore.regroup(on: app.db)
        summary.groups = grouped.groups
        summary.regroupSeconds = Date().timeIntervalSince(started)
        progress("\(grouped.appeals) appeals in \(grouped.groups) groups of similar ones (regrouped in "
                 + String(format: "%.2f", summary.regroupSeconds) + " s); the Kyzylorda visit of 8 January 2026: "
                 + "\(visitMeetings) meetings, \(visitIssues) issues raised; \(receptionMeetings) receptions with \(receptionIssues) issues and mandates")
        return summary
    }

    // MARK: Objects

    static let objectTemplates: [(kind: String, kk: String, ru: String, en: String, cost: Double, funding: String)] = [
        ("school", "{place}: 600 орындық мектеп", "{place}: школа на 600 мест", "{place}: school for 600 pupils", 4_800_000, "republican"),
        ("clinic", "{place}: емхана", "{place}: поликлиника", "{place}: outpatient clinic", 2_100_000, "local"),
        ("road", "{place}: аудандық жолды қайта жаңарту", "{place}: реконструкция районной дороги", "{place}: reconstruction of the district road", 6_500_000, "republican"),
        ("water", "{place}: ауылдық сумен жабдықтау жүйесі", "{place}: сельский водопровод", "{place}: village water supply", 1_300_000, "local"),
        ("networks", "{place}: жылу және электр желілерін жаңғырту", "{place}: модернизация тепло- и электросетей", "{place}: renewal of heating and power networks", 3_200_000, "mixed"),
        ("industrial_zone", "{place}: индустриялық аймақ", "{place}: индустриальная зона", "{place}: industrial zone", 9_000_000, "private"),
    ]

    static func objects(_ app: Application, random: inout SeededGenerator) async throws -> Int {
        let tree = app.aimaq.territories.tree
        let bodies = app.aimaq.bodies
        var created = 0
        let today = app.aimaq.clock.today()
        for region in tree.regions {
            let districts = tree.children(of: region.code).filter { $0.code.level == .district }
            for (index, template) in objectTemplates.enumerated() {
                let place = districts.isEmpty ? region : districts[(index * 7 + region.code.regionNumber) % districts.count]
                let start = try CivilDate(year: 2024 + random.nextIndex(below: 2), month: 1 + random.nextIndex(below: 12), day: 1)
                let end = start.adding(days: 365 + random.nextIndex(below: 700))
                let progressShare = end <= today ? 100 : min(95, max(5, (today.dayNumber - start.dayNumber) * 100 / max(1, end.dayNumber - start.dayNumber)))
                let category: InstructionCategory = ["road": .roads, "water": .water, "networks": .utilities, "industrial_zone": .investment][template.kind] ?? .social
                func name(_ text: String, _ language: Language) -> String { text.replacingOccurrences(of: "{place}", with: place.name[language]) }
                _ = try await VisitStore.createObject(TerritoryObjectRecord(
                    id: 0, territory: place.code, kind: template.kind,
                    name: LocalizedName(kk: name(template.kk, .kk), ru: name(template.ru, .ru), en: name(template.en, .en)),
                    bodyID: bodies.responsible(for: region.code, category: category), cost: template.cost * (0.6 + random.nextUnit()),
                    funding: template.funding, plannedStart: start, plannedEnd: end, actualEnd: end <= today ? end : nil,
                    progress: progressShare, budgetLine: template.funding == "private" ? nil : budgetFunction[template.kind],
                    instructionID: nil, demo: true), actor: "demo", on: app.db)
                created += 1
            }
        }
        // The objects the delegation visits in Kyzylorda (the seed's programme).
        for object in kyzylordaObjects {
            _ = try await VisitStore.createObject(object, actor: "demo", on: app.db)
            created += 1
        }
        return created
    }

    /// The functional group of the expenditure classification an object's spending falls in.
    static let budgetFunction = ["school": "04", "clinic": "05", "road": "12", "water": "07", "networks": "07", "industrial_zone": "11",
                                 "airport": "12", "sport": "08", "culture": "08", "housing": "07"]

    static var kyzylordaObjects: [TerritoryObjectRecord] {
        let city = (try? KATOCode("431010000")) ?? kyzylorda
        func object(_ kind: String, _ kk: String, _ ru: String, _ en: String, cost: Double, funding: String, end: String, progress: Int) -> TerritoryObjectRecord {
            TerritoryObjectRecord(id: 0, territory: city, kind: kind, name: LocalizedName(kk: kk, ru: ru, en: en), bodyID: nil, cost: cost,
                                  funding: funding, plannedStart: try? CivilDate("2024-05-01"), plannedEnd: try? CivilDate(end),
                                  actualEnd: progress == 100 ? try? CivilDate(end) : nil, progress: progress,
                                  budgetLine: funding == "private" ? nil : budgetFunction[kind],
                                  instructionID: nil, demo: true)
        }
        return [
            object("school", "Қызылорда: жаңа мектеп (демо)", "Кызылорда: новая школа (демо)", "Kyzylorda: new school (demo)",
                   cost: 5_400_000, funding: "republican", end: "2025-09-01", progress: 100),
            object("sport", "Қызылорда: инклюзивті спорт орталығы (демо)", "Кызылорда: центр инклюзивного спорта (демо)",
                   "Kyzylorda: centre of inclusive sport (demo)", cost: 2_900_000, funding: "local", end: "2025-12-15", progress: 100),
            object("industrial_zone", "Қызылорда: индустриялық аймақ (демо)", "Кызылорда: индустриальная зона (демо)",
                   "Kyzylorda: industrial zone (demo)", cost: 18_000_000, funding: "mixed", end: "2027-12-31", progress: 46),
            object("culture", "Қызылорда облыстық тарихи-өлкетану музейі (демо)", "Кызылординский областной историко-краеведческий музей (демо)",
                   "Kyzylorda regional museum of history and local lore (demo)", cost: 800_000, funding: "local", end: "2026-06-30", progress: 70),
            object("airport", "Қызылорда әуежайының жаңа терминалы (демо)", "Новый терминал аэропорта Кызылорды (демо)",
                   "New terminal of Kyzylorda airport (demo)", cost: 24_000_000, funding: "mixed", end: "2025-12-20", progress: 100),
        ]
    }

    // MARK: Appeals across the country

    /// Texts by topic: `{place}` is the territory's name in the text's language.
    static let texts: [String: [(Language, String)]] = [
        "water": [(.ru, "В {place} третью неделю нет питьевой воды, водопровод не восстановлен. Просим принять меры."),
                  (.ru, "Вода в {place} подаётся по два часа в сутки, напор слабый, на верхние этажи не доходит."),
                  (.kk, "{place} ауыз су жоқ, су құбыры бұзылған. Жөндеуді сұраймыз."),
                  (.kk, "{place} ауыз судың сапасы нашар, лайлы су келеді."),
                  (.en, "There has been no drinking water in {place} for weeks; the water main has not been repaired.")],
        "roads": [(.ru, "Дорога в {place} вся в ямах, после дождя не проехать. Просим включить в план ремонта."),
                  (.ru, "На улицах {place} нет освещения, детям опасно ходить в школу вечером."),
                  (.kk, "{place} жолы қиыршық тасты, шұңқыр көп. Жөндеуді сұраймыз."),
                  (.kk, "{place} көше жарығы жанбайды, кешке қараңғы."),
                  (.en, "The road to {place} is full of potholes; please include it in the repair plan.")],
        "transport": [(.ru, "Автобус из {place} в районный центр ходит раз в день, просим добавить рейсы."),
                      (.kk, "{place} аудан орталығына автобус күніне бір рет қана жүреді.")],
        "heating": [(.ru, "В {place} в квартирах +14, отопление не работает в полную силу. Просим проверить котельную."),
                    (.ru, "В {place} постоянные отключения электричества, перепады напряжения портят технику."),
                    (.kk, "{place} пәтерлер суық, жылу берілмейді."),
                    (.kk, "{place} газ құбыры тартылмаған, газ беруді сұраймыз.")],
        "housing": [(.ru, "Крыша нашего дома в {place} течёт, управляющая компания не отвечает."),
                    (.ru, "Стою в очереди на жильё в {place} с 2015 года, прошу сообщить номер в очереди."),
                    (.kk, "{place} үйдің шатыры ағады, жөндеу жүргізілмейді.")],
        "health": [(.ru, "В {place} нет педиатра, на приём к врачу приходится ехать в город."),
                   (.kk, "{place} фельдшерлік пунктте дәрі жоқ, дәрігер аптасына бір рет келеді.")],
        "education": [(.ru, "В детском саду {place} нет мест, очередь на два года вперёд."),
                      (.ru, "Школа в {place} работает в три смены, просим построить новую."),
                      (.kk, "{place} мектепте орын жетіспейді, балалар үш ауысыммен оқиды.")],
        "social": [(.ru, "Прошу разъяснить, почему в {place} отказали в адресной социальной помощи многодетной семье."),
                   (.kk, "{place} мүгедектігі бар адамдарға арналған пандус жоқ.")],
        "land": [(.ru, "Прошу выделить земельный участок под ИЖС в {place}, заявление подано в 2023 году."),
                 (.kk, "{place} жайылымдық жер жетіспейді, малды бағатын жер жоқ.")],
        "business": [(.ru, "Предприниматели {place} просят упростить аренду помещений в госсобственности."),
                     (.kk, "{place} жастарға кәсіп ашуға шағын несие беруді сұраймыз.")],
        "digital": [(.ru, "В {place} нет мобильного интернета, госуслуги получить невозможно."),
                    (.kk, "{place} интернет жоқ, балалар онлайн сабаққа қосыла алмайды.")],
        "youth": [(.ru, "Молодёжи {place} негде заниматься спортом, просим построить площадку."),
                  (.kk, "{place} жастарға арналған спорт алаңы жоқ.")],
        "environment": [(.ru, "Стихийная свалка у въезда в {place}, мусор не вывозят месяцами."),
                        (.kk, "{place} қоқыс шығарылмайды, ауыл шетінде қоқыс үйіндісі пайда болды.")],
    ]

    static let topicWeights: [(String, Double)] = [
        ("water", 0.14), ("roads", 0.16), ("transport", 0.05), ("heating", 0.11), ("housing", 0.12), ("health", 0.08),
        ("education", 0.08), ("social", 0.09), ("land", 0.06), ("business", 0.03), ("digital", 0.03), ("youth", 0.02), ("environment", 0.03),
    ]

    static let answers: [String: String] = [
        "water": "Аварийный участок водопровода заменён, подача воды восстановлена. (демо)",
        "roads": "Участок включён в план среднего ремонта на следующий год. (демо)",
        "heating": "Проведена проверка котельной, параметры теплоносителя приведены к норме. (демо)",
    ]

    static let givenNames = ["Айгүл", "Ерлан", "Мария", "Нұрлан", "Сәуле", "Виктор", "Гүлнар", "Асхат", "Елена", "Дәурен", "Жанар", "Сергей"]
    static let surnames = ["Ахметов", "Серікқызы", "Иванова", "Жұмабаев", "Ким", "Омарова", "Петров", "Тұрсынов", "Әлиева", "Бекова"]

    static func pick<T>(_ weights: [(T, Double)], _ random: inout SeededGenerator) -> T {
        var draw = random.nextUnit() * weights.reduce(0) { $0 + $1.1 }
        for (value, weight) in weights {
            draw -= weight
            if draw < 0 { return value }
        }
        return weights[weights.count - 1].0
    }

    struct Generated {
        var territory: KATOCode
        var topic: String
        var text: String
        var registered: CivilDate
        var author: UUID? = nil
        var authorName: String
        var publishable: Bool
    }

    static func appeals(_ app: Application, count: Int, random: inout SeededGenerator,
                        progress: @escaping @Sendable (String) -> Void) async throws -> Int {
        let tree = app.aimaq.territories.tree
        let today = app.aimaq.clock.today()
        let first = try CivilDate("2025-01-06")
        let span = max(1, today.dayNumber - first.dayNumber)
        let regionWeights = tree.regions.map { ($0, Double($0.population ?? 500_000)) }
        var districts: [KATOCode: [Territory]] = [:]
        for region in tree.regions {
            let list = tree.children(of: region.code).filter { $0.code.level == .district }
            districts[region.code] = list.isEmpty ? [region] : list
        }
        func text(_ topic: String, _ place: Territory, _ random: inout SeededGenerator) -> String {
            let options = texts[topic] ?? texts["roads"]!
            let (language, template) = options[random.nextIndex(below: options.count)]
            return template.replacingOccurrences(of: "{place}", with: place.name[language]) + " (демо)"
        }
        func name(_ random: inout SeededGenerator) -> String {
            givenNames[random.nextIndex(below: givenNames.count)] + " " + surnames[random.nextIndex(below: surnames.count)]
        }
        var items: [Generated] = []
        // Clusters of similar appeals: one village's water, one district's heating, one road.
        let clusters: [(KATOCode, String, String, CivilDate, Int)] = [
            (shieli, "water", "Жиделиарык", try CivilDate("2026-01-12"), 40),
            ((try? KATOCode("551600000")) ?? kyzylorda, "heating", "", try CivilDate("2025-12-08"), 25),
            ((try? KATOCode("195000000")) ?? kyzylorda, "roads", "", try CivilDate("2026-04-06"), 30),
        ]
        for (code, topic, village, day, size) in clusters where tree[code] != nil {
            let place = tree[code]!
            let variants: [String] = topic == "water" ? [
                "В селе \(village) ({p}) нет питьевой воды уже {n} дней, водопровод не восстановлен",
                "\(village): питьевой воды нет {n} дней, просим восстановить водопровод",
                "\(village) ауылында {n} күннен бері ауыз су жоқ, су құбырын жөндеңіз",
                "Жители села \(village) {n} дней без питьевой воды, водопровод не работает",
            ] : topic == "heating" ? [
                "В квартирах {p} холодно, отопление не работает уже {n} дней",
                "{p}: батареи холодные {n} дней, отопление не дают",
                "{p} пәтерлерде жылу жоқ, {n} күн болды, батареялар суық",
            ] : [
                "Дорога {p} разбита, ямы на трассе, {n} дней без ремонта",
                "{p}: трасса в ямах, ремонт дороги не ведётся {n} дней",
                "{p} жолы бұзылған, {n} күн бойы жөнделмеді, шұңқыр көп",
            ]
            for index in 0 ..< size where items.count < count {
                let template = variants[index % variants.count]
                let body = template.replacingOccurrences(of: "{p}", with: place.name.ru).replacingOccurrences(of: "{n}", with: String(5 + index % 9))
                items.append(Generated(territory: code, topic: topic, text: body + " (демо)", registered: day.adding(days: index / 4),
                                       authorName: name(&random), publishable: random.nextUnit() < 0.6))
            }
        }
        // The demo citizen's own appeals, to follow on "My appeals".
        if let citizen = try await Account.query(on: app.db).filter(\.$email == "citizen@demo.aimaq.kz").first(), let id = citizen.id,
           let place = tree[shieli] {
            for (offset, topic) in [(-60, "roads"), (-30, "education"), (-3, "digital")] {
                var item = Generated(territory: shieli, topic: topic, text: text(topic, place, &random), registered: today.adding(days: offset),
                                     authorName: citizen.displayName, publishable: true)
                item.author = id
                items.append(item)
            }
        }
        while items.count < count {
            let region = pick(regionWeights, &random)
            let list = districts[region.code] ?? [region]
            var place = list[random.nextIndex(below: list.count)]
            let below = tree.children(of: place.code)
            if !below.isEmpty, random.nextUnit() < 0.5 { place = below[random.nextIndex(below: below.count)] }
            let topic = pick(topicWeights, &random)
            items.append(Generated(territory: place.code, topic: topic, text: text(topic, place, &random),
                                   registered: first.adding(days: random.nextIndex(below: span)), authorName: name(&random),
                                   publishable: random.nextUnit() < 0.6))
        }
        items.sort { $0.registered < $1.registered }
        try await insert(items, app: app, random: &random, progress: progress)
        return items.count
    }

    /// Writes the generated appeals in batches with their numbers, routing, deadlines and a
    /// realistic spread of answers (mostly on time, some late, some overdue), in one
    /// transaction and one audit entry.
    static func insert(_ items: [Generated], app: Application, random: inout SeededGenerator,
                       progress: @escaping @Sendable (String) -> Void) async throws {
        struct Max: Decodable { var id: Int? }
        let sql = app.db as! any SQLDatabase
        let start = (try await sql.select().column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "id").from("appeals")
            .first(decoding: Max.self)?.id ?? 0) + 1
        let today = app.aimaq.clock.today()
        let terms = app.aimaq.configuration.appealTerms
        let calendar = app.aimaq.calendar
        let bodies = app.aimaq.bodies
        let columns = ["id", "number", "channel", "territory_id", "district_id", "region_id", "topic", "body_id", "author_id", "author_name",
                       "text", "publishable", "public_text", "status", "registered_on", "deadline", "extensions", "extension_reason", "answered_on",
                       "answer", "answered_by", "rating", "escalations", "history", "created_at", "demo"]
        var rows: [[any Encodable & Sendable]] = []
        for (offset, item) in items.enumerated() {
            let id = start + offset
            let body = AppealRouting.body(for: item.territory, topic: AppealTopic.named(item.topic), addressee: .akimat, bodies: bodies)
            var deadline = terms.deadline(registeredOn: item.registered, calendar: calendar)
            var history = [AppealStep(on: item.registered.description, kind: "registered", body: body, text: nil)]
            var status = AppealStatus.registered
            var extensions = 0
            var reason: String?
            var answeredOn: CivilDate?
            var answer: String?
            var rating: Int?
            let draw = random.nextUnit()
            if draw < 0.06, deadline < today {
                extensions = 1
                reason = "Требуется выезд на место (демо)"
                history.append(AppealStep(on: deadline.adding(days: -2).description, kind: "extended", body: body, text: reason))
                deadline = terms.extended(deadline, calendar: calendar)
                status = .extended
            }
            let answerDraw = random.nextUnit()
            if deadline < today ? answerDraw < 0.85 : answerDraw < 0.35 {
                let late = random.nextUnit() < 0.12
                let span = max(1, deadline.dayNumber - item.registered.dayNumber)
                var day = late ? deadline.adding(days: 1 + random.nextIndex(below: 20)) : item.registered.adding(days: 1 + random.nextIndex(below: span))
                if day > today { day = today }
                answeredOn = day
                answer = answers[item.topic] ?? "Обращение рассмотрено, даны разъяснения. (демо)"
                status = .answered
                history.append(AppealStep(on: day.description, kind: "answered", body: body, text: answer))
                if random.nextUnit() < 0.55 {
                    rating = pick([(5, 0.30), (4, 0.25), (3, 0.20), (2, 0.12), (1, 0.13)], &random)
                    history.append(AppealStep(on: day.description, kind: "rated", body: body, text: String(rating ?? 0)))
                }
            }
            rows.append([id, AppealNumber.make(region: item.territory.regionNumber, year: item.registered.year, sequence: id),
                         AppealChannel.online.rawValue, item.territory.value, AppealRouting.district(of: item.territory).value,
                         item.territory.regionNumber, item.topic, body, item.author, item.authorName, item.text, item.publishable,
                         AppealRecord.published(item.text, publishable: item.publishable, author: item.authorName), status.rawValue, item.registered.description, deadline.description, extensions, reason,
                         answeredOn?.description, answer, answer == nil ? nil : "demo", rating, 0, AppealStore.encode(history),
                         KazakhstanTime.nowMilliseconds(), true])
        }
        let batches = stride(from: 0, to: rows.count, by: 400).map { Array(rows[$0 ..< min(rows.count, $0 + 400)]) }
        let total = rows.count
        try await AuditLog.record(on: app.db, actor: "demo") { db -> (Void, AuditEvent) in
            for (index, batch) in batches.enumerated() {
                let insert = try db.sql.insert(into: "appeals").columns(columns.map { SQLIdentifier($0) })
                for row in batch { insert.values(row.map { SQLBind($0) }) }
                try await insert.run()
                if index % 10 == 9 || index == batches.count - 1 { progress("appeals: \(min(total, (index + 1) * 400)) of \(total)") }
            }
            try await AppealStore.bump(db.sql)
            return ((), AuditEvent(action: "appeal.demo", entity: "appeal", entityID: "demo", before: nil, after: "{\"appeals\":\(total)}"))
        }
        try await InstructionDemo.resetSequences(sql, tables: ["appeals"])
    }

    // MARK: The visit of 8 January 2026

    static func visit(_ app: Application) async throws -> (meetings: Int, issues: Int) {
        let writer = AuditLog.Writer(database: app.db)
        let city = (try? KATOCode("431010000")) ?? kyzylorda
        let sql = app.db as! any SQLDatabase
        let objects = try await VisitStore.objects(in: city, on: sql).filter { $0.name.en.hasSuffix("(demo)") }
        func object(_ kind: String) -> Int? { objects.first { $0.kind == kind }?.id }
        let visit = try await VisitStore.createVisit(VisitRecord(
            id: 0, territory: kyzylorda,
            title: LocalizedName(kk: "Сенат Төрағасы мен сенаторлардың Қызылорда облысына сапары (демо)",
                                 ru: "Визит Председателя Сената и сенаторов в Кызылординскую область (демо)",
                                 en: "Visit of the Speaker of the Senate and senators to Kyzylorda region (demo)"),
            starts: try CivilDate("2026-01-08"), ends: try CivilDate("2026-01-08"),
            delegation: ["Председатель Сената (демо)", "Сенаторы от Кызылординской области (демо)", "Депутаты Мажилиса (демо)",
                         "Demo National Deputy (Kyzylorda), депутат Мажилиса (демо)",
                         "Аким Кызылординской области (демо)", "Председатель областного маслихата (демо)"], demo: true),
            actor: "demo", on: writer)
        typealias Item = (time: String, kind: MeetingKind, kk: String, ru: String, en: String, address: String, participants: String, agenda: String, object: String?)
        let programme: [Item] = [
            ("09:30", .deputies, "Облыстық мәслихат депутаттарымен кездесу", "Встреча с депутатами областного маслихата",
             "Meeting with the deputies of the regional maslikhat", "ул. Тайманова, 1, зал заседаний маслихата",
             "32 депутата областного маслихата, председатели районных маслихатов", "Децентрализация: полномочия районов и сёл; исполнение поручений Главы государства", nil),
            ("11:00", .site, "Жаңа мектепті аралау", "Посещение новой школы", "Visit to the new school", "мкр. Сырдарья",
             "Директор школы, учителя, родители", "Ход учебного года, нехватка учителей", "school"),
            ("12:00", .site, "Инклюзивті спорт орталығын аралау", "Посещение центра инклюзивного спорта", "Visit to the centre of inclusive sport",
             "пр. Абая", "Тренеры, спортсмены-паралимпийцы, родители", "Доступная среда, подвоз детей из районов", "sport"),
            ("13:30", .site, "Индустриялық аймақты аралау", "Посещение индустриальной зоны", "Visit to the industrial zone", "промзона «Тасбөгет»",
             "Инвесторы, руководители предприятий", "Инвестиционные проекты, подключение к инженерным сетям", "industrial_zone"),
            ("15:00", .site, "Музейді аралау", "Посещение музея", "Visit to the museum", "ул. Ауэзова",
             "Работники культуры", "Реставрация, цифровизация фондов", "culture"),
            ("16:00", .site, "Әуежайдың жаңа терминалын аралау", "Посещение нового терминала аэропорта", "Visit to the new airport terminal",
             "аэропорт Кызылорда", "Руководство аэропорта, авиакомпании", "Пассажиропоток, новые рейсы, дорога к терминалу", "airport"),
            ("17:00", .publicMeeting, "Жұртшылықпен кездесу", "Встреча с общественностью", "Meeting with the public", "Дворец культуры",
             "Около 300 жителей, общественные советы, НПО", "Вопросы жителей: вода, дороги, инженерные сети", nil),
            ("18:00", .youth, "Шығармашыл жастармен кездесу", "Встреча с творческой молодёжью", "Meeting with creative youth", "Молодёжный ресурсный центр",
             "Молодые художники, музыканты, IT-специалисты", "Поддержка молодёжных инициатив, площадки для творчества", nil),
            ("19:00", .ethnic, "Қазақстан халқы Ассамблеясымен кездесу", "Встреча с Ассамблеей народа Казахстана",
             "Meeting with the Assembly of People of Kazakhstan", "Дом дружбы", "Представители этнокультурных объединений",
             "Общественное согласие, обсуждение парламентской реформы", nil),
        ]
        var meetings: [Int] = []
        let senate = app.aimaq.bodies.bodies(of: nil).first { $0.kind == .senate }?.id
        for item in programme {
            let id = try await VisitStore.addMeeting(MeetingRecord(
                id: 0, visitID: visit, kind: item.kind, territory: city, startsAt: "2026-01-08T" + item.time,
                title: LocalizedName(kk: item.kk + " (демо)", ru: item.ru + " (демо)", en: item.en + " (demo)"), address: item.address,
                participants: item.participants, agenda: item.agenda,
                minutes: "Протокол встречи (демо): заслушаны выступления участников, поднятые вопросы зарегистрированы и направлены ответственным органам.",
                objectID: item.object.flatMap(object), demo: true, bodyID: senate), actor: "demo", on: writer)
            meetings.append(id)
            // The minutes as a file, kept and checked like any evidence.
            let minutes = "Протокол (демо)\n\(item.ru), 8 января 2026 года, \(item.time)\nМесто: \(item.address)\n"
                + "Участники: \(item.participants)\nПовестка: \(item.agenda)\n"
                + "Поднятые вопросы зарегистрированы в Aimaq и направлены ответственным органам.\n"
            let stored = try await app.aimaq.evidence.store([.init(fileName: "protocol-\(meetings.count).txt", data: Data(minutes.utf8))], db: sql)
            try await VisitStore.recordMinutes(id, minutes: nil, files: stored, actor: "demo", on: writer)
        }
        // The issues raised: (meeting index, territory, topic, text, fate).
        let issues: [(Int, String, String, String, String)] = [
            (0, "430000000", "business", "Передать районам часть поступлений от налогов для реализации местных инвестиционных проектов", "answered"),
            (0, "435200000", "water", "Завершить строительство водопровода в сёлах Шиелийского района, работы остановлены подрядчиком", "assigned"),
            (0, "433200000", "roads", "Отремонтировать дорогу Кызылорда — Аральск на участке 20 км, ямы и отсутствие разметки", "answered_late"),
            (0, "434400000", "heating", "Модернизировать котельную в райцентре, износ сетей 70%", "overdue"),
            (1, "431010000", "education", "Нехватка учителей физики и информатики в новой школе", "answered"),
            (1, "431010000", "transport", "Нет школьного автобуса для детей из пригородных сёл", "answered"),
            (2, "431010000", "social", "Организовать подвоз детей с инвалидностью из районов в центр инклюзивного спорта", "extended_answered"),
            (3, "431010000", "business", "Подключить индустриальную зону к газу и электросетям, инвесторы ждут второй год", "assigned"),
            (3, "431010000", "heating", "Построить подстанцию для второй очереди индустриальной зоны", "overdue"),
            (4, "431010000", "environment", "Благоустроить территорию вокруг музея, нет парковки", "answered"),
            (5, "431010000", "roads", "Осветить дорогу от города к новому терминалу аэропорта", "answered"),
            (5, "431010000", "transport", "Открыть прямые рейсы в Алматы и Шымкент из нового терминала", "answered"),
            (6, "431010000", "water", "В микрорайонах на окраине города вода подаётся по графику", "overdue"),
            (6, "435200000", "roads", "Отремонтировать мост через канал в Шиелийском районе", "answered_late"),
            (6, "433600000", "housing", "Ускорить переселение из аварийных домов", "answered"),
            (6, "431010000", "health", "Нет детского хирурга в городской поликлинике", "overdue"),
            (7, "431010000", "youth", "Открыть площадку для молодёжного творчества и коворкинг", "answered"),
            (7, "431010000", "digital", "Бесплатный Wi-Fi в молодёжном ресурсном центре", "answered"),
            (8, "430000000", "other", "Провести встречи по разъяснению парламентской реформы на казахском и русском языках", "answered"),
            (8, "431010000", "education", "Открыть воскресные школы родных языков этнокультурных объединений", "extended_answered"),
        ]
        return (meetings.count, try await raise(issues, meetings: meetings, on: try CivilDate("2026-01-08"), app: app, writer: writer))
    }

    /// Registers issues raised at meetings on a day and gives each its fate.
    static func raise(_ issues: [(Int, String, String, String, String)], meetings: [Int], on day: CivilDate, channel: AppealChannel = .meeting,
                      electoralDistrict: String? = nil, deputy: UUID? = nil, app: Application, writer: AuditLog.Writer) async throws -> Int {
        let terms = app.aimaq.configuration.appealTerms
        let calendar = app.aimaq.calendar
        let bodies = app.aimaq.bodies
        let today = app.aimaq.clock.today()
        for (meeting, code, topic, text, fate) in issues {
            guard let territory = try? KATOCode(code), app.aimaq.territories.tree[territory] != nil else { continue }
            let deadline = terms.deadline(registeredOn: day, calendar: calendar)
            var appeal = try await AppealStore.register(AppealStore.NewAppeal(
                channel: channel, territory: territory, district: AppealRouting.district(of: territory), topic: topic,
                bodyID: AppealRouting.body(for: territory, topic: AppealTopic.named(topic), addressee: .akimat, bodies: bodies),
                authorID: nil, authorName: givenNames[text.count % givenNames.count] + " " + surnames[text.count % surnames.count], text: text + " (демо)", publishable: true, registeredOn: day,
                deadline: deadline, meetingID: meeting < meetings.count ? meetings[meeting] : nil, electoralDistrict: electoralDistrict, demo: true,
                deputyID: deputy), actor: "demo", on: writer)
            switch fate {
            case "answered":
                _ = try await AppealStore.answer([appeal.id], text: "Вопрос рассмотрен, меры приняты; срок исполнения — текущий год. (демо)",
                                                 by: "demo", on: calendar.adding(workingDays: 8, to: day), writer: writer)
            case "answered_late":
                _ = try await AppealStore.answer([appeal.id], text: "Работы включены в план следующего года. (демо)", by: "demo",
                                                 on: deadline.adding(days: 12), writer: writer)
            case "extended_answered":
                let longer = terms.extended(deadline, calendar: calendar)
                try await AppealStore.change(appeal, action: "appeal.extend",
                                             step: AppealStep(on: deadline.adding(days: -1).description, kind: "extended", body: appeal.bodyID,
                                                              text: "Требуется согласование с министерством (демо)"),
                                             set: ["status": AppealStatus.extended.rawValue, "deadline": longer.description, "extensions": 1,
                                                   "extension_reason": "Требуется согласование с министерством (демо)"], actor: "demo", writer: writer)
                _ = try await AppealStore.answer([appeal.id], text: "Решение согласовано, финансирование предусмотрено. (демо)", by: "demo",
                                                 on: longer.adding(days: -3), writer: writer)
            case "assigned":
                appeal = try await AppealStore.find(appeal.id, on: app.db as! any SQLDatabase) ?? appeal
                let visit = try await appeal.meetingID.asyncMap { try await VisitStore.meeting($0, on: app.db as! any SQLDatabase) } ?? nil
                let record = try await visit?.visitID.asyncMap { try await VisitStore.visit($0, on: app.db as! any SQLDatabase) } ?? nil
                guard let body = AppealRouting.defaultExecutor(appeal, bodies: app.aimaq.bodies) else { break }
                _ = try await AppealAssignment.create(appeal, body: body, deadline: max(today.adding(days: 60), try CivilDate("2026-12-31")), visit: record,
                                                      actor: "demo", today: day.adding(days: 3), on: writer)
            default:
                break  // overdue: no answer yet
            }
        }
        return issues.count
    }

    // MARK: Receptions and voters' mandates

    static func receptionsAndMandates(_ app: Application) async throws -> (meetings: Int, issues: Int) {
        let writer = AuditLog.Writer(database: app.db)
        let today = app.aimaq.clock.today()
        var meetings = 0
        var issues = 0
        // The demo's regional maslikhat deputy holds the regional receptions.
        let host = try await Account.query(on: app.db).filter(\.$email == "maslikhat.kyzylorda@demo.aimaq.kz").first()?.id
        for (code, name, address) in [(kyzylorda, "облыстық мәслихат|областного маслихата|regional maslikhat", "ул. Тайманова, 1"),
                                      (shieli, "Шиелі аудандық мәслихаты|Шиелийского районного маслихата|Shieli district maslikhat", "пос. Шиели, ул. Рыскулова, 5")] {
            let names = name.split(separator: "|").map(String.init)
            var ids: [Int] = []
            for (offset, day) in [(0, today.adding(days: -40)), (1, today.adding(days: -12)), (2, today.adding(days: 9))] {
                let id = try await VisitStore.addMeeting(MeetingRecord(
                    id: 0, visitID: nil, kind: .reception, territory: code, startsAt: day.description + "T10:00",
                    title: LocalizedName(kk: "Депутаттың азаматтарды қабылдауы, \(names[0]) (демо)",
                                         ru: "Приём граждан депутатом \(names[1]) (демо)",
                                         en: "Citizens' reception by a deputy of the \(names[2]) (demo)"),
                    address: address, participants: "Депутат (демо), записавшиеся жители", agenda: "Личный приём граждан",
                    minutes: offset < 2 ? "Принято 6 граждан; вопросы зарегистрированы (демо)." : nil, objectID: nil, demo: true,
                    slots: 8, hostID: code == kyzylorda ? host : nil,
                    bodyID: AppealRouting.body(for: code, topic: nil, addressee: .maslikhat, bodies: app.aimaq.bodies)),
                    actor: "demo", on: writer)
                ids.append(id)
                meetings += 1
            }
            let raised: [(Int, String, String, String, String)] = [
                (0, code.description, "housing", "Помощь в ремонте дома пострадавшей от паводка семье", "answered"),
                (0, code.description, "land", "Оформление земельного участка под огород", "overdue"),
                (1, code.description, "social", "Назначение пособия по уходу за ребёнком с инвалидностью", "answered"),
                (1, code.description, "roads", "Освещение улицы у школы", "registered"),
            ]
            issues += try await raise(raised, meetings: ids, on: today.adding(days: -40), channel: .reception,
                                      deputy: code == kyzylorda ? host : nil, app: app, writer: writer)
            // Voters' mandates of the maslikhat's electoral districts, adopted into the plan or reported on.
            let mandates: [(Int, String, String, String, String)] = [
                (99, code.description, "water", "Наказ избирателей: провести водопровод в новые микрорайоны", "assigned"),
                (99, code.description, "education", "Наказ избирателей: построить детский сад на 320 мест", "assigned"),
                (99, code.description, "roads", "Наказ избирателей: заасфальтировать улицы частного сектора", "answered"),
                (99, code.description, "youth", "Наказ избирателей: открыть спортивную площадку во дворах", "answered_late"),
                (99, code.description, "health", "Наказ избирателей: открыть врачебную амбулаторию", "registered"),
            ]
            for (index, mandate) in mandates.enumerated() {
                issues += try await raise([mandate], meetings: [], on: try CivilDate("2025-03-10"), channel: .mandate,
                                          electoralDistrict: "Избирательный округ № \(index + 3)", app: app, writer: writer)
            }
        }
        return (meetings, issues)
    }
}
