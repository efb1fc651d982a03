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
        var output: [UInt8] = []
        output.reserveCapacity(8_192)
        render(into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the markup as UTF-8 bytes (a page is made of thousands of small pieces, and
    /// bytes take them without a string's bookkeeping on each).
    public func render(into output: inout [UInt8]) {
        switch self {
        case .element(let name, let attributes, let children):
            output.append(60)  // <
            output.append(contentsOf: name.utf8)
            for attribute in attributes { attribute.render(into: &output) }
            output.append(62)  // >
            for child in children { child.render(into: &output) }
            output.append(60)
            output.append(47)  // /
            output.append(contentsOf: name.utf8)
            output.append(62)
        case .void(let name, let attributes):
            output.append(60)
            output.append(contentsOf: name.utf8)
            for attribute in attributes { attribute.render(into: &output) }
            output.append(62)
        case .text(let text):
            Self.escape(text, into: &output)
        case .trusted(let markup):
            markup.withUTF8Buffer { output.append(contentsOf: $0) }
        case .prerendered(let fragment):
            output.append(contentsOf: fragment.bytes)
        case .fragment(let children):
            for child in children { child.render(into: &output) }
        }
    }

    /// Escapes the five characters HTML gives meaning to. Byte by byte: none of them can be
    /// part of a longer UTF-8 sequence.
    static func escape(_ text: String, into output: inout [UInt8]) {
        // One pass over the text's bytes, copying the runs between characters to escape
        // (most text has none: one copy).
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in bytes.indices {
                let replacement: StaticString
                switch bytes[index] {
                case 38: replacement = "&amp;"
                case 60: replacement = "&lt;"
                case 62: replacement = "&gt;"
                case 34: replacement = "&quot;"
                case 39: replacement = "&#39;"
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                replacement.withUTF8Buffer { output.append(contentsOf: $0) }
                start = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
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

    func render(into output: inout [UInt8]) {
        output.append(32)  // space
        output.append(contentsOf: name.utf8)
        if let value {
            output.append(61)  // =
            output.append(34)  // "
            Node.escape(value, into: &output)
            output.append(34)
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
    /// Its UTF-8, appended as it is wherever it appears (never decoded into a `String`).
    fileprivate let bytes: [UInt8]

    public init(_ node: Node) {
        var output: [UInt8] = []
        output.reserveCapacity(4_096)
        node.render(into: &output)
        bytes = output
    }

    public var byteCount: Int { bytes.count }
}

/// Writes markup straight into bytes, for long tables where a `Node` per cell costs more than
/// the page's own work (the instruction page's 224 rows). Like `Node` it escapes every text and
/// attribute value; tag and attribute names are static strings of our own.
public struct MarkupWriter {
    private var bytes: [UInt8] = []

    public init(capacity: Int = 4_096) { bytes.reserveCapacity(capacity) }

    /// `<tag>`
    public mutating func open(_ tag: StaticString) {
        bytes.append(60)
        tag.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(62)
    }

    /// `<tag name="value">`
    public mutating func open(_ tag: StaticString, _ name: StaticString, _ value: String) {
        bytes.append(60)
        tag.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(32)
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(61)
        bytes.append(34)
        Node.escape(value, into: &bytes)
        bytes.append(34)
        bytes.append(62)
    }

    /// `</tag>`
    public mutating func close(_ tag: StaticString) {
        bytes.append(60)
        bytes.append(47)
        tag.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(62)
    }

    /// `<tag>text</tag>`
    public mutating func element(_ tag: StaticString, _ text: String) {
        open(tag)
        self.text(text)
        close(tag)
    }

    public mutating func text(_ text: String) { Node.escape(text, into: &bytes) }

    /// A node written in place.
    public mutating func node(_ node: Node) { node.render(into: &bytes) }

    /// A fragment rendered earlier, written again as is.
    public mutating func prerendered(_ fragment: Prerendered) { bytes.append(contentsOf: fragment.bytes) }

    /// What was written, as a node to place in a page.
    public func finish() -> Node { .prerendered(Prerendered(writtenBytes: bytes)) }
}

extension Prerendered {
    /// Bytes a `MarkupWriter` wrote (escaped by construction as well).
    fileprivate init(writtenBytes: [UInt8]) { bytes = writtenBytes }
}
