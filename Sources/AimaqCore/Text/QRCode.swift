/// A QR code (ISO/IEC 18004) of a short text, drawn on the server: byte mode, error
/// correction level M, versions 1 to 10 (up to 213 bytes), the mask with the lowest penalty.
/// Enough for the `otpauth://` address a second-factor app scans; no external service sees it.
public struct QRCode: Sendable {
    /// The side in modules (21 for version 1, 4 more per version), without the quiet zone.
    public let size: Int
    /// `modules[row][column]`, true for dark.
    public let modules: [[Bool]]
    public let version: Int

    public struct TooLong: Error, CustomStringConvertible {
        public let bytes: Int
        public var description: String { "\(bytes) bytes do not fit in a QR code of version 10 at level M (213 at most)" }
    }

    // Per version 1...10 at level M: all codewords, error-correction codewords per block, blocks.
    private static let totalCodewords = [26, 44, 70, 100, 134, 172, 196, 242, 292, 346]
    private static let ecPerBlock = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26]
    private static let blocks = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5]
    private static let alignment: [[Int]] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
                                             [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]]

    public init(text: String) throws {
        let bytes = Array(text.utf8)
        var chosen: Int?
        for version in 1...10 {
            let dataBits = (Self.totalCodewords[version - 1] - Self.blocks[version - 1] * Self.ecPerBlock[version - 1]) * 8
            if 4 + (version < 10 ? 8 : 16) + bytes.count * 8 <= dataBits {
                chosen = version
                break
            }
        }
        guard let version = chosen else { throw TooLong(bytes: bytes.count) }
        self.version = version
        size = version * 4 + 17
        var matrix = Matrix(size: size)
        matrix.drawFunctionPatterns(version: version, alignment: Self.alignment[version - 1])
        let codewords = Self.codewords(bytes, version: version)
        matrix.drawCodewords(codewords)
        var best = (penalty: Int.max, mask: 0)
        for mask in 0..<8 {
            var trial = matrix
            trial.apply(mask: mask)
            trial.drawFormat(mask: mask)
            let penalty = trial.penalty()
            if penalty < best.penalty { best = (penalty, mask) }
        }
        matrix.apply(mask: best.mask)
        matrix.drawFormat(mask: best.mask)
        modules = matrix.dark
    }

    /// The code as SVG: dark modules as one path, with the 4-module quiet zone the standard
    /// asks for, scaled by the page.
    public func svg(label: String) -> String {
        let side = size + 8
        var path = ""
        for row in 0..<size {
            for column in 0..<size where modules[row][column] {
                path += "M\(column + 4) \(row + 4)h1v1h-1z"
            }
        }
        let escaped = label.replacingAll(["&": "&amp;", "<": "&lt;", "\"": "&quot;"])
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" class=\"qr\" role=\"img\" "
            + "aria-label=\"\(escaped)\" shape-rendering=\"crispEdges\"><rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
            + "<path d=\"\(path)\" fill=\"#000\"/></svg>"
    }

    // MARK: Data and error correction

    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        let total = totalCodewords[version - 1]
        let blockCount = blocks[version - 1]
        let ec = ecPerBlock[version - 1]
        let dataCount = total - blockCount * ec
        // Mode (byte), count, the bytes, a terminator, then padding to whole codewords.
        var bits: [Bool] = []
        func append(_ value: Int, _ length: Int) {
            for shift in stride(from: length - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, dataCount * 8 - bits.count))
        while bits.count % 8 != 0 { bits.append(false) }
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while data.count < dataCount {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        // Split into blocks (the later ones one codeword longer), each with its own correction.
        let shortBlocks = blockCount - total % blockCount
        let shortData = total / blockCount - ec
        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        let divisor = ReedSolomon.divisor(degree: ec)
        var start = 0
        for index in 0..<blockCount {
            let length = shortData + (index < shortBlocks ? 0 : 1)
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            ecBlocks.append(ReedSolomon.remainder(block, divisor: divisor))
        }
        // Interleave: the i-th codeword of every block in turn.
        var result: [UInt8] = []
        for index in 0...shortData {
            for block in dataBlocks where index < block.count { result.append(block[index]) }
        }
        for index in 0..<ec {
            for block in ecBlocks { result.append(block[index]) }
        }
        return result
    }

    // MARK: The matrix

    struct Matrix {
        let size: Int
        var dark: [[Bool]]
        var function: [[Bool]]

        init(size: Int) {
            self.size = size
            dark = Array(repeating: Array(repeating: false, count: size), count: size)
            function = dark
        }

        mutating func set(_ column: Int, _ row: Int, _ value: Bool) {
            dark[row][column] = value
            function[row][column] = true
        }

        mutating func drawFunctionPatterns(version: Int, alignment: [Int]) {
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (column, row) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 {
                        let x = column + dx, y = row + dy
                        guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                        let distance = max(abs(dx), abs(dy))
                        set(x, y, distance != 2 && distance != 4)
                    }
                }
            }
            let last = alignment.count - 1
            for (i, row) in alignment.enumerated() {
                for (j, column) in alignment.enumerated() {
                    // Not over the finder patterns.
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { set(column + dx, row + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormat(mask: 0)  // reserves the format areas; drawn again with the chosen mask
            if version >= 7 {
                var remainder = version
                for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
                let bits = version << 12 | remainder
                for i in 0..<18 {
                    let bit = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3, b = i / 3
                    set(a, b, bit)
                    set(b, a, bit)
                }
            }
        }

        /// The 15 format bits (level M, the mask) in both copies, and the dark module.
        mutating func drawFormat(mask: Int) {
            let data = 0b00 << 3 | mask  // level M
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// Codeword bits in the zigzag of two-column strips from the bottom right.
        mutating func drawCodewords(_ codewords: [UInt8]) {
            var index = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        if !function[y][x], index < codewords.count * 8 {
                            dark[y][x] = (codewords[index >> 3] >> (7 - UInt8(index & 7))) & 1 == 1
                            index += 1
                        }
                    }
                }
                right -= 2
            }
        }

        mutating func apply(mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !function[y][x] {
                    let flip: Bool
                    switch mask {
                    case 0: flip = (x + y) % 2 == 0
                    case 1: flip = y % 2 == 0
                    case 2: flip = x % 3 == 0
                    case 3: flip = (x + y) % 3 == 0
                    case 4: flip = (x / 3 + y / 2) % 2 == 0
                    case 5: flip = x * y % 2 + x * y % 3 == 0
                    case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                    default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if flip { dark[y][x].toggle() }
                }
            }
        }

        /// The standard's four penalty rules: runs, 2×2 blocks, finder-like patterns, balance.
        func penalty() -> Int {
            var score = 0
            func lines() -> [[Bool]] {
                dark + (0..<size).map { x in (0..<size).map { y in dark[y][x] } }
            }
            let finderLike: [[Bool]] = [[true, false, true, true, true, false, true, false, false, false, false],
                                        [false, false, false, false, true, false, true, true, true, false, true]]
            for line in lines() {
                var run = 1
                for i in 1..<size {
                    if line[i] == line[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { score += run - 2 }
                        run = 1
                    }
                }
                if run >= 5 { score += run - 2 }
                if size >= 11 {
                    for start in 0...(size - 11) {
                        let window = Array(line[start..<start + 11])
                        if finderLike.contains(window) { score += 40 }
                    }
                }
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let c = dark[y][x]
                    if dark[y][x + 1] == c && dark[y + 1][x] == c && dark[y + 1][x + 1] == c { score += 3 }
                }
            }
            let darkCount = dark.reduce(0) { $0 + $1.filter { $0 }.count }
            let total = size * size
            score += abs(darkCount * 20 - total * 10) / total * 10
            return score
        }
    }
}

/// Reed–Solomon error correction over GF(256) with the polynomial x⁸+x⁴+x³+x²+1, as QR uses.
enum ReedSolomon {
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var result: UInt16 = 0
        var a = UInt16(a), b = b
        while b != 0 {
            if b & 1 == 1 { result ^= a }
            a <<= 1
            if a & 0x100 != 0 { a ^= 0x11D }
            b >>= 1
        }
        return UInt8(result)
    }

    /// The generator polynomial's coefficients, highest degree first, without the leading 1.
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in result.indices { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

extension String {
    /// The text with each key replaced by its value.
    func replacingAll(_ replacements: [Character: String]) -> String {
        var output = ""
        for character in self {
            if let replacement = replacements[character] { output += replacement } else { output.append(character) }
        }
        return output
    }
}
