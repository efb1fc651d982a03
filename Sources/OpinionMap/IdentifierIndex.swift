/// Maps caller identifiers (any `Int`) to dense indices `0..<count`, in order of first insertion.
///
/// Polis identifiers are small non-negative integers, so the common case is a direct lookup in an
/// array; any other identifier falls back to a dictionary. Looking up millions of votes through a
/// dictionary alone would cost more than the whole principal component analysis.
struct IdentifierIndex: Sendable, Hashable {
    /// The identifiers in index order.
    private(set) var identifiers: [Int] = []
    /// `directSlots[id]` is the index of `id` plus one, or zero when `id` is unknown.
    private var directSlots: [Int32] = []
    private var otherSlots: [Int: Int32] = [:]

    /// Identifiers below this bound use the direct table (at most 16 MiB of `Int32`).
    private static let directLimit = 1 << 22

    var count: Int { identifiers.count }

    init() {}

    init(_ identifiers: some Sequence<Int>) {
        for identifier in identifiers { _ = insert(identifier) }
    }

    /// The index of `identifier`, or `nil` when it has never been inserted.
    func index(of identifier: Int) -> Int? {
        if identifier >= 0, identifier < Self.directLimit {
            guard identifier < directSlots.count else { return nil }
            let slot = directSlots[identifier]
            return slot == 0 ? nil : Int(slot - 1)
        }
        return otherSlots[identifier].map(Int.init)
    }

    /// The index of `identifier`, inserting it at the end when it is new.
    mutating func insert(_ identifier: Int) -> Int32 {
        if identifier >= 0, identifier < Self.directLimit {
            if identifier >= directSlots.count {
                let grown = min(Self.directLimit, max(identifier + 1, directSlots.count * 2, 64))
                directSlots.append(contentsOf: repeatElement(0, count: grown - directSlots.count))
            }
            let slot = directSlots[identifier]
            if slot != 0 { return slot - 1 }
            let index = Int32(identifiers.count)
            identifiers.append(identifier)
            directSlots[identifier] = index + 1
            return index
        }
        if let index = otherSlots[identifier] { return index }
        let index = Int32(identifiers.count)
        identifiers.append(identifier)
        otherSlots[identifier] = index
        return index
    }
}
