import AimaqCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The territory tree and the bodies every installation has, loaded from the bundled files
/// (or files the administrator names) in one transaction.
public enum ReferenceData {
    public struct Summary: Sendable {
        public var territories: Int
        public var bodies: Int
        public var loaded: Bool
    }

    /// The bundled holidays, with the days of `extra` (a file of the same form, for example
    /// the transfers of working days decreed for a year) laid over them.
    public static func calendar(extra: String? = nil) throws -> WorkingCalendar {
        var calendar: WorkingCalendar
        do {
            calendar = try WorkingCalendar.parse(try BundledFile.text("holidays-kz.csv"))
        } catch let error as CSVReader.ParseError {
            throw DataFolderError(description: "holidays-kz.csv: \(error)")
        }
        guard let extra else { return calendar }
        let text: String
        do {
            text = try String(contentsOfFile: extra, encoding: .utf8)
        } catch {
            throw DataFolderError(description: "cannot read the calendar file \(extra): \(error.localizedDescription)")
        }
        do {
            calendar = calendar.overlaid(with: try WorkingCalendar.parse(text))
        } catch {
            throw DataFolderError(description: "\(extra): \(error)")
        }
        return calendar
    }

    /// Reads the classifier files; the bundled ones unless paths are given.
    public static func readTerritories(classifier: String? = nil, regions: String? = nil,
                                       names: String? = nil, population: String? = nil) throws -> [Territory] {
        func file(_ path: String) throws -> String {
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw DataFolderError(description: "cannot read \(path): \(error.localizedDescription)")
            }
        }
        func read(_ path: String?, bundledName: String) throws -> String {
            try path.map(file) ?? BundledFile.text(bundledName)
        }
        return try KATOClassifier.territories(
            classifier: try read(classifier, bundledName: "kato.csv"),
            regions: try read(regions, bundledName: "regions.csv"),
            names: try read(names, bundledName: "territory-names.csv"),
            population: try population.map(file))
    }

    /// Loads territories and bodies when the database has none (or replaces the territories
    /// when `replace` is set). Idempotent.
    @discardableResult
    public static func ensure(_ app: Application, territories given: [Territory]? = nil,
                              replace: Bool = false, actor: String = "system") async throws -> Summary {
        let existing = try await TerritoryCount.count(on: app.db)
        var summary = Summary(territories: existing, bodies: 0, loaded: false)
        if existing == 0 || replace {
            let territories = try given ?? readTerritories()
            try await AuditLog.record(on: app.db, actor: actor) { db in
                let sql = try db.sql
                try await TerritoryStore.replaceAll(territories, on: sql)
                return ((), AuditEvent(action: "territories.import", entity: "territories", entityID: "all",
                                       before: "{\"count\":\(existing)}", after: "{\"count\":\(territories.count)}"))
            }
            summary.territories = territories.count
            summary.loaded = true
        }
        try await AimaqApp.loadReferenceData(app)
        summary.bodies = try await ensureBodies(app, actor: actor)
        summary.bodies += try await ensureDepartments(app, actor: actor)
        return summary
    }

    /// One department template: what it is called and what it answers for.
    struct DepartmentTemplate {
        var key: String
        var remit: [InstructionCategory]
        var name: LocalizedName
    }

    static func departmentTemplates() throws -> [DepartmentTemplate] {
        do {
            return try CSVReader().records(try BundledFile.text("akimat-departments.csv"),
                                           required: ["key", "remit", "name_kk", "name_ru", "name_en"]).map { record in
                var remit: [InstructionCategory] = []
                for code in record["remit"].split(separator: " ") {
                    guard let category = InstructionCategory(rawValue: String(code)) else {
                        throw CSVReader.ParseError(line: record.line, column: record.column(of: "remit"),
                                                   message: "unknown instruction category \"\(code)\"")
                    }
                    remit.append(category)
                }
                return DepartmentTemplate(key: record["key"], remit: remit,
                                          name: LocalizedName(kk: record["name_kk"], ru: record["name_ru"], en: record["name_en"]))
            }
        } catch let error as CSVReader.ParseError {
            throw DataFolderError(description: "akimat-departments.csv: \(error)")
        }
    }

    /// The departments of every regional akimat, when there are none yet (also for databases
    /// made before departments existed). Returns how many there are.
    static func ensureDepartments(_ app: Application, actor: String) async throws -> Int {
        let kind = BodyKind.akimatDepartment.rawValue
        let existing = try await BodyRecord.query(on: app.db).filter(\.$kind == kind).count()
        guard existing == 0 else { return existing }
        let templates = try departmentTemplates()
        let bodies = app.aimaq.bodies
        let akimats = app.aimaq.territories.tree.regions.compactMap { region in
            bodies.bodies(of: region.code).first { $0.kind == .akimat }
        }
        guard !akimats.isEmpty else { return 0 }
        try await AuditLog.record(on: app.db, actor: actor) { db in
            let sql = try db.sql
            var insert = sql.insert(into: "bodies").columns("kind", "territory_id", "name_kk", "name_ru", "name_en", "parent_id", "remit")
            for akimat in akimats {
                for template in templates {
                    insert = insert.values([
                        SQLBind(kind), SQLBind(akimat.territory?.value),
                        SQLBind("\(template.name.kk) — \(akimat.name.kk)"), SQLBind("\(template.name.ru) — \(akimat.name.ru)"),
                        SQLBind("\(template.name.en) — \(akimat.name.en)"), SQLBind(akimat.id),
                        SQLBind(template.remit.map(\.rawValue).joined(separator: " ")),
                    ] as [any SQLExpression])
                }
            }
            try await insert.run()
            return ((), AuditEvent(action: "bodies.departments", entity: "bodies", entityID: "departments",
                                   before: nil, after: "{\"count\":\(akimats.count * templates.count)}"))
        }
        try await bodies.reload(from: try app.db.sql)
        app.aimaq.pages.clear()
        return akimats.count * templates.count
    }

    /// The national bodies, and a maslikhat and an akimat for every region, city and district.
    static func ensureBodies(_ app: Application, actor: String) async throws -> Int {
        let existing = try await BodyRecord.query(on: app.db).count()
        guard existing == 0 else { return existing }
        let tree = app.aimaq.territories.tree
        var rows: [BodyDraft] = BodyDraft.national
        for region in tree.regions {
            rows += BodyDraft.local(for: region)
            for child in tree.children(of: region.code) where child.level == .district {
                rows += BodyDraft.local(for: child)
            }
        }
        let drafts = rows
        try await AuditLog.record(on: app.db, actor: actor) { db in
            let sql = try db.sql
            for batch in drafts.chunked(into: 400) {
                var insert = sql.insert(into: "bodies").columns(
                    "kind", "territory_id", "name_kk", "name_ru", "name_en", "valid_from", "valid_to", "seats")
                for body in batch {
                    insert = insert.values([
                        SQLBind(body.kind.rawValue), SQLBind(body.territory?.value), SQLBind(body.name.kk),
                        SQLBind(body.name.ru), SQLBind(body.name.en), SQLBind(body.validFrom),
                        SQLBind(body.validTo), SQLBind(body.seats),
                    ] as [any SQLExpression])
                }
                try await insert.run()
            }
            return ((), AuditEvent(action: "bodies.create", entity: "bodies", entityID: "all",
                                   before: nil, after: "{\"count\":\(drafts.count)}"))
        }
        try await app.aimaq.bodies.reload(from: try app.db.sql)
        app.aimaq.pages.clear()
        return drafts.count
    }
}

struct BodyDraft: Sendable {
    var kind: BodyKind
    var territory: KATOCode?
    var name: LocalizedName
    var validFrom: String?
    var validTo: String?
    var seats: Int?

    /// National bodies around the 2026 reform (DOMAIN.md §1, §3).
    static let national: [BodyDraft] = [
        BodyDraft(kind: .senate, territory: nil,
                  name: LocalizedName(kk: "Қазақстан Республикасы Парламентінің Сенаты",
                                      ru: "Сенат Парламента Республики Казахстан",
                                      en: "Senate of the Parliament of the Republic of Kazakhstan"),
                  validFrom: nil, validTo: "2026-06-30", seats: 50),
        BodyDraft(kind: .mazhilis, territory: nil,
                  name: LocalizedName(kk: "Қазақстан Республикасы Парламентінің Мәжілісі",
                                      ru: "Мажилис Парламента Республики Казахстан",
                                      en: "Mazhilis of the Parliament of the Republic of Kazakhstan"),
                  validFrom: nil, validTo: "2026-06-30", seats: 98),
        BodyDraft(kind: .kurultai, territory: nil,
                  name: LocalizedName(kk: "Қазақстан Республикасының Құрылтайы",
                                      ru: "Курултай Республики Казахстан",
                                      en: "Kurultai of the Republic of Kazakhstan"),
                  validFrom: "2026-07-01", validTo: nil, seats: 145),
        BodyDraft(kind: .peoplesCouncil, territory: nil,
                  name: BodyDraft.peoplesCouncilName,
                  validFrom: "2026-07-01", validTo: nil, seats: nil),
    ]

    /// Kazakhstan Halyk Kenesi: the People's Council, a consultative body (DOMAIN.md §1).
    static let peoplesCouncilName = LocalizedName(kk: "Қазақстан Халық Кеңесі",
                                                  ru: "Қазақстан Халық Кеңесі (Народный совет Казахстана)",
                                                  en: "Kazakhstan Halyk Kenesi (People's Council of Kazakhstan)")

    static func local(for territory: Territory) -> [BodyDraft] {
        let name = territory.name
        return [
            BodyDraft(kind: .maslikhat, territory: territory.code,
                      name: LocalizedName(kk: "\(name.kk) мәслихаты", ru: "Маслихат: \(name.ru)",
                                          en: "\(name.en) Maslikhat"),
                      validFrom: nil, validTo: nil, seats: territory.level == .region ? 30 : 20),
            BodyDraft(kind: .akimat, territory: territory.code,
                      name: LocalizedName(kk: "\(name.kk) әкімдігі", ru: "Акимат: \(name.ru)",
                                          en: "\(name.en) Akimat"),
                      validFrom: nil, validTo: nil, seats: nil),
        ]
    }
}

enum TerritoryCount {
    static func count(on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        return try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("territories").first(decodingColumn: "n", as: Int.self) ?? 0
    }
}
