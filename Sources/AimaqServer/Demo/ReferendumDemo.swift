import AimaqCore
import Fluent
import SQLKit
import Vapor

/// The referendum of 15 March 2026 on the new Constitution: the official national totals and
/// the regional turnouts that were published (DOMAIN.md); the other regions' figures are
/// generated to add up to the totals and the referendum is marked as demo.
enum ReferendumDemo {
    static let national = Tally(eligible: 12_482_613, participants: 9_127_192, answers: [7_954_667, 898_099], invalid: 146_558)
    /// Turnout at 20:30 on the day, in hundredths of a percent, by region number.
    static let knownTurnout: [Int: Int] = [43: 9_304, 15: 8_705, 79: 7_582, 71: 6_036, 75: 3_343]

    static func load(_ app: Application, progress: @escaping @Sendable (String) -> Void) async throws -> Int {
        let sql = app.db as! any SQLDatabase
        guard try await ReferendumStore.all(on: sql).isEmpty else { return 0 }
        let tree = app.aimaq.territories.tree
        let id = try await ReferendumStore.create(ReferendumRecord(
            id: 0, heldOn: "2026-03-15", kind: "constitution",
            title: LocalizedName(kk: "2026 жылғы 15 наурыздағы республикалық референдум",
                                 ru: "Республиканский референдум 15 марта 2026 года",
                                 en: "Republican referendum of 15 March 2026"),
            question: LocalizedName(kk: "Қазақстан Республикасының жаңа Конституциясын қабылдайсыз ба?",
                                    ru: "Принимаете ли Вы новую Конституцию Республики Казахстан?",
                                    en: "Do you adopt the new Constitution of the Republic of Kazakhstan?"),
            rules: .constitution, demo: true), actor: "demo", on: app.db)
        let tallies = regionalTallies(regions: tree.regions)
        try await ReferendumStore.setElectorate(tallies.mapValues(\.eligible), referendum: id, actor: "demo", on: app.db)
        try await ReferendumStore.record(tallies, referendum: id, actor: "demo", tree: tree, on: app.db)
        progress("the referendum of 15 March 2026 (official totals, \(knownTurnout.count) known regional turnouts)")
        return 1
    }

    /// Splits the national totals over the regions: eligible by population, the known
    /// turnouts as published, the rest of those who took part over the other regions by their
    /// eligible, and the answers by the national shares with a fixed regional lean. Each
    /// column is shared by largest remainders, so it adds up to the national figure exactly.
    static func regionalTallies(regions: [Territory]) -> [KATOCode: Tally] {
        let ordered = regions.sorted { $0.code.value < $1.code.value }
        guard !ordered.isEmpty else { return [:] }
        let eligible = apportion(national.eligible, by: ordered.map { max(1, $0.population ?? 0) })
        let known = ordered.indices.filter { knownTurnout[ordered[$0].code.regionNumber] != nil }
        var participants = Array(repeating: 0, count: ordered.count)
        for index in known {
            participants[index] = eligible[index] * knownTurnout[ordered[index].code.regionNumber]! / 10_000
        }
        // With every region's turnout known (a small tree), the rest goes over all of them.
        let others = known.count == ordered.count ? Array(ordered.indices) : ordered.indices.filter { !known.contains($0) }
        let rest = apportion(national.participants - participants.reduce(0, +), by: others.map { eligible[$0] })
        for (slot, index) in others.enumerated() { participants[index] += rest[slot] }
        // A lean of up to four points either way by region (fixed, so every demo agrees).
        let yesWeights = ordered.indices.map { participants[$0] * (8_715 + ((ordered[$0].code.regionNumber * 37 % 9) - 4) * 100) }
        let yes = apportion(national.answers[0], by: yesWeights)
        let invalid = apportion(national.invalid, by: participants)
        let no = apportion(national.answers[1], by: ordered.indices.map { max(1, participants[$0] - yes[$0] - invalid[$0]) })
        var tallies: [KATOCode: Tally] = [:]
        for (index, region) in ordered.enumerated() {
            tallies[region.code] = Tally(eligible: eligible[index], participants: participants[index],
                                         answers: [yes[index], no[index]], invalid: invalid[index])
        }
        return tallies
    }

    /// `total` shared in proportion to `weights`, whole numbers that add up to it (largest
    /// remainders).
    static func apportion(_ total: Int, by weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return weights.map { _ in 0 } }
        var shares = weights.map { total * $0 / sum }
        let remainders = weights.indices.map { (index: $0, remainder: total * weights[$0] % sum) }
            .sorted { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        for entry in remainders.prefix(total - shares.reduce(0, +)) { shares[entry.index] += 1 }
        return shares
    }
}
