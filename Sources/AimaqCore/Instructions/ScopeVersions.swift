/// Version numbers of what pages show, so that a cached page is kept exactly as long as what
/// it shows is unchanged: a change of an assignment raises the number of its instruction, of
/// its territory and of every territory above it (a page of a territory shows its subtree),
/// and the number of the whole register. A report in Shieli leaves the pages of Almaty alone.
public struct ScopeVersions: Sendable, Equatable {
    private var territories: [Int: Int] = [:]
    private var instructions: [Int: Int] = [:]
    private var assignments: [Int: Int] = [:]
    /// Where every number starts: above every number handed out before a full reload, so
    /// that no page kept before it can match after it.
    public let base: Int
    /// Raised by every change: for pages that show the whole register.
    public private(set) var all: Int

    public init(base: Int = 0) {
        self.base = base
        all = base
    }

    /// The version of everything at or below `territory`; the whole register when nil.
    public func territory(_ territory: KATOCode?) -> Int {
        guard let territory else { return all }
        return base + (territories[territory.value] ?? 0)
    }

    public func instruction(_ id: Int) -> Int { base + (instructions[id] ?? 0) }

    /// The version of one assignment's page (its reports, history and hand-downs).
    public func assignment(_ id: Int) -> Int { base + (assignments[id] ?? 0) }

    /// Records a change of assignment `assignment` of `instruction` in `territory`.
    public mutating func changed(assignment: Int, instruction: Int, territory: Int) {
        all += 1
        assignments[assignment, default: 0] += 1
        instructions[instruction, default: 0] += 1
        guard let code = try? KATOCode(number: territory) else { return }
        territories[code.value, default: 0] += 1
        for ancestor in code.nominalAncestors { territories[ancestor.value, default: 0] += 1 }
    }
}
