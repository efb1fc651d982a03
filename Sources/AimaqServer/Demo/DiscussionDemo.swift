import AimaqCore
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
        progress("2 discussions: the draft Constitution (\(versions.last?.articles.count ?? 0) articles, 2 versions), a Kyzylorda maslikhat draft")
        return 2
    }

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
