import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The discussions of the demo: the draft new Constitution of 2026 in two versions (invented
/// wording, marked as demo; the discussion closed before the referendum of 15 March), and a
/// Kyzylorda maslikhat's draft decision open for discussion now.
enum DiscussionDemo {
    static func load(_ app: Application, progress: @escaping @Sendable (String) -> Void) async throws -> Int {
        let sql = app.db as! any SQLDatabase
        guard try await DiscussionStore.all(on: sql).isEmpty else { return 0 }
        var versions: [DraftDocument] = []
        for name in ["v1", "v2"] {
            guard let url = Bundle.module.url(forResource: name, withExtension: "md", subdirectory: "Resources/Data/demo-draft") else {
                throw DataFolderError(description: "the demo draft \(name).md is missing from the build")
            }
            versions.append(try DraftDocument.parse(try String(contentsOf: url, encoding: .utf8)))
        }
        let national = try await DiscussionStore.create(DiscussionRecord(
            id: 0, territory: nil, bodyID: nil,
            title: LocalizedName(kk: "Жаңа Конституция жобасы (демо)", ru: "Проект новой Конституции (демо)",
                                 en: "Draft new Constitution (demo)"),
            schedule: try DiscussionSchedule(opens: try CivilDate("2026-02-12"), expertReview: try CivilDate("2026-02-26"),
                                             dispositions: try CivilDate("2026-03-04"), closes: try CivilDate("2026-03-11")),
            demo: true), actor: "demo", on: app.db)
        for document in versions {
            _ = try await DiscussionStore.addVersion(document, discussion: national, actor: "demo", on: app.db)
        }
        try await participation(app, discussion: national, version: versions.count)
        let today = app.aimaq.clock.today()
        let kyzylorda = try KATOCode("430000000")
        let local = try await DiscussionStore.create(DiscussionRecord(
            id: 0, territory: kyzylorda,
            bodyID: app.aimaq.bodies.bodies(of: kyzylorda).first { $0.kind == .maslikhat }?.id,
            title: LocalizedName(kk: "Мәслихат шешімінің жобасы: ауылдардың бюджеттері (демо)",
                                 ru: "Проект решения маслихата: бюджеты сельских округов (демо)",
                                 en: "Draft maslikhat decision: the budgets of rural districts (demo)"),
            schedule: try DiscussionSchedule(opens: today.adding(days: -5), expertReview: today.adding(days: 10),
                                             dispositions: today.adding(days: 15), closes: today.adding(days: 25)),
            demo: true), actor: "demo", on: app.db)
        for text in localDraft {
            _ = try await DiscussionStore.addVersion(try DraftDocument.parse(text), discussion: local, actor: "demo", on: app.db)
        }
        // A third, in the phase of dispositions now: the maslikhat answers the proposals made.
        let lighting = try await DiscussionStore.create(DiscussionRecord(
            id: 0, territory: kyzylorda,
            bodyID: app.aimaq.bodies.bodies(of: kyzylorda).first { $0.kind == .maslikhat }?.id,
            title: LocalizedName(kk: "Көше жарығы туралы шешім жобасы (демо)", ru: "Проект решения об уличном освещении (демо)",
                                 en: "Draft decision on street lighting (demo)"),
            schedule: try DiscussionSchedule(opens: today.adding(days: -30), expertReview: today.adding(days: -15),
                                             dispositions: today.adding(days: -3), closes: today.adding(days: 12)),
            demo: true), actor: "demo", on: app.db)
        _ = try await DiscussionStore.addVersion(try DraftDocument.parse(lightingDraft), discussion: lighting, actor: "demo", on: app.db)
        for (index, proposal) in [("art-1", "Освещение включается в сумерках по датчику, а не по расписанию.", "Экономия электроэнергии."),
                                  ("art-2", "Жители сёл вправе предложить улицы для освещения в первую очередь.", "Учесть мнение жителей.")]
            .enumerated() {
            _ = try await ProposalStore.add(discussion: lighting, anchor: proposal.0, version: 1,
                                            author: UUID(uuidString: String(format: "00000000-0000-4000-b000-%012d", index + 1)) ?? UUID(),
                                            name: ["Бахыт О. (демо)", "Сауле Н. (демо)"][index], wording: proposal.1,
                                            justification: proposal.2, actor: "demo", on: app.db)
        }
        progress("3 discussions: the draft Constitution (\(versions.last?.articles.count ?? 0) articles, 2 versions), "
                 + "a Kyzylorda maslikhat draft in public discussion, one in its dispositions")
        return 3
    }

    /// Invented participation in the national discussion: comments, proposals of amendment
    /// with the dispositions given afterwards, and experts' opinions (the demo expert's and two
    /// invented experts'). Authors without accounts are invented names.
    static func participation(_ app: Application, discussion: Int, version: Int) async throws {
        let comments: [(anchor: String, name: String, text: String)] = [
            ("art-32-1", "Айгерим С.", "Однопалатный Курултай — правильный шаг, но нужно чётко прописать, как регионы будут представлены."),
            ("art-32-1", "Нурлан Б.", "Сколько депутатов будет от каждой области? Этого в тексте нет."),
            ("art-41-1", "Мария К.", "Халық Кеңесі должен иметь право законодательной инициативы, иначе это просто совещательный орган."),
            ("art-54", "Ерлан Т.", "Маслихатам нужны собственные доходы, а не только трансферты."),
            ("art-55", "Динара Ж.", "Хорошо, что маслихаты будут заслушивать отчёты акимов. Нужно сделать это публичным."),
            ("art-57", "Асхат Р.", "Местное самоуправление в селе начинается с бюджета села. Нужна отдельная норма."),
            ("art-7", "Гульнара А.", "Мемлекеттік тіл туралы норма өзгеріссіз қалуы керек."),
            ("art-58", "Виктор П.", "Порог явки на референдуме надо оставить больше половины избирателей."),
            ("art-20", "Жанна М.", "Право участвовать в управлении должно включать электронные петиции."),
            ("art-38", "Самат Е.", "Законодательная инициатива граждан — сто тысяч подписей слишком много для маленьких регионов."),
        ]
        for (index, comment) in comments.enumerated() {
            _ = try await CommentStore.add(discussion: discussion, anchor: comment.anchor, version: version, parent: nil,
                                           author: UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index + 1)) ?? UUID(),
                                           name: comment.name + " (демо)", text: comment.text, actor: "demo", on: app.db)
        }
        let proposals: [(anchor: String, name: String, wording: String, why: String, support: Int, disposition: Disposition, reason: String)] = [
            ("art-32-1", "Нурлан Б.", "Курултай состоит из депутатов, избираемых по партийным спискам и по одномандатным округам, не менее двух от каждой области.",
             "Регионы должны быть представлены в однопалатном парламенте.", 412, .acceptedInPart,
             "Норма о представительстве регионов включена в конституционный закон о выборах."),
            ("art-41-1", "Мария К.", "Халық Кеңесі вправе вносить проекты законов в Курултай.",
             "Без инициативы совет не влияет на законы.", 287, .accepted, "Учтено в редакции статьи 41-1."),
            ("art-54", "Ерлан Т.", "Маслихат утверждает местный бюджет и распоряжается закреплёнными за ним налогами.",
             "Децентрализация бюджета.", 198, .acceptedInPart, "Закрепление налогов определяется Бюджетным кодексом."),
            ("art-58", "Виктор П.", "Референдум считается состоявшимся, если в голосовании приняли участие более половины избирателей.",
             "Сохранить действующий порог.", 156, .accepted, "Порог сохранён."),
            ("art-38", "Самат Е.", "Право законодательной инициативы принадлежит также группе граждан не менее 50 тысяч человек.",
             "Облегчить гражданскую инициативу.", 134, .rejected, "Порог установлен конституционным законом; изменение отложено."),
            ("art-57", "Асхат Р.", "Сельский округ имеет собственный бюджет, утверждаемый собранием местного сообщества.",
             "Бюджет села — основа самоуправления.", 121, .accepted, "Учтено в статье 57."),
            ("art-20", "Жанна М.", "Граждане вправе направлять электронные петиции в Курултай.",
             "Современная форма участия.", 77, .outsideDraft, "Регулируется законом о порядке рассмотрения обращений."),
            ("art-7", "Гульнара А.", "Сохранить действующую редакцию статьи о языках.", "Стабильность языковой политики.", 65, .accepted,
             "Редакция сохранена."),
        ]
        let sql = try app.db.sql
        for (index, proposal) in proposals.enumerated() {
            let id = try await ProposalStore.add(discussion: discussion, anchor: proposal.anchor, version: version,
                                                 author: UUID(uuidString: String(format: "00000000-0000-4000-9000-%012d", index + 1)) ?? UUID(),
                                                 name: proposal.name + " (демо)", wording: proposal.wording, justification: proposal.why,
                                                 actor: "demo", on: app.db)
            // Support by invented people (counted, not stored one by one).
            try await sql.update("proposals").set("support", to: SQLBind(proposal.support)).where("id", .equal, SQLBind(id)).run()
            try await ProposalStore.dispose(id, disposition: proposal.disposition, reason: proposal.reason, actor: "demo", on: app.db)
        }
        let expert = try await Account.query(on: app.db).filter(\.$email == "expert@demo.aimaq.kz").first()
        let opinions: [(author: UUID, name: String, affiliation: String, anchor: String?, position: ExpertPosition, text: String)] = [
            (expert?.id ?? UUID(), expert?.displayName ?? "Demo Expert", "Институт законодательства (демо)", nil, .supports,
             "Проект в целом последователен: однопалатный парламент и Халық Кеңесі согласованы с нормами о местном самоуправлении."),
            (UUID(uuidString: "00000000-0000-4000-a000-000000000001") ?? UUID(), "Профессор Б. Ахметов (демо)",
             "Университет права (демо)", "art-32-1", .proposesChanges,
             "Необходимо закрепить минимальное представительство каждой области в Курултае."),
            (UUID(uuidString: "00000000-0000-4000-a000-000000000002") ?? UUID(), "Д. Серикова (демо)",
             "Центр местного самоуправления (демо)", "art-57", .supports,
             "Норма о бюджете сельского округа отвечает программе децентрализации."),
        ]
        for opinion in opinions {
            _ = try await OpinionStore.add(OpinionStore.NewOpinion(
                discussion: discussion, anchor: opinion.anchor, version: version, author: opinion.author, name: opinion.name,
                affiliation: opinion.affiliation, position: opinion.position, text: opinion.text, file: nil),
                actor: "demo", on: AuditLog.Writer(database: app.db))
        }
    }

    static let lightingDraft = """
        # Проект решения Кызылординского областного маслихата об уличном освещении (демонстрационный текст)

        ### Статья 1. Режим освещения

        Уличное освещение в населённых пунктах области включается по расписанию, утверждаемому акимом.

        ### Статья 2. Очерёдность

        Улицы для освещения в первую очередь определяет аким района.
        """

    static let localDraft = [
        """
        # Проект решения Кызылординского областного маслихата (демонстрационный текст)

        ### Статья 1. Предмет решения

        Решение устанавливает порядок утверждения бюджетов сельских округов области.

        ### Статья 2. Сроки

        Бюджеты сельских округов утверждаются не позднее 25 декабря.

        ### Статья 3. Отчёт

        Аким сельского округа отчитывается об исполнении бюджета один раз в год.
        """,
        """
        # Проект решения Кызылординского областного маслихата (демонстрационный текст)

        ### Статья 1. Предмет решения

        Решение устанавливает порядок утверждения бюджетов сельских округов области и участия жителей в их обсуждении.

        ### Статья 2. Сроки

        Бюджеты сельских округов утверждаются не позднее 25 декабря.

        ### Статья 3. Отчёт

        Аким сельского округа отчитывается об исполнении бюджета два раза в год на собрании местного сообщества.

        ### Статья 4. Бюджет участия

        Не менее одного процента расходов бюджета сельского округа распределяется по предложениям жителей.
        """,
    ]
}
