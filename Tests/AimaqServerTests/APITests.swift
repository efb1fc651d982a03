import AimaqCore
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import AimaqServer

extension ServerTests {
    @Suite struct API {
        struct Territory: Decodable {
            struct Child: Decodable { var code: String; var level: Int; var name: LocalizedName }
            struct Children: Decodable { var items: [Child]; var total: Int }
            var code: String
            var level: Int
            var name: LocalizedName
            var iso: String?
            var population: Int?
            var parent: String?
            var children: Children
        }

        struct List<Item: Decodable>: Decodable {
            var items: [Item]
            var total: Int
            var page: Int
            var per: Int
        }

        @Test func territoryAnswerHasNamesPopulationParentAndChildren() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let region = try await visitor.get("/api/v1/territories/430000000").content.decode(Territory.self)
                #expect(region.code == "430000000")
                #expect(region.level == 1)
                #expect(region.name == LocalizedName(kk: "Қызылорда облысы", ru: "Кызылординская область", en: "Kyzylorda Region"))
                #expect(region.iso == "KZ-43")
                #expect(region.population == 845_900)
                #expect(region.parent == nil)
                #expect(region.children.items.map(\.code) == ["431000000", "433200000", "435200000"])
                #expect(region.children.total == 3)
                let village = try await visitor.get("/api/v1/territories/435233100").content.decode(Territory.self)
                #expect(village.parent == "435233000")
                #expect(village.children.total == 0)
            }
        }

        @Test func listsArePagedWithItemsAndTotal() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let regions = try await visitor.get("/api/v1/territories").content.decode(List<Territory.Child>.self)
                #expect(regions.total == 2)
                #expect(regions.items.map(\.code) == ["430000000", "710000000"])
                let second = try await visitor.get("/api/v1/territories?parent=430000000&page=2&per=2")
                    .content.decode(List<Territory.Child>.self)
                #expect(second.total == 3)
                #expect(second.page == 2)
                #expect(second.per == 2)
                #expect(second.items.map(\.code) == ["435200000"])
                struct Body: Decodable { var id: Int; var kind: String; var territory: String? }
                let bodies = try await visitor.get("/api/v1/bodies?territory=435200000").content.decode(List<Body>.self)
                #expect(bodies.total == 2)
                #expect(Set(bodies.items.map(\.kind)) == ["maslikhat", "akimat"])
                let all = try await visitor.get("/api/v1/bodies?per=1").content.decode(List<Body>.self)
                // 4 national bodies + 2 for each of 2 regions and 4 districts/cities + 8 departments
                // of each of the 2 regional akimats
                #expect(all.total == 4 + 2 * 6 + 8 * 2)
                #expect(all.items.count == 1)
            }
        }

        @Test func badPagingIsAJSONErrorThatNamesTheParameter() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                for query in ["per=0", "per=501", "page=0", "page=x", "page=99999999999999999999"] {
                    let response = try await visitor.get("/api/v1/territories?\(query)")
                    #expect(response.status == .badRequest, "\(query)")
                    let error = try response.content.decode(APIErrorBody.self)
                    #expect(error.error.message.contains(query.hasPrefix("per") ? "per" : "page"), "\(query)")
                }
            }
        }

        @Test func healthReportsTheDatabase() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let response = try await visitor.get("/health")
                #expect(response.status == .ok)
                #expect(response.body.string == #"{"status":"ok"}"#)
            }
        }

        @Test func openAPIDescribesEveryAPIRoute() async throws {
            try await withAimaq { app, _ in
                var visitor = Visitor(app)
                let response = try await visitor.get("/api/v1/openapi.json")
                let document = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as? [String: Any]
                #expect((document?["openapi"] as? String)?.hasPrefix("3.") == true)
                let paths = Set((document?["paths"] as? [String: Any])?.keys.map { $0 } ?? [])
                let apiRoutes = app.routes.all.map { "/" + $0.path.map(\.description).joined(separator: "/") }
                    .filter { $0.hasPrefix("/api/v1/") && $0 != "/api/v1/openapi.json" || $0 == "/health" }
                    .map { $0.replacingOccurrences(of: "/api/v1", with: "").replacingOccurrences(of: ":kato", with: "{kato}")
                        .replacingOccurrences(of: ":id", with: "{id}") }
                #expect(!apiRoutes.isEmpty)
                for route in apiRoutes {
                    #expect(paths.contains(route), "OpenAPI lacks \(route)")
                }
            }
        }
    }
}
