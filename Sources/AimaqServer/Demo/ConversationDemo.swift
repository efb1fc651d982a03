import AimaqCore
import Foundation
import OpinionMap
import SQLKit
import Vapor

/// The demo's opinion-map conversations, every participant and vote invented:
///
/// - on the draft new Constitution, 5,000 participants from every region (in proportion to
///   its population) over the weeks of the public discussion, in three camps whose shares
///   differ by region (the cities lean to a strong single-chamber parliament, the north to
///   caution, the west to local self-government), so the map by region has something to show;
/// - on the Kyzylorda maslikhat's draft decision, open now, a few hundred participants from the
///   region, so a visitor can vote and see where they land.
enum ConversationDemo {
    /// A demo statement and how each camp tends to vote on it: +1 agree, −1 disagree, 0 split.
    struct Statement {
        var text: String
        var stance: [Int]
    }

    static let constitution: [Statement] = [
        Statement(text: "Однопалатный парламент (Курултай) будет работать быстрее и понятнее для граждан.", stance: [1, -1, 0]),
        Statement(text: "Сенат нужно сохранить как палату, которая представляет регионы.", stance: [-1, 1, 1]),
        Statement(text: "Депутатов парламента должны выбирать только по партийным спискам.", stance: [1, 0, -1]),
        Statement(text: "Часть депутатов должна избираться в одномандатных округах, чтобы у каждого района был свой депутат.", stance: [-1, 0, 1]),
        Statement(text: "Акимов районов и городов должны избирать жители, а не назначать сверху.", stance: [0, -1, 1]),
        Statement(text: "Маслихаты должны сами распоряжаться налогами, которые собираются на их территории.", stance: [0, -1, 1]),
        Statement(text: "Реформу стоит проводить постепенно, не меняя всё сразу.", stance: [-1, 1, 0]),
        Statement(text: "Народный совет (Халық кеңесі) должен иметь право законодательной инициативы.", stance: [1, -1, 1]),
        Statement(text: "Вице-президент нужен для преемственности власти.", stance: [1, 0, -1]),
        Statement(text: "Конституционный суд должен оставаться доступным для каждого гражданина.", stance: [1, 1, 1]),
        Statement(text: "Права человека в новой Конституции должны быть записаны не слабее, чем в прежней.", stance: [1, 1, 1]),
        Statement(text: "Срок полномочий парламента стоит сократить до четырёх лет.", stance: [1, -1, 0]),
        Statement(text: "Парламент должен утверждать состав правительства, а не только премьер-министра.", stance: [1, -1, 1]),
        Statement(text: "Обсуждение проекта было слишком коротким для такого большого изменения.", stance: [-1, 1, 1]),
        Statement(text: "Референдум по Конституции должен считаться состоявшимся только при явке больше половины избирателей.", stance: [1, 1, 1]),
        Statement(text: "Государственный язык должен быть закреплён в Конституции так же, как сейчас.", stance: [1, 1, 1]),
        Statement(text: "Нормы о земле и недрах как собственности народа нужно оставить без изменений.", stance: [0, 1, 1]),
        Statement(text: "Депутаты должны регулярно отчитываться перед избирателями своего региона.", stance: [1, 0, 1]),
        Statement(text: "Центральная власть лучше знает, как распределять бюджет между регионами.", stance: [-1, 1, -1]),
        Statement(text: "Сельские округа должны получить собственный бюджет и право решать, на что его тратить.", stance: [0, -1, 1]),
        Statement(text: "Партиям нужен более низкий проходной барьер в парламент.", stance: [1, -1, 0]),
        Statement(text: "Сильный президент важнее сильного парламента для стабильности страны.", stance: [-1, 1, -1]),
        Statement(text: "Жители должны иметь право отзывать депутата маслихата.", stance: [0, -1, 1]),
        Statement(text: "Все законопроекты должны публиковаться для обсуждения до их принятия.", stance: [1, 1, 1]),
        Statement(text: "Изменения в Конституцию не стоит принимать без согласия большинства регионов.", stance: [-1, 1, 1]),
        Statement(text: "Квота для женщин и молодёжи в партийных списках должна сохраниться.", stance: [1, -1, 0]),
        Statement(text: "Ата Заң жобасын талқылауға барлық өңірлердің тұрғындары қатысуы керек.", stance: [1, 1, 1]),
        Statement(text: "Жергілікті өзін-өзі басқаруға көбірек өкілеттік беру керек.", stance: [0, -1, 1]),
        Statement(text: "Парламенттің бір палаталы болуы шешім қабылдауды жеделдетеді.", stance: [1, -1, -1]),
        Statement(text: "Маслихаттарға әкімдердің есептерін бекітпеу құқығы берілуі керек.", stance: [1, -1, 1]),
    ]

    static let local: [Statement] = [
        Statement(text: "Бюджет сельского округа нужно обсуждать на сходе жителей до его утверждения.", stance: [1, 0, 1]),
        Statement(text: "Отчёт акима сельского округа два раза в год — это слишком часто.", stance: [-1, 1, 0]),
        Statement(text: "Часть бюджета села должна распределяться голосованием жителей (бюджет участия).", stance: [1, -1, 1]),
        Statement(text: "Деньги на дороги важнее денег на благоустройство дворов.", stance: [0, 1, -1]),
        Statement(text: "Решение о бюджете участия лучше отложить на год, чтобы подготовиться.", stance: [-1, 1, 0]),
        Statement(text: "Протоколы сходов должны публиковаться на сайте акимата.", stance: [1, 1, 1]),
        Statement(text: "Ауыл бюджетін ауыл тұрғындары өздері бөлуі керек.", stance: [1, -1, 1]),
        Statement(text: "Маслихат депутаттары ауылдарға жиі келуі керек.", stance: [1, 1, 1]),
        Statement(text: "Налог на имущество должен полностью оставаться в бюджете села.", stance: [0, -1, 1]),
        Statement(text: "Сроки утверждения бюджета до 25 декабря слишком поздние.", stance: [1, 0, -1]),
    ]

    /// Each camp's share in a region, by region number: the three camps lean differently in
    /// the cities (single-chamber parliament), the north (caution) and the west (local power).
    static func camps(region: Int) -> [Double] {
        switch region {
        case 71, 75, 79: [0.55, 0.25, 0.20]          // Astana, Almaty, Shymkent
        case 59, 39, 55, 11, 10: [0.25, 0.55, 0.20]  // the north and the centre-north
        case 23, 47, 27, 15: [0.20, 0.25, 0.55]      // the west
        default: [0.35, 0.35, 0.30]
        }
    }

    static func load(_ app: Application, progress: @escaping @Sendable (String) -> Void) async throws -> Int {
        let sql = app.db as! any SQLDatabase
        guard try await ConversationStore.all(on: sql).isEmpty else { return 0 }
        let discussions = try await DiscussionStore.all(on: sql)
        let tree = app.aimaq.territories.tree
        var made = 0
        if let national = discussions.first(where: { $0.territory == nil && $0.demo }) {
            let regions = tree.regions.map { (region: $0.code.regionNumber, weight: Double(max(1, $0.population ?? 1))) }
            let id = try await ConversationStore.create(ConversationRecord(
                id: 0, discussionID: national.id, territory: nil,
                title: LocalizedName(kk: "Парламент реформасы: пікірлер картасы (демо)", ru: "Реформа парламента: карта мнений (демо)",
                                     en: "Parliamentary reform: the opinion map (demo)"),
                opens: national.schedule.opens, closes: national.schedule.expertReview.adding(days: -1), demo: true),
                actor: "demo", on: app.db)
            let votes = try await populate(app, conversation: id, statements: constitution, participants: 5_000, regions: regions,
                                           from: national.schedule.opens, days: 14, seed: 2026)
            progress("opinion map of the draft Constitution: 5,000 demo participants, \(constitution.count) statements, \(votes) votes")
            made += 1
        }
        let today = app.aimaq.clock.today()
        if let kyzylorda = discussions.first(where: {
            $0.territory?.regionNumber == 43 && $0.demo && $0.schedule.phase(on: today) == .publicDiscussion
        }) {
            let id = try await ConversationStore.create(ConversationRecord(
                id: 0, discussionID: kyzylorda.id, territory: kyzylorda.territory,
                title: LocalizedName(kk: "Ауылдардың бюджеттері: пікірлер картасы (демо)", ru: "Бюджеты сёл: карта мнений (демо)",
                                     en: "Village budgets: the opinion map (demo)"),
                opens: kyzylorda.schedule.opens, closes: kyzylorda.schedule.expertReview.adding(days: -1), demo: true),
                actor: "demo", on: app.db)
            let votes = try await populate(app, conversation: id, statements: local, participants: 400, regions: [(43, 1)],
                                           from: kyzylorda.schedule.opens, days: max(1, today.dayNumber - kyzylorda.schedule.opens.dayNumber + 1),
                                           seed: 43)
            progress("opinion map of the Kyzylorda draft decision: 400 demo participants, \(votes) votes, open for voting")
            made += 1
        }
        try await app.aimaq.conversations.refresh(on: sql)
        return made
    }

    /// Adds the statements (approved), the participants and their votes, spread over `days`.
    static func populate(_ app: Application, conversation: Int, statements: [Statement], participants: Int,
                         regions: [(region: Int, weight: Double)], from start: CivilDate, days: Int, seed: UInt64) async throws -> Int {
        let writer = AuditLog.Writer(database: app.db)
        var ids: [Int] = []
        for statement in statements {
            ids.append(try await ConversationStore.addStatement(statement.text, conversation: conversation, author: nil,
                                                                status: .approved, actor: "demo", on: writer))
        }
        let total = regions.reduce(0) { $0 + $1.weight }
        let startMilliseconds = Int64(start.dayNumber * 86_400 - KazakhstanTime.offsetSeconds) * 1_000
        let statementIDs = ids
        return try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db in
            var generator = SeededGenerator(seed: seed)
            var byDay: [[Ballot]] = Array(repeating: [], count: max(1, days))
            for index in 0 ..< participants {
                var target = generator.nextUnit() * total
                var region = regions[regions.count - 1].region
                for candidate in regions {
                    if target < candidate.weight { region = candidate.region; break }
                    target -= candidate.weight
                }
                let shares = camps(region: region)
                let draw = generator.nextUnit()
                let camp = draw < shares[0] ? 0 : (draw < shares[0] + shares[1] ? 1 : 2)
                let day = generator.nextIndex(below: byDay.count)
                let participant = try await db.sql.insert(into: "conversation_participants")
                    .columns("conversation_id", "region_id", "external_id", "created_at")
                    .values(SQLBind(conversation), SQLBind(region * 10_000_000), SQLBind(index),
                            SQLBind(startMilliseconds + Int64(day) * 86_400_000))
                    .returning("id").first(decoding: InsertedID.self)?.id ?? 0
                // Each votes on about two thirds of the statements.
                for (position, statement) in statements.enumerated() where generator.nextUnit() < 0.65 {
                    let value: VoteValue
                    if generator.nextUnit() < 0.1 {
                        value = .pass
                    } else {
                        let agree = switch statement.stance[camp] { case 1: 0.85; case -1: 0.15; default: 0.5 }
                        value = generator.nextUnit() < agree ? .agree : .disagree
                    }
                    byDay[day].append(Ballot(conversation: conversation, statement: statementIDs[position], participant: participant, value: value))
                }
            }
            for (day, ballots) in byDay.enumerated() where !ballots.isEmpty {
                try await ConversationStore.insert(ballots, at: startMilliseconds + Int64(day) * 86_400_000 + 43_200_000, on: db)
            }
            return byDay.reduce(0) { $0 + $1.count }
        }
    }
}
