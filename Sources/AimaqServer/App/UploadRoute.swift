import Vapor

extension RoutesBuilder {
    /// A route that takes a file: `gate` decides who may send one before a byte of the body
    /// is read (a visitor who may not is answered at once and sends nothing into memory);
    /// then the body is read, up to `maxBytes` (413 beyond), and `handler` runs.
    func upload(_ url: SiteURL, maxBytes: Int, gate: @escaping @Sendable (Request) async throws -> Void,
                use handler: @escaping @Sendable (Request) async throws -> Response) {
        on(.POST, url.pathComponents, body: .stream) { request async throws -> Response in
            try await gate(request)
            if let data = request.body.data {
                // Already gathered (an in-process test): the limit holds all the same.
                guard data.readableBytes <= maxBytes else { throw Abort(.payloadTooLarge) }
            } else {
                _ = try await request.body.collect(max: maxBytes).get()
            }
            return try await handler(request)
        }
    }
}
