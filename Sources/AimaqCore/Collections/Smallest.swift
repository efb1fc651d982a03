extension Sequence {
    /// The first `count` elements in the order `areInIncreasingOrder` gives, without sorting
    /// them all: O(n log count) comparisons and one buffer of `count`. Elements that compare
    /// equal keep their order in the sequence, as a stable sort would.
    @inlinable
    public func smallest(_ count: Int, by areInIncreasingOrder: (Element, Element) throws -> Bool) rethrows -> [Element] {
        guard count > 0 else { return [] }
        var kept: [Element] = []
        kept.reserveCapacity(count)
        for element in self {
            if kept.count == count {
                // Not before the last kept one: it cannot enter.
                guard try areInIncreasingOrder(element, kept[count - 1]) else { continue }
                kept.removeLast()
            }
            // After every kept element that is not greater (stability), by binary search.
            var low = 0, high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if try areInIncreasingOrder(element, kept[middle]) { high = middle } else { low = middle + 1 }
            }
            kept.insert(element, at: low)
        }
        return kept
    }
}
