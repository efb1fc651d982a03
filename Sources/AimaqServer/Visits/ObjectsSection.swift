import AimaqCore
import SQLKit
import Synchronization
import Vapor

/// The objects and projects of a territory on its page: the first few, with a link to all of
/// them in the register; nothing when the territory has none.
struct ObjectsSection: TerritorySection {
    static let shown = 10

    /// Moves on with every change to the register, on every server (it follows the change
    /// feed), so a territory page asks the database nothing to know whether its part is current.
    func version(for code: KATOCode, _ request: Request) async throws -> Int {
        request.aimaq.objectsVersion.current
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

/// The register of objects' version: a change to any object (created, its progress recorded),
/// read from the change feed, moves it on.
final class ObjectsVersion: ReadModel {
    private let value = Mutex(0)

    var current: Int { value.withLock { $0 } }

    func apply(_ changes: [Change], db: any SQLDatabase) async throws {
        let moved = changes.filter { $0.entity == "territory_object" }.count
        if moved > 0 { value.withLock { $0 += moved } }
    }
}
