/// A name in the three interface languages.
public struct LocalizedName: Hashable, Sendable, Codable {
    public var kk: String
    public var ru: String
    public var en: String

    public init(kk: String, ru: String, en: String) {
        self.kk = kk
        self.ru = ru
        self.en = en
    }

    public subscript(language: Language) -> String {
        switch language {
        case .kk: kk
        case .ru: ru
        case .en: en
        }
    }
}

/// What a territory is, read from the classifier's own abbreviations.
public enum TerritoryKind: String, Sendable, Codable, CaseIterable {
    case oblast, republicanCity, cityAdministration, district, city, cityDistrict
    case ruralDistrict, settlementAdministration, settlement, village, other
}

/// One unit of the KATO tree, as plain data.
public struct Territory: Hashable, Sendable, Codable {
    public var code: KATOCode
    /// The nearest ancestor that exists in the classifier; `nil` for a region.
    public var parent: KATOCode?
    public var kind: TerritoryKind
    public var name: LocalizedName
    public var iso: String?
    public var population: Int?
    public var populationNote: String?

    public init(code: KATOCode, parent: KATOCode?, kind: TerritoryKind, name: LocalizedName,
                iso: String? = nil, population: Int? = nil, populationNote: String? = nil) {
        self.code = code
        self.parent = parent
        self.kind = kind
        self.name = name
        self.iso = iso
        self.population = population
        self.populationNote = populationNote
    }

    /// Depth in the tree: 1 for a region, 2 for its districts and city administrations, …
    public var level: KATOCode.Level { code.level }
}
