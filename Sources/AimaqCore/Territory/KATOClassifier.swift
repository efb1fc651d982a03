/// Builds the territory list from the classifier snapshot (`id;parent_id;code;name`, Russian
/// names), the table of the 20 regions (names in three languages, ISO code, population) and
/// an optional table of better names (`kato,name_kk,name_en`) and an optional table of
/// population for any territory (`kato,population[,population_note]`), which is laid over the
/// regions' figures and gives districts and rural districts theirs.
///
/// The snapshot has Russian names only. Below the regions, the English name is a
/// transliteration with the type of unit translated, and the Kazakh name keeps the Russian
/// proper noun with the type of unit in Kazakh, until the names table gives a real one.
public enum KATOClassifier {
    public struct ImportError: Error, Sendable, CustomStringConvertible, Equatable {
        public let file: String
        public let line: Int
        public let column: Int
        public let message: String
        public var description: String { "\(file): line \(line), column \(column): \(message)" }
    }

    public static func territories(
        classifier: String, regions: String, names: String? = nil, population: String? = nil
    ) throws(ImportError) -> [Territory] {
        let regionRows = try records(regions, file: "regions.csv", delimiter: ",",
                                     required: ["kato", "iso", "kind", "name_kk", "name_ru",
                                                "name_en", "population", "population_note"])
        var regionInfo: [KATOCode: CSVReader.Record] = [:]
        for row in regionRows {
            let code = try code(row["kato"], file: "regions.csv", row: row, column: "kato")
            guard code.level == .region else {
                throw ImportError(file: "regions.csv", line: row.line, column: row.column(of: "kato"),
                                  message: "\(code) is not a first-level code")
            }
            regionInfo[code] = row
        }

        var betterNames: [KATOCode: (kk: String, en: String)] = [:]
        if let names {
            for row in try records(names, file: "territory-names.csv", delimiter: ",",
                                   required: ["kato", "name_kk", "name_en"]) {
                let code = try code(row["kato"], file: "territory-names.csv", row: row, column: "kato")
                betterNames[code] = (row["name_kk"], row["name_en"])
            }
        }

        var populations: [KATOCode: (people: Int, note: String?, row: CSVReader.Record)] = [:]
        if let population {
            for row in try records(population, file: "population.csv", delimiter: ",", required: ["kato", "population"]) {
                let code = try code(row["kato"], file: "population.csv", row: row, column: "kato")
                guard let people = Int(row["population"].trimmingPrefixAndSuffixSpaces()), people > 0 else {
                    throw ImportError(file: "population.csv", line: row.line, column: row.column(of: "population"),
                                      message: "population must be a whole number above zero, got \"\(row["population"])\"")
                }
                guard populations[code] == nil else {
                    throw ImportError(file: "population.csv", line: row.line, column: row.column(of: "kato"),
                                      message: "the population of \(code) is given twice")
                }
                let note = row["population_note"].trimmingPrefixAndSuffixSpaces()
                populations[code] = (people, note.isEmpty ? nil : note, row)
            }
        }

        let rows = try records(classifier, file: "kato.csv", delimiter: ";", quoting: false,
                               required: ["id", "parent_id", "code", "name"])
        var codes = Set<KATOCode>()
        var parsed: [(KATOCode, String, CSVReader.Record)] = []
        parsed.reserveCapacity(rows.count)
        for row in rows {
            let code = try code(row["code"], file: "kato.csv", row: row, column: "code")
            guard codes.insert(code).inserted else {
                throw ImportError(file: "kato.csv", line: row.line, column: row.column(of: "code"),
                                  message: "the code \(code) appears twice")
            }
            parsed.append((code, row["name"].trimmingPrefixAndSuffixSpaces(), row))
        }
        for code in regionInfo.keys where !codes.contains(code) {
            throw ImportError(file: "regions.csv", line: 1, column: 1,
                              message: "region \(code) is missing from the classifier")
        }

        for (code, entry) in populations where !codes.contains(code) {
            throw ImportError(file: "population.csv", line: entry.row.line, column: entry.row.column(of: "kato"),
                              message: "\(code) is not in the classifier")
        }

        var territories: [Territory] = []
        territories.reserveCapacity(parsed.count)
        for (code, russian, row) in parsed {
            if code.level == .region {
                guard let info = regionInfo[code] else {
                    throw ImportError(file: "kato.csv", line: row.line, column: row.column(of: "code"),
                                      message: "region \(code) is not in regions.csv")
                }
                let population = Int(info["population"])
                territories.append(Territory(
                    code: code, parent: nil,
                    kind: info["kind"] == "city" ? .republicanCity : .oblast,
                    name: LocalizedName(kk: info["name_kk"], ru: info["name_ru"], en: info["name_en"]),
                    iso: info["iso"], population: population,
                    populationNote: info["population_note"].isEmpty ? nil : info["population_note"]))
                continue
            }
            let parent = code.nominalAncestors.first { codes.contains($0) }
            let kind = TerritoryNaming.kind(russian: russian, code: code)
            var name = TerritoryNaming.names(russian: russian, kind: kind)
            if let better = betterNames[code] {
                if !better.kk.isEmpty { name.kk = better.kk }
                if !better.en.isEmpty { name.en = better.en }
            }
            territories.append(Territory(code: code, parent: parent, kind: kind, name: name))
        }
        for index in territories.indices {
            guard let given = populations[territories[index].code] else { continue }
            territories[index].population = given.people
            territories[index].populationNote = given.note
        }
        return territories
    }

    private static func records(_ text: String, file: String, delimiter: Character, quoting: Bool = true,
                                required: [String]) throws(ImportError) -> [CSVReader.Record] {
        do {
            return try CSVReader(delimiter: delimiter, quoting: quoting).records(text, required: required)
        } catch {
            throw ImportError(file: file, line: error.line, column: error.column, message: error.message)
        }
    }

    private static func code(_ text: String, file: String, row: CSVReader.Record,
                             column: String) throws(ImportError) -> KATOCode {
        do {
            return try KATOCode(text)
        } catch {
            throw ImportError(file: file, line: row.line, column: row.column(of: column),
                              message: error.description)
        }
    }
}

/// Reads the kind of a unit from the classifier's Russian abbreviations and derives
/// Kazakh and English names from it.
public enum TerritoryNaming {
    private static let bigCities: Set<Int> = [71, 75, 79]

    public static func kind(russian name: String, code: KATOCode) -> TerritoryKind {
        if name.hasSuffix(" Г.А.") { return .cityAdministration }
        if name.hasSuffix(" район") || name.hasPrefix("район ") {
            return code.level == .district && bigCities.contains(code.regionNumber)
                ? .cityDistrict : .district
        }
        if name.hasSuffix(" с.о.") { return .ruralDistrict }
        if name.hasSuffix(" п.а.") || name.hasSuffix(" г.а.") { return .settlementAdministration }
        if name.hasPrefix("г.") { return .city }
        if name.hasPrefix("п.") { return .settlement }
        if name.hasPrefix("с.") { return .village }
        return .other
    }

    public static func names(russian: String, kind: TerritoryKind) -> LocalizedName {
        func stripped(prefix: String) -> String {
            String(russian.dropFirst(prefix.count)).trimmingPrefixAndSuffixSpaces()
        }
        func strippedSuffix(_ suffix: String) -> String {
            String(russian.dropLast(suffix.count)).trimmingPrefixAndSuffixSpaces()
        }
        switch kind {
        case .cityAdministration:
            let base = strippedSuffix(" Г.А.")
            return LocalizedName(kk: "\(base) қаласының әкімшілігі", ru: russian,
                                 en: "\(latin(base)) City Administration")
        case .district, .cityDistrict:
            let base = russian.hasPrefix("район ") ? stripped(prefix: "район ") : strippedSuffix(" район")
            return LocalizedName(kk: "\(base) ауданы", ru: russian, en: "\(latin(base)) District")
        case .ruralDistrict:
            let base = strippedSuffix(" с.о.")
            return LocalizedName(kk: "\(base) ауылдық округі", ru: russian,
                                 en: "\(latin(base)) Rural District")
        case .settlementAdministration:
            let base = strippedSuffix(" п.а.").replacingSuffix(" г.а.")
            return LocalizedName(kk: "\(base) әкімшілігі", ru: russian,
                                 en: "\(latin(base)) Administration")
        case .city:
            let base = stripped(prefix: "г.")
            return LocalizedName(kk: "\(base) қаласы", ru: russian, en: latin(base))
        case .settlement:
            let base = stripped(prefix: "п.")
            return LocalizedName(kk: "\(base) кенті", ru: russian, en: "\(latin(base)) (settlement)")
        case .village:
            let base = stripped(prefix: "с.")
            return LocalizedName(kk: "\(base) ауылы", ru: russian, en: latin(base))
        case .oblast, .republicanCity, .other:
            return LocalizedName(kk: russian, ru: russian, en: latin(russian))
        }
    }

    private static let table: [Character: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
        "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
        "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
        "һ": "h", "і": "i",
    ]

    /// A plain Russian/Kazakh Cyrillic to Latin transliteration for English names.
    public static func latin(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            let lower = Character(character.lowercased())
            guard let mapped = table[lower] else {
                result.append(character)
                continue
            }
            if character != lower, let first = mapped.first {
                result += first.uppercased() + mapped.dropFirst()
            } else {
                result += mapped
            }
        }
        return result
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
