/// The three interface languages. Russian is the fallback when nothing else decides.
public enum Language: String, Sendable, CaseIterable, Codable {
    case kk, ru, en

    public static let fallback: Language = .ru

    /// Picks a language from an `Accept-Language` header, honouring quality values;
    /// `nil` when none of the three is acceptable.
    public static func negotiate(acceptLanguage header: String) -> Language? {
        var best: (language: Language, quality: Double, order: Int)?
        for (order, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingPrefixAndSuffixSpaces() }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary) else { continue }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            guard quality > 0 else { continue }
            if best == nil || quality > best!.quality {
                best = (language, quality, order)
            }
        }
        return best?.language
    }

    /// The language's own name, for the language switcher.
    public var nativeName: String {
        switch self {
        case .kk: "Қазақша"
        case .ru: "Русский"
        case .en: "English"
        }
    }
}

/// Interface strings in all three languages, loaded from one flat key-to-text file per
/// language. `text(_:_:)` never fails: a missing key shows the key itself, and the
/// completeness check in the tests keeps that from happening.
public struct StringCatalog: Sendable {
    private var tables: [Language: [String: String]]

    public init(tables: [Language: [String: String]]) {
        self.tables = tables
    }

    public func text(_ key: String, _ language: Language) -> String {
        tables[language]?[key] ?? tables[.fallback]?[key] ?? key
    }

    /// Replaces `{name}` placeholders with values.
    public func text(_ key: String, _ language: Language, _ values: [String: String]) -> String {
        var result = text(key, language)
        for (name, value) in values {
            result = result.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return result
    }

    public var allKeys: Set<String> {
        tables.values.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
    }

    /// Keys that some language has and another lacks (or leaves empty), per language.
    public func missingKeys() -> [Language: [String]] {
        let keys = allKeys
        var missing: [Language: [String]] = [:]
        for language in Language.allCases {
            let table = tables[language] ?? [:]
            let absent = keys.filter { (table[$0] ?? "").isEmpty }.sorted()
            if !absent.isEmpty { missing[language] = absent }
        }
        return missing
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}

extension Substring {
    func range(of target: String) -> Range<Substring.Index>? {
        guard let first = target.first else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index] == first, self[index...].hasPrefix(target) {
                return index..<self.index(index, offsetBy: target.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
