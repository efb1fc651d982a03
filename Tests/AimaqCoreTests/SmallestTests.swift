import AimaqCore
import Testing

@Suite struct SmallestTests {
    @Test func agreesWithAStableSortOnRandomData() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let values = (0..<Int.random(in: 0...300, using: &generator)).map { index in
                (key: Int.random(in: 0...20, using: &generator), index: index)
            }
            let count = Int.random(in: 0...120, using: &generator)
            let sorted = values.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
            let kept = values.smallest(count) { $0.key < $1.key }
            #expect(kept.map(\.index) == sorted.prefix(count).map(\.index))
        }
    }

    @Test func keepsAllWhenAskedForMoreThanThereAre() {
        #expect([3, 1, 2].smallest(10, by: <) == [1, 2, 3])
        #expect([3, 1, 2].smallest(0, by: <) == [])
        #expect([5, 4, 4, 1].smallest(2, by: >) == [5, 4])
    }
}
