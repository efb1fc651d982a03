/// The whole territory tree, held in memory: lookups by code, children, ancestors and
/// subtree counts answer without touching the database.
public struct TerritoryTree: Sendable {
    public private(set) var byCode: [KATOCode: Territory] = [:]
    private var childCodes: [KATOCode: [KATOCode]] = [:]
    /// The 20 first-level units, ordered by code.
    public private(set) var regions: [Territory] = []
    /// Number of units of each level below each code (the unit itself excluded).
    private var descendantCounts: [KATOCode: [KATOCode.Level: Int]] = [:]
    /// Each unit's existing ancestors, nearest first (a look-up that copies no names).
    private var ancestorCodes: [KATOCode: [KATOCode]] = [:]

    public init(_ territories: [Territory]) {
        for territory in territories { byCode[territory.code] = territory }
        for territory in territories {
            guard let parent = territory.parent, byCode[parent] != nil else { continue }
            childCodes[parent, default: []].append(territory.code)
        }
        for key in childCodes.keys { childCodes[key]!.sort() }
        regions = territories.filter { $0.parent == nil }.sorted { $0.code < $1.code }
        for territory in territories {
            var current = territory.parent
            var chain: [KATOCode] = []
            while let code = current, let ancestor = byCode[code] {
                descendantCounts[code, default: [:]][territory.level, default: 0] += 1
                chain.append(code)
                current = ancestor.parent
            }
            ancestorCodes[territory.code] = chain
        }
    }

    /// Whether the tree holds `code`.
    public func contains(_ code: KATOCode) -> Bool { ancestorCodes[code] != nil }

    /// The codes of the existing units above `code`, nearest first (empty for a region or a
    /// code the tree does not hold).
    public func ancestorCodes(of code: KATOCode) -> [KATOCode] { ancestorCodes[code] ?? [] }

    public var count: Int { byCode.count }
    public var isEmpty: Bool { byCode.isEmpty }

    public subscript(code: KATOCode) -> Territory? { byCode[code] }

    public func children(of code: KATOCode) -> [Territory] {
        (childCodes[code] ?? []).compactMap { byCode[$0] }
    }

    public func childCount(of code: KATOCode) -> Int { childCodes[code]?.count ?? 0 }

    /// From the region down to the parent of `code` (the unit itself excluded).
    public func ancestors(of code: KATOCode) -> [Territory] {
        var chain: [Territory] = []
        var current = byCode[code]?.parent
        while let parentCode = current, let parent = byCode[parentCode] {
            chain.append(parent)
            current = parent.parent
        }
        return chain.reversed()
    }

    /// How many units of each level lie below `code`.
    public func descendantCounts(of code: KATOCode) -> [KATOCode.Level: Int] {
        descendantCounts[code] ?? [:]
    }

    /// The nearest existing ancestor of a code that is not (yet) in the tree.
    public func nearestExistingAncestor(of code: KATOCode) -> KATOCode? {
        code.nominalAncestors.first { byCode[$0] != nil }
    }

    /// Sum of the populations of the regions (the national figure).
    public var nationalPopulation: Int { regions.reduce(0) { $0 + ($1.population ?? 0) } }
}
