import Vapor

/// Which methods each route path takes, so that a request with another method on a path
/// that exists is answered 405 with `Allow` (RFC 9110), not 404.
struct MethodTable: Sendable {
    private enum Segment: Sendable, Equatable {
        case constant(String)
        case parameter
        case rest
    }

    private let paths: [(segments: [Segment], methods: [HTTPMethod])]

    init(_ routes: [Route]) {
        var byPath: [String: (segments: [Segment], methods: [HTTPMethod])] = [:]
        for route in routes {
            let segments: [Segment] = route.path.map {
                switch $0 {
                case .constant(let text): .constant(text)
                case .parameter, .anything: .parameter
                case .catchall: .rest
                }
            }
            byPath[route.path.map(\.description).joined(separator: "/"), default: (segments, [])].methods.append(route.method)
        }
        paths = Array(byPath.values)
    }

    /// The methods the request's path takes; nil when no route has the path.
    func methods(for request: Request) -> [HTTPMethod]? {
        let parts = request.url.path.split(separator: "/").map(String.init)
        let found = paths.filter { entry in
            for (index, segment) in entry.segments.enumerated() {
                switch segment {
                case .rest: return true
                case .parameter: if index >= parts.count { return false }
                case .constant(let text): if index >= parts.count || parts[index] != text { return false }
                }
            }
            return entry.segments.count == parts.count
        }
        return found.isEmpty ? nil : found.flatMap(\.methods)
    }

    struct Key: StorageKey { typealias Value = MethodTable }
}
