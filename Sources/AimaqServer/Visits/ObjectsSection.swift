import AimaqCore
import SQLKit
import Vapor

/// The objects and projects of a territory on its page: the first few, with a link to all of
/// them in the register; nothing when the territory has none.
struct ObjectsSection: TerritorySection {
    static let shown = 10

    /// Objects are only added, never changed in place: their number and the highest id say
    /// whether the section is still what it was.
    func version(for code: KATOCode, _ request: Request) async throws -> Int {
        struct Row: Decodable { var n: Int; var top: Int? }
        let row = try await request.sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("MAX", args: SQLIdentifier("id")), as: "top")
            .from("territory_objects").first(decoding: Row.self)
        return (row?.top ?? 0) &* 1_000_003 &+ (row?.n ?? 0)
    }

    func render(for code: KATOCode, _ request: Request) async throws -> Node? {
        let items = try await VisitStore.objects(in: code, on: request.sql)
        guard !items.isEmpty else { return nil }
        let page = request.page
        let bodies = request.aimaq.bodies
        return el("section", .aria("labelledby", "objects-heading"), .id("territory-objects")) {
            el("h2", .id("objects-heading")) { page.t("object.section", ["count": String(items.count)]) }
            VisitViews.objectTable(Array(items.prefix(Self.shown)), bodies: bodies, page)
            el("p") {
                el("a", .href(SiteURL.objects.link(SiteQuery([(.territory, code.description)])))) {
                    page.t("object.all", ["count": String(items.count)])
                }
            }
        }
    }
}
