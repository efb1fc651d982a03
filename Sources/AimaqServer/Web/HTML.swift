/// A minimal HTML tree that escapes every text and attribute value by construction.
/// Only `Node.trusted` writes markup as is, and it takes static strings of our own.
public indirect enum Node: Sendable {
    case element(String, [Attribute], [Node])
    case void(String, [Attribute])
    case text(String)
    case trusted(StaticString)
    case fragment([Node])
    /// Markup that our own renderer produced earlier (a cached fragment).
    case prerendered(Prerendered)

    public static let empty = Node.fragment([])

    public func render() -> String {
        var output = ""
        output.reserveCapacity(8_192)
        render(into: &output)
        return output
    }

    public func render(into output: inout String) {
        switch self {
        case .element(let name, let attributes, let children):
            output += "<"
            output += name
            for attribute in attributes { attribute.render(into: &output) }
            output += ">"
            for child in children { child.render(into: &output) }
            output += "</"
            output += name
            output += ">"
        case .void(let name, let attributes):
            output += "<"
            output += name
            for attribute in attributes { attribute.render(into: &output) }
            output += ">"
        case .text(let text):
            Self.escape(text, into: &output)
        case .trusted(let markup):
            output += markup.description
        case .prerendered(let fragment):
            output += fragment.html
        case .fragment(let children):
            for child in children { child.render(into: &output) }
        }
    }

    static func escape(_ text: String, into output: inout String) {
        // Fast path: most text has nothing to escape.
        if !text.utf8.contains(where: { $0 == 38 || $0 == 60 || $0 == 62 || $0 == 34 || $0 == 39 }) {
            output += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}

public struct Attribute: Sendable {
    let name: String
    let value: String?

    public init(_ name: String, _ value: String?) {
        self.name = name
        self.value = value
    }

    func render(into output: inout String) {
        output += " "
        output += name
        if let value {
            output += "=\""
            Node.escape(value, into: &output)
            output += "\""
        }
    }

    public static func `class`(_ value: String) -> Attribute { Attribute("class", value) }
    public static func id(_ value: String) -> Attribute { Attribute("id", value) }
    public static func href(_ value: String) -> Attribute { Attribute("href", value) }
    public static func name(_ value: String) -> Attribute { Attribute("name", value) }
    public static func type(_ value: String) -> Attribute { Attribute("type", value) }
    public static func value(_ value: String) -> Attribute { Attribute("value", value) }
    public static func lang(_ value: String) -> Attribute { Attribute("lang", value) }
    public static func flag(_ name: String) -> Attribute { Attribute(name, nil) }
    public static func aria(_ name: String, _ value: String) -> Attribute { Attribute("aria-\(name)", value) }
}

@resultBuilder
public enum NodeBuilder {
    public static func buildExpression(_ node: Node) -> [Node] { [node] }
    public static func buildExpression(_ nodes: [Node]) -> [Node] { nodes }
    public static func buildExpression(_ text: String) -> [Node] { [.text(text)] }
    public static func buildBlock(_ parts: [Node]...) -> [Node] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Node]?) -> [Node] { part ?? [] }
    public static func buildEither(first: [Node]) -> [Node] { first }
    public static func buildEither(second: [Node]) -> [Node] { second }
    public static func buildArray(_ parts: [[Node]]) -> [Node] { parts.flatMap { $0 } }
}

/// `el("p", .class("lead")) { "Hello" }`
public func el(_ name: String, _ attributes: Attribute..., @NodeBuilder content: () -> [Node] = { [] }) -> Node {
    .element(name, attributes, content())
}

public func el(_ name: String, attributes: [Attribute], @NodeBuilder content: () -> [Node] = { [] }) -> Node {
    .element(name, attributes, content())
}

/// An element with no closing tag (`input`, `meta`, `link`, `br`).
public func void(_ name: String, _ attributes: Attribute...) -> Node {
    .void(name, attributes)
}

public func fragment(@NodeBuilder _ content: () -> [Node]) -> Node {
    .fragment(content())
}

/// A fragment rendered by ``Node/render()``: escaped by construction, so it can be cached and
/// written again as is. It can only be made from a `Node`.
public struct Prerendered: Sendable {
    fileprivate let html: String

    public init(_ node: Node) {
        html = node.render()
    }

    public var byteCount: Int { html.utf8.count }
}
