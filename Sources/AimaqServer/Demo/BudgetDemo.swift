import AimaqCore
import SQLKit
import Vapor

/// Synthetic but plausible budgets for every region, district and rural district, monthly for
/// 2024–2026, from a fixed seed. Revenue is generated where it is collected and split between
/// the levels by the bundled rule table (so the 2026 move of income taxes to districts shows);
/// the anchors of DOMAIN.md hold: 2026 withdrawals from Atyrau oblast, Almaty and Astana,
/// subventions near 5.2 trillion and local revenue near 10.7 trillion. Written through the
/// same path as an import, marked as demo.
enum BudgetDemo {
    static let years = [2024, 2025, 2026]
    /// How much larger each year is than 2026 (nominal growth).
    static let growth: [Int: Double] = [2024: 0.85, 2025: 0.92, 2026: 1.0]

    /// Revenue collected locally, tenge per person per year in 2026 where `economy` is 1. With
    /// the regions' factors weighted by their people, local own revenue comes to about 5.3
    /// trillion in 2026; with 5.4 trillion of transfers from the republic, local revenue is near
    /// the 10.7 trillion forecast and dependence near 50.7% (DOMAIN.md §5).
    static let collected: [(code: String, perPerson: Double)] = [
        ("101201", 103_000), ("101202", 8_600), ("101111", 34_300), ("103101", 51_400),
        ("104101", 12_900), ("104102", 1_700), ("104302", 860), ("104401", 1_700),
        ("104402", 6_900), ("105315", 2_600), ("204102", 1_700), ("303101", 2_600),
    ]

    /// Own revenue per person against the national average, by region (ISO code).
    static let economy: [String: Double] = [
        "KZ-23": 2.4, "KZ-75": 2.2, "KZ-71": 2.0, "KZ-47": 1.5, "KZ-62": 1.3, "KZ-35": 1.2, "KZ-55": 1.2,
        "KZ-15": 1.1, "KZ-27": 1.1, "KZ-63": 1.0, "KZ-39": 0.9, "KZ-11": 0.9, "KZ-10": 0.8, "KZ-79": 0.8,
        "KZ-19": 0.75, "KZ-59": 0.7, "KZ-43": 0.6, "KZ-33": 0.6, "KZ-31": 0.55, "KZ-61": 0.45,
    ]

    /// 2026 withdrawals, thousand tenge (DOMAIN.md §5).
    static let withdrawals2026: [String: Int64] = ["KZ-23": 262_404_282, "KZ-75": 491_887_501, "KZ-71": 125_655_286]
    static let subventions2026: Double = 5.2e12

    /// Shares of spending by functional group, per level.
    static let spending: [BudgetLevel: [(String, Double)]] = [
        .regional: [("01", 0.05), ("03", 0.05), ("04", 0.25), ("05", 0.15), ("06", 0.08), ("07", 0.12),
                    ("08", 0.06), ("10", 0.06), ("12", 0.18)],
        .district: [("01", 0.06), ("04", 0.42), ("06", 0.10), ("07", 0.20), ("08", 0.06), ("12", 0.16)],
        .local: [("01", 0.35), ("07", 0.45), ("08", 0.20)],
    ]

    /// Monthly weights of a year (receipts and spending both lean to the year's end).
    static let months: [Double] = [0.07, 0.07, 0.08, 0.08, 0.08, 0.08, 0.09, 0.08, 0.08, 0.09, 0.09, 0.11]

    struct Result: Sendable {
        var lines: [BudgetImport.Line]
        var transfers: [BudgetImport.Transfer]
    }

    /// Generates everything in memory; `today` decides which months have been executed.
    static func generate(tree: TerritoryTree, rules: DistributionRules, today: CivilDate) -> Result {
        var random = SeededRandom(seed: 2026_01_20)
        func noise(_ spread: Double) -> Double { 1 + Double.random(in: -spread...spread, using: &random) }

        // Where revenue is collected: the level-4 units, and the districts of cities of
        // republican significance (which keep one budget), with invented shares of the
        // region's people (towns weigh more).
        var units: [KATOCode: [(code: KATOCode, share: Double)]] = [:]
        for region in tree.regions {
            var found: [(KATOCode, Double)] = []
            func walk(_ code: KATOCode) {
                for child in tree.children(of: code) {
                    if region.kind == .republicanCity || child.level == .ruralDistrict {
                        let town = child.name.ru.hasPrefix("г.")
                        found.append((child.code, (town ? 4 : 1) * Double.random(in: 0.5...1.5, using: &random)))
                    } else if child.level == .district {
                        walk(child.code)
                    }
                }
            }
            walk(region.code)
            if found.isEmpty { found = [(region.code, 1)] }
            let total = found.reduce(0) { $0 + $1.1 }
            units[region.code] = found.map { ($0.0, $0.1 / total) }
        }

        var lines: [BudgetImport.Line] = []
        var transfers: [BudgetImport.Transfer] = []
        let executedThrough: (Int) -> Int = { year in year < today.year ? 12 : year > today.year ? 0 : today.month - 1 }

        for year in years {
            let scale = growth[year] ?? 1
            var collectedItems: [RevenueAllocation.Collected] = []
            for region in tree.regions {
                let factor = economy[region.iso ?? ""] ?? 1
                let people = Double(region.population ?? 500_000)
                for unit in units[region.code] ?? [] {
                    for item in collected {
                        let amount = Int64((item.perPerson * scale * factor * people * unit.share * noise(0.1)).rounded())
                        guard amount > 0, let code = RevenueCode(item.code) else { continue }
                        collectedItems.append(.init(territory: unit.code, code: code, year: year, amount: amount))
                        lines.append(.init(kind: .collected, territory: unit.code, level: BudgetLevel(territory: unit.code.level),
                                           year: year, month: 0, code: item.code, approved: 0, adjusted: 0, executed: amount))
                    }
                }
            }
            var received: [Int: [String: Int64]] = [:]
            for (budget, codes) in RevenueAllocation.receipts(collectedItems, rules: rules, tree: tree) {
                guard case .territory(let code) = budget else { continue }
                for (revenueCode, amount) in codes { received[code.value, default: [:]][revenueCode.text, default: 0] += amount }
            }
            func own(_ id: Int) -> Int64 { received[id]?.values.reduce(0, +) ?? 0 }

            // Transfers: withdrawals from the three donors, subventions to the others by need,
            // then each region and district passes part of its money down by people.
            func give(_ kind: BudgetImport.TransferKind, from: KATOCode?, to: KATOCode, _ amount: Int64, code: String) {
                guard amount > 0 else { return }
                transfers.append(.init(kind: kind, from: from, to: to, year: year, amount: amount))
                if kind != .withdrawal { received[to.value, default: [:]][code, default: 0] += amount }
            }
            var spendOnTransfers: [Int: Int64] = [:]
            let receivers = tree.regions.filter { withdrawals2026[$0.iso ?? ""] == nil }
            let needs = Equalisation.needs(standard: 400_000, territories: receivers.map {
                (territory: $0.code.value, own: Int64(Double(own($0.code.value)) / scale), population: $0.population ?? 0)
            })
            for region in tree.regions {
                if let thousands = withdrawals2026[region.iso ?? ""] {
                    let amount = Int64((Double(thousands) * 1_000 * scale).rounded())
                    transfers.append(.init(kind: .withdrawal, from: region.code, to: nil, year: year, amount: amount))
                    spendOnTransfers[region.code.value, default: 0] += amount
                } else if needs.total > 0 {
                    let need = needs.needs.first { $0.territory == region.code.value }?.amount ?? 0
                    let subvention = Int64((subventions2026 * scale * Double(need) / Double(needs.total)).rounded())
                    give(.subvention, from: nil, to: region.code, subvention, code: "402103")
                    give(.targetedCurrent, from: nil, to: region.code, subvention / 40, code: "402101")
                    give(.targetedDevelopment, from: nil, to: region.code, subvention / 50, code: "402102")
                }
            }
            for region in tree.regions where region.kind != .republicanCity {
                let districts = tree.children(of: region.code).filter { $0.level == .district }
                let pot = Double(received[region.code.value]?.values.reduce(0, +) ?? 0) * 0.45
                let shares = districts.map { district in
                    (district, (units[region.code] ?? []).filter { district.code.contains($0.code) }.reduce(0) { $0 + $1.share })
                }
                for (district, share) in shares {
                    let amount = Int64((pot * share).rounded())
                    give(.subvention, from: region.code, to: district.code, amount, code: "402203")
                    spendOnTransfers[region.code.value, default: 0] += amount
                    let localPot = Double(amount) * 0.2
                    let local = (units[region.code] ?? []).filter { district.code.contains($0.code) && $0.code != district.code }
                    for unit in local where share > 0 {
                        let part = Int64((localPot * unit.share / share).rounded())
                        give(.subvention, from: district.code, to: unit.code, part, code: "402303")
                        spendOnTransfers[district.code.value, default: 0] += part
                    }
                }
            }

            // Lines: receipts by code and spending by function, month by month.
            let through = executedThrough(year)
            for (id, codes) in received.sorted(by: { $0.key < $1.key }) {
                guard let territory = try? KATOCode(number: id), let node = tree[territory] else { continue }
                let level = BudgetLevel(territory: node.level)
                var total: Int64 = 0
                for (code, amount) in codes.sorted(by: { $0.key < $1.key }) {
                    total += amount
                    let plan = Int64((Double(amount) * noise(0.05)).rounded())
                    appendMonths(&lines, kind: .revenue, territory: territory, level: level, year: year, code: code,
                                 plan: plan, actual: amount, through: through)
                }
                let transfersOut = spendOnTransfers[id] ?? 0
                if transfersOut > 0 {
                    appendMonths(&lines, kind: .expenditure, territory: territory, level: level, year: year, code: "15",
                                 plan: transfersOut, actual: transfersOut, through: through)
                }
                let rest = max(0, total - transfersOut)
                for (function, share) in spending[level] ?? [] {
                    let planned = Int64((Double(rest) * share).rounded())
                    let actual = Int64((Double(planned) * noise(0.04) * 0.97).rounded())
                    appendMonths(&lines, kind: .expenditure, territory: territory, level: level, year: year, code: function,
                                 plan: planned, actual: actual, through: through)
                }
            }
        }
        return Result(lines: lines, transfers: transfers)
    }

    /// Twelve monthly lines whose plans and executions add up exactly to the year's.
    static func appendMonths(_ lines: inout [BudgetImport.Line], kind: BudgetImport.LineKind, territory: KATOCode,
                             level: BudgetLevel, year: Int, code: String, plan: Int64, actual: Int64, through: Int) {
        let plans = spread(plan), actuals = spread(actual)
        for month in 1...12 {
            lines.append(.init(kind: kind, territory: territory, level: level, year: year, month: month, code: code,
                               approved: plans[month - 1], adjusted: plans[month - 1],
                               executed: month <= through ? actuals[month - 1] : 0))
        }
    }

    /// Splits an amount over the months by `months`, the tenge left over going to December.
    static func spread(_ amount: Int64) -> [Int64] {
        var parts = months.map { Int64((Double(amount) * $0).rounded(.down)) }
        parts[11] += amount - parts.reduce(0, +)
        return parts
    }

    /// Writes the demo budgets when there are none.
    static func load(_ app: Application, progress: @escaping @Sendable (String) -> Void) async throws -> (lines: Int, transfers: Int) {
        let sql = try app.db.sql
        let existing = try await sql.select().column(SQLAlias(SQLQueryString("COUNT(*)"), as: SQLIdentifier("n")))
            .from("budget_lines").first(decodingColumn: "n", as: Int.self) ?? 0
        guard existing == 0 else { return (0, 0) }
        let result = generate(tree: app.aimaq.territories.tree, rules: app.aimaq.budget.rules, today: app.aimaq.clock.today())
        let step = max(1, result.lines.count / 10)
        _ = try await BudgetStore.write(.lines(result.lines), app: app, actor: "demo", demo: true) { done, total in
            if done % step < BudgetStore.batch || done == total { progress("budget lines: \(done)/\(total)") }
        }
        _ = try await BudgetStore.write(.transfers(result.transfers), app: app, actor: "demo", demo: true)
        return (result.lines.count, result.transfers.count)
    }
}

