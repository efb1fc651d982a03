import Foundation

/// Groups texts that say the same thing, in Kazakh, Russian or English, with no outside
/// service: words are cut to short stems (so that "вода", "воды" and "водой" meet), weighted
/// by how rare they are among the texts compared (TF-IDF), and compared by cosine. Groups grow
/// around their first text (leader clustering) over the centroid of their members, so a new
/// text is placed by comparing it with each group once.
public enum SimilarAppeals {
    /// Cosine at or above which a text joins a group.
    public static let threshold = 0.5

    /// Words that carry no topic in the three languages.
    static let stopwords: Set<String> = [
        // Russian
        "и", "в", "во", "на", "не", "что", "с", "со", "по", "к", "ко", "у", "из", "за", "от", "до", "о", "об", "для", "это",
        "как", "так", "уже", "еще", "ещё", "мы", "нас", "нам", "наш", "наша", "наши", "нашего", "нашей", "нашем", "я", "мне",
        "меня", "мой", "моя", "они", "их", "он", "она", "его", "ее", "её", "был", "была", "были", "есть", "нет", "просим",
        "прошу", "пожалуйста", "очень", "все", "всё", "при", "или", "но", "а", "же", "бы", "ли", "только", "также", "когда",
        "который", "которая", "которые", "этот", "эта", "эти", "этого", "этой",
        // Kazakh
        "және", "мен", "бен", "пен", "да", "де", "та", "те", "бұл", "біз", "біздің", "бізге", "мен", "менің", "маған",
        "олар", "оның", "жоқ", "бар", "үшін", "туралы", "сияқты", "өтінемін", "сұраймыз", "сұраймын", "әлі", "тағы",
        "қазір", "ешқандай", "осы", "сол", "еді", "болды", "болып", "керек", "көп", "өте",
        // English
        "the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "from", "with", "by", "is", "are", "was", "were",
        "be", "been", "it", "its", "this", "that", "these", "those", "we", "our", "us", "i", "my", "me", "they", "their",
        "there", "no", "not", "has", "have", "had", "please", "still", "already", "very", "all", "since", "for", "who",
    ]

    static let vowels: Set<Character> = Set("аеёиоуыэюяіүұөәaeiouy")

    /// The stems of a text: letters only, lower case, stopwords dropped, each word cut to four
    /// letters and then stripped of trailing vowels (kept at three letters at least).
    public static func stems(_ text: String) -> [String] {
        var stems: [String] = []
        var word = ""
        func flush() {
            defer { word = "" }
            guard word.count >= 3, !stopwords.contains(word) else { return }
            var stem = Array(word.prefix(4))
            while stem.count > 3, let last = stem.last, vowels.contains(last) { stem.removeLast() }
            stems.append(String(stem))
        }
        for character in text.lowercased() {
            if character.isLetter {
                word.append(character == "ё" ? "е" : character)
            } else {
                flush()
            }
        }
        flush()
        return stems
    }

    /// A sparse vector of weights by stem.
    public typealias Vector = [String: Double]

    /// Document frequencies of stems over the texts compared.
    public struct Vocabulary: Sendable {
        public private(set) var documents = 0
        var frequency: [String: Int] = [:]

        public init() {}

        public mutating func add(_ stems: [String]) {
            documents += 1
            for stem in Set(stems) { frequency[stem, default: 0] += 1 }
        }

        /// A unit TF-IDF vector (smoothed IDF, so that a stem every text has still counts a little).
        public func vector(_ stems: [String]) -> Vector {
            var counts: [String: Int] = [:]
            for stem in stems { counts[stem, default: 0] += 1 }
            var vector = Vector()
            var norm = 0.0
            for (stem, count) in counts {
                let idf = log(Double(documents + 1) / Double((frequency[stem] ?? 0) + 1)) + 1
                let weight = Double(count) * idf
                vector[stem] = weight
                norm += weight * weight
            }
            guard norm > 0 else { return [:] }
            let scale = 1 / norm.squareRoot()
            return vector.mapValues { $0 * scale }
        }
    }

    /// A group being grown: its founder (the group's id) and the sum of its members' vectors.
    struct Centroid {
        var id: Int
        var sum: Vector = [:]
        var norm2 = 0.0

        mutating func add(_ vector: Vector) {
            for (stem, weight) in vector {
                let old = sum[stem] ?? 0
                let new = old + weight
                norm2 += new * new - old * old
                sum[stem] = new
            }
        }

        func cosine(_ vector: Vector) -> Double {
            guard norm2 > 0 else { return 0 }
            var dot = 0.0
            for (stem, weight) in vector { dot += weight * (sum[stem] ?? 0) }
            return dot / norm2.squareRoot()
        }
    }

    /// One text to group: its id (ascending ids are taken in order) and its text.
    public struct Text: Sendable {
        public var id: Int
        public var text: String
        public init(id: Int, text: String) {
            self.id = id
            self.text = text
        }
    }

    /// Groups texts of one bucket (one district and topic): the group of each id, named by the
    /// id of the group's first text.
    public static func group(_ texts: [Text], threshold: Double = threshold) -> [Int: Int] {
        let ordered = texts.sorted { $0.id < $1.id }
        let stems = ordered.map { Self.stems($0.text) }
        var vocabulary = Vocabulary()
        for text in stems { vocabulary.add(text) }
        var centroids: [Centroid] = []
        var groups: [Int: Int] = [:]
        for (index, text) in ordered.enumerated() {
            let vector = vocabulary.vector(stems[index])
            var best: (index: Int, cosine: Double)?
            for (candidate, centroid) in centroids.enumerated() {
                let cosine = centroid.cosine(vector)
                if cosine >= threshold, cosine > (best?.cosine ?? 0) { best = (candidate, cosine) }
            }
            if let best {
                centroids[best.index].add(vector)
                groups[text.id] = centroids[best.index].id
            } else {
                var centroid = Centroid(id: text.id)
                centroid.add(vector)
                centroids.append(centroid)
                groups[text.id] = text.id
            }
        }
        return groups
    }

    /// A grouped text already stored.
    public struct Member: Sendable {
        public var id: Int
        public var group: Int
        public var text: String
        public init(id: Int, group: Int, text: String) {
            self.id = id
            self.group = group
            self.text = text
        }
    }

    /// The group a new text joins among the stored members of its bucket, or nil when it
    /// starts a group of its own.
    public static func place(_ text: String, among members: [Member], threshold: Double = threshold) -> Int? {
        place(stems: stems(text), among: members.map { (group: $0.group, stems: stems($0.text)) }, threshold: threshold)
    }

    /// The same, from stems already cut (a server keeps the stems of stored texts, which never
    /// change, instead of cutting them again for every new appeal of the bucket).
    public static func place(stems newStems: [String], among members: [(group: Int, stems: [String])],
                             threshold: Double = threshold) -> Int? {
        var terms = Terms()
        let kept = members.map { (group: $0.group, terms: terms.ids($0.stems)) }
        return place(terms: terms.ids(newStems), among: kept, termCount: terms.count, threshold: threshold)
    }

    /// The rule read plainly, with the dictionaries of `Vocabulary`: each group's centroid is
    /// the sum of its members' unit TF-IDF vectors; the text joins the group of the highest
    /// cosine at or above `threshold`, the older group on a tie. Kept as the reference that the
    /// tests and `aimaq bench appeals` hold `place(terms:…)` to.
    public static func placeByVocabulary(stems newStems: [String], among members: [(group: Int, stems: [String])],
                                         threshold: Double = threshold) -> Int? {
        var vocabulary = Vocabulary()
        for member in members { vocabulary.add(member.stems) }
        vocabulary.add(newStems)
        var sums: [Int: Vector] = [:]
        for member in members { sums[member.group, default: [:]].merge(vocabulary.vector(member.stems), uniquingKeysWith: +) }
        let vector = vocabulary.vector(newStems)
        var best: (group: Int, cosine: Double)?
        for (group, sum) in sums.sorted(by: { $0.key < $1.key }) {
            let norm = sum.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            let cosine = vector.reduce(0) { $0 + $1.value * (sum[$1.key] ?? 0) } / norm
            if cosine >= threshold, cosine > (best?.cosine ?? 0) + 1e-12 { best = (group, cosine) }
        }
        return best?.group
    }

    /// Stems as small whole numbers, each stem always the same number (`Terms`).
    public struct Terms: Sendable {
        private var numbers: [String: Int32] = [:]

        public init() {}

        public var count: Int { numbers.count }

        public mutating func ids(_ stems: [String]) -> [Int32] {
            stems.map { stem in
                if let known = numbers[stem] { return known }
                let next = Int32(numbers.count)
                numbers[stem] = next
                return next
            }
        }
    }

    /// The same, from stems numbered below `termCount` (`Terms`). The arithmetic is that of
    /// `Vocabulary` and `Centroid` on arrays instead of dictionaries keyed by text: a bucket of
    /// thousands of appeals (a year of one district's complaints about water) is placed in
    /// milliseconds, not tens of them.
    public static func place(terms newTerms: [Int32], among members: [(group: Int, terms: [Int32])], termCount: Int,
                             threshold: Double = threshold) -> Int? {
        guard !members.isEmpty else { return nil }
        // Document frequencies, each text counting a stem once (`mark` says which text last counted it).
        var frequency = [Int32](repeating: 0, count: termCount)
        var mark = [Int32](repeating: -1, count: termCount)
        func count(_ terms: [Int32], as text: Int32) {
            for term in terms where mark[Int(term)] != text {
                mark[Int(term)] = text
                frequency[Int(term)] += 1
            }
        }
        for (index, member) in members.enumerated() { count(member.terms, as: Int32(index)) }
        count(newTerms, as: Int32(members.count))
        let documents = Double(members.count + 1)
        var idf = [Double](repeating: 0, count: termCount)
        for term in 0..<termCount where frequency[term] > 0 { idf[term] = log((documents + 1) / Double(frequency[term] + 1)) + 1 }

        // A text's unit TF-IDF vector, as (stem, weight) pairs; `weights` is left all zeros again.
        var weights = [Double](repeating: 0, count: termCount)
        var touched: [Int32] = []
        func unitVector(_ terms: [Int32]) -> [(term: Int32, weight: Double)] {
            for term in terms {
                if weights[Int(term)] == 0 { touched.append(term) }
                weights[Int(term)] += idf[Int(term)]
            }
            var norm = 0.0
            for term in touched { norm += weights[Int(term)] * weights[Int(term)] }
            defer {
                for term in touched { weights[Int(term)] = 0 }
                touched.removeAll(keepingCapacity: true)
            }
            guard norm > 0 else { return [] }
            let scale = 1 / norm.squareRoot()
            return touched.map { ($0, weights[Int($0)] * scale) }
        }
        let vector = unitVector(newTerms)

        // Each group's centroid: the sum of its members' vectors, built one group at a time.
        let order = members.indices.sorted { (members[$0].group, $0) < (members[$1].group, $1) }
        var sum = [Double](repeating: 0, count: termCount)
        var inGroup: [Int32] = []
        var best: (group: Int, cosine: Double)?
        var start = 0
        while start < order.count {
            let group = members[order[start]].group
            var end = start
            while end < order.count, members[order[end]].group == group {
                for (term, weight) in unitVector(members[order[end]].terms) {
                    if sum[Int(term)] == 0 { inGroup.append(term) }
                    sum[Int(term)] += weight
                }
                end += 1
            }
            var norm2 = 0.0
            for term in inGroup { norm2 += sum[Int(term)] * sum[Int(term)] }
            if norm2 > 0 {
                var dot = 0.0
                for (term, weight) in vector { dot += weight * sum[Int(term)] }
                let cosine = dot / norm2.squareRoot()
                // Groups come in ascending order: of two as close as rounding, the older wins.
                if cosine >= threshold, cosine > (best?.cosine ?? 0) + 1e-12 { best = (group, cosine) }
            }
            for term in inGroup { sum[Int(term)] = 0 }
            inGroup.removeAll(keepingCapacity: true)
            start = end
        }
        return best?.group
    }
}
