import AimaqCore
import Foundation
import OpinionMap
import SQLKit
import Vapor

/// The demo's consultative polls, every vote invented: one national, held during the public
/// discussion of the draft Constitution (closed), and one in Kyzylorda region open now.
enum PollDemo {
    static func load(_ app: Application, progress: @escaping @Sendable (String) -> Void) async throws -> Int {
        let sql = app.db as! any SQLDatabase
        guard try await PollStore.all(on: sql).isEmpty else { return 0 }
        let today = app.aimaq.clock.today()
        let tree = app.aimaq.territories.tree
        let national = try await PollStore.create(PollRecord(
            id: 0, territory: nil, discussionID: nil,
            title: LocalizedName(kk: "Аудан әкімдерін тұрғындар сайлауы керек пе? (демо)",
                                 ru: "Должны ли акимов районов избирать жители? (демо)",
                                 en: "Should residents elect the akims of districts? (demo)"),
            options: [LocalizedName(kk: "Иә", ru: "Да", en: "Yes"), LocalizedName(kk: "Жоқ", ru: "Нет", en: "No"),
                      LocalizedName(kk: "Білмеймін", ru: "Затрудняюсь ответить", en: "Unsure")],
            opens: try CivilDate("2026-02-12"), closes: try CivilDate("2026-03-04"), demo: true), actor: "demo", on: app.db)
        var generator = SeededGenerator(seed: 1503)
        var ballots: [(region: Int, choice: Int)] = []
        for region in tree.regions {
            let voters = max(20, (region.population ?? 500_000) / 2_000)
            // Yes leads everywhere, more strongly in the west and the south.
            let yes = [23, 47, 27, 15, 61, 79].contains(region.code.regionNumber) ? 0.68 : 0.55
            for _ in 0 ..< voters {
                let draw = generator.nextUnit()
                ballots.append((region.code.value, draw < yes ? 0 : (draw < yes + 0.3 ? 1 : 2)))
            }
        }
        let local = try await PollStore.create(PollRecord(
            id: 0, territory: try KATOCode("430000000"), discussionID: nil,
            title: LocalizedName(kk: "Ауыл бюджетінің бір бөлігін тұрғындар дауыс беру арқылы бөлуі керек пе? (демо)",
                                 ru: "Распределять ли часть бюджета села голосованием жителей? (демо)",
                                 en: "Should residents vote on part of the village budget? (demo)"),
            options: [LocalizedName(kk: "Иә", ru: "Да", en: "Yes"), LocalizedName(kk: "Жоқ", ru: "Нет", en: "No")],
            opens: today.adding(days: -5), closes: today.adding(days: 20), demo: true), actor: "demo", on: app.db)
        let localVotes = (0 ..< 300).map { _ in (430_000_000, generator.nextUnit() < 0.7 ? 0 : 1) }
        let writer = AuditLog.Writer(database: app.db)
        let all = ballots.map { (national, $0.region, $0.choice) } + localVotes.map { (local, $0.0, $0.1) }
        try await AuditLog.unchained(on: writer, lock: ConversationStore.voteLock) { db in
            var start = 0
            while start < all.count {
                let insert = try db.sql.insert(into: "poll_votes").columns("poll_id", "choice", "region_id", "created_at")
                for (poll, region, choice) in all[start ..< min(start + 400, all.count)] {
                    insert.values(SQLBind(poll), SQLBind(choice), SQLBind(region), SQLBind(KazakhstanTime.nowMilliseconds()))
                }
                try await insert.run()
                start += 400
            }
        }
        progress("2 polls: a national one on electing akims (\(ballots.count) demo votes, closed), a Kyzylorda one open now")
        return 2
    }
}
