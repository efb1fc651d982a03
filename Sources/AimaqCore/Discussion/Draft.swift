import Foundation

/// A draft put to discussion: a document of sections and articles with stable anchors,
/// read from plain text or Markdown, compared version with version down to the word.

/// One article of a draft: its anchor (stable across versions while its number is), the
/// section it stands in, its heading and its paragraphs.
public struct DraftArticle: Sendable, Equatable, Codable {
    public var anchor: String
    public var section: String?
    public var heading: String
    public var paragraphs: [String]

    public init(anchor: String, section: String?, heading: String, paragraphs: [String]) {
        self.anchor = anchor
        self.section = section
        self.heading = heading
        self.paragraphs = paragraphs
    }

    /// The wording compared between versions (heading and paragraphs).
    public var text: String { ([heading] + paragraphs).joined(separator: "\n") }

    /// The anchor of paragraph `index` (from 1): `art-5.2`.
    public func paragraphAnchor(_ index: Int) -> String { "\(anchor).\(index)" }
}

/// A section heading and its anchor (`sec-2`).
public struct DraftSection: Sendable, Equatable, Codable {
    public var anchor: String
    public var heading: String
}

/// A whole version of a draft.
public struct DraftDocument: Sendable, Equatable, Codable {
    public var title: String?
    public var preamble: [String]
    public var sections: [DraftSection]
    public var articles: [DraftArticle]

    public func article(_ anchor: String) -> DraftArticle? { articles.first { $0.anchor == anchor } }

    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case noArticles
        case duplicateAnchor(String, line: Int)
        case emptyArticle(String, line: Int)

        public var description: String {
            switch self {
            case .noArticles:
                "no article headings found: an article starts with a Markdown heading (## Article 1) or a line such as \"Article 1.\", \"Статья 1.\" or \"1-бап.\""
            case .duplicateAnchor(let anchor, let line): "line \(line): a second article numbered as \(anchor)"
            case .emptyArticle(let anchor, let line): "line \(line): article \(anchor) has no text"
            }
        }
    }

    /// Reads a plain-text or Markdown draft. Markdown headings: `#` is the title, `##` a
    /// section when articles follow under `###`, otherwise an article. In plain text a line
    /// that starts with an article's name and number ("Article 5", "Статья 5", "5-бап") is
    /// an article's heading, and "Section I", "Раздел 1", "1-бөлім" a section's. Blank lines
    /// separate paragraphs. An article's anchor comes from its number (`art-5`, `art-5-1`
    /// for 5-1), or from its heading when it has none.
    public static func parse(_ text: String) throws(ParseError) -> DraftDocument {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0) }
        let markdownLevels = Set(lines.compactMap { Heading.markdownLevel($0) })
        // With `###` articles, `##` headings are sections; otherwise `##` are articles.
        let articleLevel = markdownLevels.contains(3) ? 3 : 2
        var document = DraftDocument(title: nil, preamble: [], sections: [], articles: [])
        var anchors: Set<String> = []
        var current: (article: DraftArticle, line: Int)?
        var paragraph: [String] = []
        var section: String?

        func endParagraph() {
            let joined = paragraph.joined(separator: " ").trimmingCharacters(in: .whitespaces)
            paragraph = []
            guard !joined.isEmpty else { return }
            if current != nil { current?.article.paragraphs.append(joined) } else { document.preamble.append(joined) }
        }
        func endArticle() throws(ParseError) {
            endParagraph()
            guard let finished = current else { return }
            if finished.article.paragraphs.isEmpty && Heading.isBareNumber(finished.article.heading) {
                throw .emptyArticle(finished.article.anchor, line: finished.line)
            }
            document.articles.append(finished.article)
            current = nil
        }

        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            switch Heading.classify(line, articleLevel: articleLevel) {
            case .title(let title):
                try endArticle()
                document.title = title
            case .section(let heading):
                try endArticle()
                let anchor = unique("sec-" + (Heading.number(in: heading) ?? slug(heading)), among: document.sections.map(\.anchor))
                document.sections.append(DraftSection(anchor: anchor, heading: heading))
                section = anchor
            case .article(let heading):
                try endArticle()
                let anchor = "art-" + (Heading.number(in: heading) ?? slug(heading))
                guard anchors.insert(anchor).inserted else { throw .duplicateAnchor(anchor, line: number) }
                current = (DraftArticle(anchor: anchor, section: section, heading: heading, paragraphs: []), number)
            case .blank:
                endParagraph()
            case .text(let text):
                paragraph.append(text)
            }
        }
        try endArticle()
        guard !document.articles.isEmpty else { throw .noArticles }
        return document
    }

    private static func unique(_ anchor: String, among taken: [String]) -> String {
        guard taken.contains(anchor) else { return anchor }
        var n = 2
        while taken.contains("\(anchor)-\(n)") { n += 1 }
        return "\(anchor)-\(n)"
    }

    /// Letters and digits of any script, lowercased, joined by hyphens.
    static func slug(_ text: String) -> String {
        var words: [String] = []
        var word = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                word.append(character)
            } else if !word.isEmpty {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words.prefix(8).joined(separator: "-")
    }
}

/// Recognising headings.
enum Heading {
    enum Kind: Equatable {
        case title(String), section(String), article(String), blank, text(String)
    }

    static func markdownLevel(_ line: String) -> Int? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let hashes = trimmed.prefix { $0 == "#" }.count
        guard hashes > 0, hashes <= 6, trimmed.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    static func classify(_ line: String, articleLevel: Int) -> Kind {
        if line.isEmpty { return .blank }
        if let level = markdownLevel(line) {
            let text = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            if level == 1 { return .title(text) }
            if level < articleLevel { return .section(text) }
            return .article(text)
        }
        if isArticleLine(line) { return .article(line) }
        if isSectionLine(line) { return .section(line) }
        return .text(line)
    }

    private static let articleWords = ["article", "статья", "бап"]
    private static let sectionWords = ["section", "chapter", "раздел", "глава", "бөлім", "тарау"]

    static func isArticleLine(_ line: String) -> Bool { startsWithNumbered(line, words: articleWords) }
    static func isSectionLine(_ line: String) -> Bool { startsWithNumbered(line, words: sectionWords) }

    /// "Article 5", "Статья 5.", "5-бап", "5 бап" (the Kazakh order: number first).
    private static func startsWithNumbered(_ line: String, words: [String]) -> Bool {
        let lower = line.lowercased()
        let tokens = lower.split { $0 == " " || $0 == "." || $0 == "-" }.prefix(2).map(String.init)
        guard tokens.count == 2 else { return false }
        if words.contains(tokens[0]), isNumberToken(tokens[1]) { return true }
        if isNumberToken(tokens[0]), words.contains(tokens[1]) { return true }
        return false
    }

    private static func isNumberToken(_ token: String) -> Bool {
        !token.isEmpty && (token.allSatisfy(\.isNumber) || token.allSatisfy { "ivxlc".contains($0) })
    }

    /// The number of a heading ("Article 5-1. Rights" → "5-1"; "Раздел II" → "ii"), or nil.
    static func number(in heading: String) -> String? {
        let tokens = heading.lowercased().split { $0 == " " || $0 == "." }.map(String.init)
        for token in tokens.prefix(3) {
            let cleaned = token.trimmingCharacters(in: CharacterSet(charactersIn: ":,"))
            let parts = cleaned.split(separator: "-").map(String.init)
            let numeric = parts.prefix { $0.allSatisfy(\.isNumber) && !$0.isEmpty }
            if !numeric.isEmpty { return numeric.joined(separator: "-") }
            if cleaned.count <= 6, !cleaned.isEmpty, cleaned.allSatisfy({ "ivxlc".contains($0) }) { return cleaned }
        }
        return nil
    }

    /// A heading that is only a name and a number ("Article 5."), with no title of its own.
    static func isBareNumber(_ heading: String) -> Bool {
        heading.split { $0 == " " || $0 == "." }.count <= 2
    }
}

/// What a new version did to each article.
public struct DraftComparison: Sendable, Equatable {
    public enum Change: String, Sendable, Equatable { case unchanged, changed, added, removed }

    public struct Entry: Sendable, Equatable {
        public var anchor: String
        public var change: Change
        public var before: DraftArticle?
        public var after: DraftArticle?
    }

    /// In the new version's order, with removed articles after the one they followed.
    public var entries: [Entry]

    public init(from old: DraftDocument, to new: DraftDocument) {
        let oldByAnchor = Dictionary(old.articles.map { ($0.anchor, $0) }, uniquingKeysWith: { first, _ in first })
        let newAnchors = Set(new.articles.map(\.anchor))
        var entries: [Entry] = []
        for article in new.articles {
            if let before = oldByAnchor[article.anchor] {
                entries.append(Entry(anchor: article.anchor, change: before.text == article.text ? .unchanged : .changed,
                                     before: before, after: article))
            } else {
                entries.append(Entry(anchor: article.anchor, change: .added, before: nil, after: article))
            }
        }
        // A removed article goes after the nearest article before it that still exists.
        var previous: String?
        for article in old.articles {
            if newAnchors.contains(article.anchor) {
                previous = article.anchor
                continue
            }
            let removed = Entry(anchor: article.anchor, change: .removed, before: article, after: nil)
            let position = previous.flatMap { anchor in entries.lastIndex { $0.anchor == anchor } }.map { $0 + 1 } ?? 0
            entries.insert(removed, at: position)
            previous = article.anchor
        }
        self.entries = entries
    }

    /// The anchors a version changes (changed, added or removed).
    public var changedAnchors: [String] { entries.filter { $0.change != .unchanged }.map(\.anchor) }
}

/// A word-level difference between two wordings: runs of words kept, removed and added.
public struct WordDiff: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case same, removed, added }

    public struct Run: Sendable, Equatable {
        public var kind: Kind
        public var text: String

        public init(kind: Kind, text: String) {
            self.kind = kind
            self.text = text
        }
    }

    public var runs: [Run]

    /// Longer texts than this many words on either side are shown as replaced whole (the
    /// table of the comparison grows with the product of the two lengths).
    public static let wordLimit = 4_000

    public init(from old: String, to new: String) {
        let a = Self.tokens(old), b = Self.tokens(new)
        guard a.count <= Self.wordLimit, b.count <= Self.wordLimit else {
            runs = [Run(kind: .removed, text: old), Run(kind: .added, text: new)].filter { !$0.text.isEmpty }
            return
        }
        // Common prefix and suffix first: most amendments change a few words.
        var start = 0
        while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
        var endA = a.count, endB = b.count
        while endA > start, endB > start, a[endA - 1] == b[endB - 1] { endA -= 1; endB -= 1 }
        let middleA = Array(a[start..<endA]), middleB = Array(b[start..<endB])
        // Longest common subsequence of the middle, by dynamic programming from the end.
        let rows = middleA.count, columns = middleB.count
        var table = [Int](repeating: 0, count: (rows + 1) * (columns + 1))
        if rows > 0 && columns > 0 {
            for i in stride(from: rows - 1, through: 0, by: -1) {
                for j in stride(from: columns - 1, through: 0, by: -1) {
                    table[i * (columns + 1) + j] = middleA[i] == middleB[j]
                        ? table[(i + 1) * (columns + 1) + j + 1] + 1
                        : max(table[(i + 1) * (columns + 1) + j], table[i * (columns + 1) + j + 1])
                }
            }
        }
        var pieces: [(Kind, String)] = a[0..<start].map { (.same, $0) }
        var i = 0, j = 0
        while i < rows || j < columns {
            if i < rows, j < columns, middleA[i] == middleB[j] {
                pieces.append((.same, middleA[i])); i += 1; j += 1
            } else if i < rows, j == columns || table[(i + 1) * (columns + 1) + j] >= table[i * (columns + 1) + j + 1] {
                // At a tie what goes is shown before what comes.
                pieces.append((.removed, middleA[i])); i += 1
            } else {
                pieces.append((.added, middleB[j])); j += 1
            }
        }
        pieces += a[endA...].map { (.same, $0) }
        // A space between two changed words belongs to the change, and within a change what
        // goes comes before what comes: "<del>two chambers</del><ins>one chamber</ins>",
        // not word by word.
        var spaced: [(Kind, String)] = []
        for (index, piece) in pieces.enumerated() {
            if piece.0 == .same, index > 0, index < pieces.count - 1, piece.1.allSatisfy(\.isWhitespace),
               pieces[index - 1].0 != .same, pieces[index + 1].0 != .same {
                spaced += [(.removed, piece.1), (.added, piece.1)]
            } else {
                spaced.append(piece)
            }
        }
        var ordered: [(Kind, String)] = []
        var block: [(Kind, String)] = []
        for piece in spaced + [(.same, "")] {
            if piece.0 == .same {
                ordered += block.filter { $0.0 == .removed } + block.filter { $0.0 == .added }
                block = []
                if !piece.1.isEmpty { ordered.append(piece) }
            } else {
                block.append(piece)
            }
        }
        pieces = ordered
        var runs: [Run] = []
        for (kind, text) in pieces {
            if let last = runs.last, last.kind == kind {
                runs[runs.count - 1].text += text
            } else {
                runs.append(Run(kind: kind, text: text))
            }
        }
        self.runs = runs
    }

    /// Words, runs of spaces and single marks of punctuation, so that a changed comma is
    /// marked as a comma and a word matches whatever space follows it.
    static func tokens(_ text: String) -> [String] {
        enum Class { case word, space, mark }
        func kind(_ character: Character) -> Class {
            character.isLetter || character.isNumber ? .word : character.isWhitespace ? .space : .mark
        }
        var tokens: [String] = []
        var current = ""
        var currentKind = Class.mark
        for character in text {
            let k = kind(character)
            if !current.isEmpty, k != currentKind || k == .mark {
                tokens.append(current)
                current = ""
            }
            current.append(character)
            currentKind = k
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    /// The old wording rebuilt (same and removed runs), and the new (same and added).
    public var old: String { runs.filter { $0.kind != .added }.map(\.text).joined() }
    public var new: String { runs.filter { $0.kind != .removed }.map(\.text).joined() }
}
