/// Hides personal data in a text before it is published: e-mail addresses, runs of digits long
/// enough to be a phone number or an IIN, and the words of the author's own name.
public enum PersonalData {
    public static let mask = "***"

    public static func masked(_ text: String, names: [String] = []) -> String {
        let hidden = Set(names.flatMap { $0.lowercased().split(whereSeparator: { !$0.isLetter }) }.filter { $0.count >= 2 }.map(String.init))
        var output = ""
        var token = ""
        func flush() {
            defer { token = "" }
            // A full stop after an address or a number ends the sentence: it stays.
            var suffix = ""
            while let last = token.last, ".-".contains(last) { suffix = String(last) + suffix; token.removeLast() }
            guard !token.isEmpty else { output += suffix; return }
            output += (isPersonal(token, hidden: hidden) ? mask : token) + suffix
        }
        for character in text {
            if character.isWhitespace || (character.isPunctuation && !"@.-+_()".contains(character)) {
                flush()
                output.append(character)
            } else {
                token.append(character)
            }
        }
        flush()
        return collapse(output)
    }

    static func isPersonal(_ token: String, hidden: Set<String>) -> Bool {
        if token.contains("@"), token.contains(".") { return true }
        if token.filter(\.isNumber).count >= 5 { return true }
        let word = token.lowercased().filter(\.isLetter)
        return !word.isEmpty && hidden.contains(word)
    }

    /// A phone number written in groups ("+7 701 123 45 67") is a run of short numbers: a run
    /// of seven digits or more, or one next to a mask, becomes one mask.
    static func collapse(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        func isNumeric(_ word: String) -> Bool {
            let bare = word.hasSuffix(",") || word.hasSuffix(".") || word.hasSuffix(";") ? String(word.dropLast()) : word
            return bare == mask || (bare.contains(where: \.isNumber) && bare.allSatisfy { $0.isNumber || "+-()".contains($0) })
        }
        var output: [String] = []
        var index = 0
        while index < words.count {
            guard isNumeric(words[index]) else {
                output.append(words[index])
                index += 1
                continue
            }
            var end = index
            while end + 1 < words.count, words[end].last.map({ ",.;".contains($0) }) != true, isNumeric(words[end + 1]) { end += 1 }
            let run = words[index...end]
            let digits = run.reduce(0) { $0 + $1.filter(\.isNumber).count }
            if run.count > 1, digits >= 7 || run.contains(where: { $0.hasPrefix(mask) }) {
                // The run's last word keeps its punctuation ("…45 67," ends a clause).
                let last = words[end]
                output.append(mask + (last.last.map { ",.;".contains($0) } == true ? String(last.last!) : ""))
            } else {
                output.append(contentsOf: run)
            }
            index = end + 1
        }
        return output.joined(separator: " ")
    }
}
