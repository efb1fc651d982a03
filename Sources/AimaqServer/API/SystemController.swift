import Foundation
import SQLKit
import Vapor

/// Health, the plain-text ceiling for benchmarks, the stylesheet and the API description.
enum SystemController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get(SiteURL.health.pathComponents, use: health)
        // Also where the API's description puts it, under /api/v1.
        routes.get(SiteURL.api(.health).pathComponents, use: health)
        routes.get(SiteURL.ping.pathComponents, use: ping)
        routes.get(SiteURL.stylesheet.pathComponents, use: stylesheet)
        routes.get(SiteURL.api(.openAPI).pathComponents, use: openAPI)
    }

    struct HealthDTO: Content {
        var status: String
    }

    /// 200 with `{"status":"ok"}` when the database answers a query; 503 otherwise.
    @Sendable static func health(_ request: Request) async throws -> Response {
        let response = Response()
        do {
            _ = try await request.sql.raw("SELECT 1 AS one").first()
            try response.content.encode(HealthDTO(status: "ok"))
        } catch {
            response.status = .serviceUnavailable
            try response.content.encode(HealthDTO(status: "database unavailable"))
        }
        return response
    }

    @Sendable static func ping(_ request: Request) -> String { "pong" }

    @Sendable static func stylesheet(_ request: Request) -> Response {
        let response = Response(body: .init(string: Stylesheet.css))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }

    static let openAPIDocument: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else { return Data("{}".utf8) }
        return data
    }()

    @Sendable static func openAPI(_ request: Request) -> Response {
        let response = Response(body: .init(data: openAPIDocument))
        response.headers.contentType = .json
        return response
    }
}
