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

@Suite struct HexTests {
    @Test func bytesRoundTripAndBadTextIsRefused() {
        #expect(Hex.string([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.bytes("000FA5ff") == [0x00, 0x0f, 0xa5, 0xff])
        #expect(Hex.bytes("abc") == nil && Hex.bytes("zz") == nil && Hex.bytes("") == nil)
        #expect(Hex.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
