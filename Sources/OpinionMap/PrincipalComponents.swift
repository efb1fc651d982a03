import Dispatch

/// The two principal components of the clustered participants' votes.
///
/// Missing votes are filled with the statement's mean vote, so after centring they contribute
/// nothing; the components are the top two eigenvectors of the covariance of that mean-filled
/// matrix. They are kept in the result so that the next computation can start from them.
public struct PrincipalComponents: Sendable, Codable, Hashable {
    /// Statement identifiers, in the order of the vectors below.
    public var statementIDs: [Int]
    /// Mean vote on each statement among the clustered participants (pass = 0).
    public var means: [Double]
    /// First component: unit length, one loading per statement.
    public var first: [Double]
    /// Second component: unit length and orthogonal to the first (or all zeros when the votes
    /// have no second direction of variation).
    public var second: [Double]
    /// Variance of the clustered participants along each component (eigenvalue over participants).
    public var variances: [Double]
    /// Total variance of the mean-filled matrix, so `variances[k] / totalVariance` is the share
    /// that component `k` explains.
    public var totalVariance: Double
    /// Block power iterations used.
    public var iterations: Int

    public init(statementIDs: [Int], means: [Double], first: [Double], second: [Double],
                variances: [Double], totalVariance: Double, iterations: Int) {
        self.statementIDs = statementIDs
        self.means = means
        self.first = first
        self.second = second
        self.variances = variances
        self.totalVariance = totalVariance
        self.iterations = iterations
    }
}

/// The clustered participants' rows of the vote matrix, centred on the fly.
///
/// Entry `(r, j)` is the vote minus statement `j`'s mean; an absent vote counts as the mean, so
/// its centred value is zero and it is simply skipped: this is exactly the mean-filled, centred
/// matrix, read straight from the vote matrix without a copy.
struct CentredRows: Sendable {
    /// Offsets of the vote matrix's rows (all of them).
    let rowStart: [Int]
    let columns: [Int32]
    let values: [Int8]
    /// The rows taken, ascending.
    let rows: [Int]
    /// `work[i] ..< work[i + 1]` numbers the votes of `rows[i]` as if the taken rows were
    /// contiguous (used to split the rows into chunks of equal work).
    let work: [Int]
    let means: [Double]
    /// Sum of the squared centred values (the trace of the covariance times the row count).
    let sumOfSquares: Double

    var columnCount: Int { means.count }
}

/// Computes the top two eigenvectors of `AᵀA` for a sparse centred matrix `A` by block power
/// iteration (subspace iteration) with a Rayleigh–Ritz step.
///
/// Four vectors are iterated together although only two are wanted: the extra ones make the
/// wanted pair converge at the rate of the fifth eigenvalue over the second rather than the
/// third over the second. One product `AᵀA X` is a single pass over the votes, fused row by row.
struct SubspaceIteration {
    static let blockSize = 4

    let matrix: CentredRows
    let maximumIterations: Int
    let tolerance: Double

    struct Solution {
        var vectors: [[Double]]  // two vectors of length columnCount
        var eigenvalues: [Double]  // two values
        var trace: Double
        var iterations: Int
    }

    /// - Parameter start: vectors to start from (typically the previous solution), each of length
    ///   `columnCount`; missing or degenerate ones are completed with random vectors.
    func solve(start: [[Double]], generator: inout SeededGenerator) -> Solution {
        let m = matrix.columnCount
        let p = min(Self.blockSize, m)
        let trace = matrix.sumOfSquares
        guard p > 0 else {
            return Solution(vectors: [[], []], eigenvalues: [0, 0], trace: 0, iterations: 0)
        }

        // The block is stored statement by statement, one SIMD4 lane per vector, so a row's
        // product touches one contiguous 32-byte slot per vote.
        var block = [SIMD4<Double>](repeating: .zero, count: m)
        for lane in 0 ..< min(start.count, p) where start[lane].count == m {
            for j in 0 ..< m { block[j][lane] = start[lane][j] }
        }
        orthonormalize(&block, lanes: p, generator: &generator)

        var product = [SIMD4<Double>](repeating: .zero, count: m)
        var ritzValues = [Double](repeating: 0, count: p)
        var iterations = 0
        let scaleFloor = max(trace, 1) * 1e-12
        while true {
            iterations += 1
            multiply(block, into: &product)

            // Rayleigh–Ritz: the small projected matrix H = Xᵀ(AᵀA)X and its eigenvectors U.
            var h = [Double](repeating: 0, count: p * p)
            for j in 0 ..< m {
                let x = block[j], y = product[j]
                for a in 0 ..< p { for b in 0 ..< p { h[a * p + b] += x[a] * y[b] } }
            }
            for a in 0 ..< p { for b in 0 ..< a {
                let mean = (h[a * p + b] + h[b * p + a]) / 2
                h[a * p + b] = mean
                h[b * p + a] = mean
            } }
            let (values, rotation) = SymmetricEigen.decompose(h, size: p)
            ritzValues = values
            rotate(&block, by: rotation, lanes: p)
            rotate(&product, by: rotation, lanes: p)

            // Converged when each wanted Ritz pair has a small residual ‖AᵀA v − λ v‖ measured
            // against its own eigenvalue λ: the sine of the angle between v and the true
            // component is about that ratio times λ over the gap to the next eigenvalue, and
            // neither depends on how many statements there are. (Measured against the total
            // variance, which grows with the statements while the structure does not, a map of
            // 10,000 statements stopped after one iteration and found nothing.)
            let wanted = min(2, p)
            var converged = true
            for lane in 0 ..< wanted where values[lane] > scaleFloor {
                var residual = 0.0
                for j in 0 ..< m {
                    let r = product[j][lane] - values[lane] * block[j][lane]
                    residual += r * r
                }
                if residual.squareRoot() > tolerance * values[lane] { converged = false }
            }
            if values[0] <= scaleFloor || converged || iterations >= maximumIterations {
                break
            }
            block = product
            orthonormalize(&block, lanes: p, generator: &generator)
        }

        var vectors: [[Double]] = []
        var eigenvalues: [Double] = []
        for lane in 0 ..< 2 {
            if lane < p, ritzValues[lane] > scaleFloor {
                vectors.append(block.map { $0[lane] })
                eigenvalues.append(ritzValues[lane])
            } else {
                vectors.append([Double](repeating: 0, count: m))
                eigenvalues.append(0)
            }
        }
        return Solution(vectors: vectors, eigenvalues: eigenvalues, trace: trace, iterations: iterations)
    }

    /// `result = AᵀA · block`, computed as the sum over rows of `aᵢ (aᵢᵀ block)`.
    ///
    /// Rows are split into a fixed number of chunks whose partial sums are added in a fixed order,
    /// so the result does not depend on how the chunks were scheduled on the cores.
    func multiply(_ block: [SIMD4<Double>], into result: inout [SIMD4<Double>]) {
        let m = matrix.columnCount
        let chunks = RowChunks(rowStart: matrix.work, minimumWork: 65_536)
        var partials = [SIMD4<Double>](repeating: .zero, count: m * chunks.count)
        block.withUnsafeBufferPointer { x in
            matrix.rowStart.withUnsafeBufferPointer { rowStart in
                matrix.columns.withUnsafeBufferPointer { columns in
                    matrix.values.withUnsafeBufferPointer { values in
                        matrix.means.withUnsafeBufferPointer { means in
                            matrix.rows.withUnsafeBufferPointer { rows in
                                partials.withUnsafeMutableBufferPointer { partials in
                                    let base = UnsafeSendable(partials.baseAddress!)
                                    chunks.forEach { chunk, taken in
                                        let out = base.pointer + chunk * m
                                        for index in taken {
                                            let row = rows[index]
                                            let range = rowStart[row] ..< rowStart[row + 1]
                                            // Two accumulators halve the chain of dependent additions.
                                            var even = SIMD4<Double>.zero, odd = SIMD4<Double>.zero
                                            var position = range.lowerBound
                                            while position + 1 < range.upperBound {
                                                let j = Int(columns[position]), k = Int(columns[position + 1])
                                                even += (Double(values[position]) - means[j]) * x[j]
                                                odd += (Double(values[position + 1]) - means[k]) * x[k]
                                                position += 2
                                            }
                                            if position < range.upperBound {
                                                let j = Int(columns[position])
                                                even += (Double(values[position]) - means[j]) * x[j]
                                            }
                                            let t = even + odd
                                            for position in range {
                                                let j = Int(columns[position])
                                                out[j] += (Double(values[position]) - means[j]) * t
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        partials.withUnsafeBufferPointer { partials in
            result.withUnsafeMutableBufferPointer { result in
                for j in 0 ..< m { result[j] = partials[j] }
                for chunk in 1 ..< max(chunks.count, 1) {
                    let offset = chunk * m
                    for j in 0 ..< m { result[j] += partials[offset + j] }
                }
            }
        }
    }

    /// Replaces each row `x` of the block by `x · rotation` (lanes mixed by a p×p matrix).
    private func rotate(_ block: inout [SIMD4<Double>], by rotation: [Double], lanes p: Int) {
        for j in block.indices {
            let x = block[j]
            var y = SIMD4<Double>.zero
            for b in 0 ..< p {
                var sum = 0.0
                for a in 0 ..< p { sum += x[a] * rotation[a * p + b] }
                y[b] = sum
            }
            block[j] = y
        }
    }

    /// Modified Gram–Schmidt on the lanes; a lane that is (nearly) dependent on the previous
    /// ones is replaced by a random vector, so the block always spans `p` dimensions.
    private func orthonormalize(_ block: inout [SIMD4<Double>], lanes p: Int,
                                generator: inout SeededGenerator) {
        let m = block.count
        for lane in 0 ..< p {
            var attempts = 0
            while true {
                let originalNorm = norm(block, lane: lane)
                for previous in 0 ..< lane {
                    var dot = 0.0
                    for j in 0 ..< m { dot += block[j][previous] * block[j][lane] }
                    for j in 0 ..< m { block[j][lane] -= dot * block[j][previous] }
                }
                let remaining = norm(block, lane: lane)
                if remaining > 1e-10 * max(originalNorm, 1e-300), remaining > 1e-300 {
                    for j in 0 ..< m { block[j][lane] /= remaining }
                    break
                }
                attempts += 1
                precondition(attempts < 100, "could not complete an orthonormal basis")
                for j in 0 ..< m { block[j][lane] = generator.nextUnit() * 2 - 1 }
            }
        }
    }

    private func norm(_ block: [SIMD4<Double>], lane: Int) -> Double {
        var sum = 0.0
        for x in block { sum += x[lane] * x[lane] }
        return sum.squareRoot()
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations.
enum SymmetricEigen {
    /// Returns the eigenvalues in descending order and the eigenvectors as the columns of a
    /// row-major `size × size` matrix.
    static func decompose(_ matrix: [Double], size n: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { v[i * n + i] = 1 }
        for _ in 0 ..< 100 {
            var offDiagonal = 0.0
            var diagonal = 0.0
            for i in 0 ..< n {
                diagonal += a[i * n + i] * a[i * n + i]
                for j in 0 ..< n where j != i { offDiagonal += a[i * n + j] * a[i * n + j] }
            }
            if offDiagonal <= 1e-30 * max(diagonal, 1e-300) { break }
            for p in 0 ..< n {
                for q in (p + 1) ..< n where a[p * n + q] != 0 {
                    let apq = a[p * n + q]
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot()
                    let s = t * c
                    for k in 0 ..< n {  // columns p and q
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0 ..< n {  // rows p and q
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0 ..< n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0 ..< n).sorted { a[$0 * n + $0] != a[$1 * n + $1] ? a[$0 * n + $0] > a[$1 * n + $1] : $0 < $1 }
        var values = [Double](repeating: 0, count: n)
        var vectors = [Double](repeating: 0, count: n * n)
        for (column, source) in order.enumerated() {
            values[column] = a[source * n + source]
            for k in 0 ..< n { vectors[k * n + column] = v[k * n + source] }
        }
        return (values, vectors)
    }
}

/// A fixed split of rows into chunks of similar work, run in parallel on the available cores.
///
/// The split depends only on the data (never on the number of cores or on timing), so every
/// reduction over chunks happens in the same order and results are bit-for-bit reproducible.
struct RowChunks: Sendable {
    /// Row ranges, one per chunk.
    let ranges: [Range<Int>]

    var count: Int { ranges.count }

    /// - Parameters:
    ///   - rowStart: row offsets of a compressed sparse row matrix.
    ///   - minimumWork: the least number of stored values worth a chunk of its own.
    init(rowStart: [Int], minimumWork: Int, maximumChunks: Int = 8) {
        let rowCount = rowStart.count - 1
        let work = rowStart.last ?? 0
        let chunkCount = max(1, min(maximumChunks, work / max(minimumWork, 1), rowCount))
        var ranges: [Range<Int>] = []
        var lower = 0
        for chunk in 1 ... chunkCount {
            var upper = lower
            if chunk == chunkCount {
                upper = rowCount
            } else {
                let target = work * chunk / chunkCount
                while upper < rowCount, rowStart[upper] < target { upper += 1 }
            }
            ranges.append(lower ..< upper)
            lower = upper
        }
        self.ranges = ranges
    }

    /// Runs `body(chunk, rows)` for every chunk, concurrently when there is more than one.
    func forEach(_ body: (Int, Range<Int>) -> Void) {
        if ranges.count == 1 {
            body(0, ranges[0])
            return
        }
        withoutActuallyEscaping(body) { body in
            let task = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: ranges.count) { chunk in
                task.pointer(chunk, ranges[chunk])
            }
        }
    }
}

/// Carries a value into concurrently running chunks that write disjoint memory.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let pointer: Value
    init(_ pointer: Value) { self.pointer = pointer }
}
