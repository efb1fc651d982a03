/// The sparse participants-by-statements vote matrix.
///
/// Rows are participants and columns are statements, both in order of first appearance. Each
/// participant's votes are stored contiguously (compressed sparse rows): a statement the participant
/// has not voted on is simply absent, which is not the same as a pass. Only the latest vote on a
/// (participant, statement) pair is kept, and statements that moderation removed are not columns.
/// Who voted on a moderated-out statement is still remembered (``moderatedVoteCounts``): Polis
/// keeps such a statement as a column of zeros, so it still counts towards a participant's number
/// of votes and the statement count of the sparsity-aware projection.
///
/// Build a matrix from a list of votes with ``init(votes:moderatedOut:)``, or vote by vote with
/// ``Builder`` when the votes come from a large stream; add later votes with ``apply(_:)``.
public struct VoteMatrix: Sendable {
    private var participants = IdentifierIndex()
    private var statements = IdentifierIndex()
    /// Statements excluded by moderation; votes on them are ignored, now and in later updates.
    public private(set) var moderatedOutStatementIDs: Set<Int>
    /// Participants who voted on each moderated-out statement (only statements with a vote).
    private var moderatedVoters: [Int: Set<Int>] = [:]
    /// `rowStart[r] ..< rowStart[r + 1]` are the positions of row `r`'s votes.
    private(set) var rowStart: [Int]
    /// Column index of each stored vote.
    private(set) var columns: [Int32]
    /// Value of each stored vote (agree = 1, disagree = -1, pass = 0).
    private(set) var values: [Int8]

    /// An empty matrix.
    public init(moderatedOut: Set<Int> = []) {
        moderatedOutStatementIDs = moderatedOut
        rowStart = [0]
        columns = []
        values = []
    }

    /// A matrix from vote events in any order: they are ordered by timestamp (keeping the given order
    /// among equal timestamps), and the latest vote on each pair wins.
    public init(votes: [Vote], moderatedOut: Set<Int> = []) {
        var builder = Builder(expectedVotes: votes.count)
        for vote in Self.chronological(votes) {
            builder.append(participant: vote.participant, statement: vote.statement, value: vote.value)
        }
        self = builder.build(moderatedOut: moderatedOut)
    }

    fileprivate init(participants: IdentifierIndex, statements: IdentifierIndex,
                     moderatedOut: Set<Int>, moderatedVoters: [Int: Set<Int>],
                     rowStart: [Int], columns: [Int32], values: [Int8]) {
        self.participants = participants
        self.statements = statements
        self.moderatedOutStatementIDs = moderatedOut
        self.moderatedVoters = moderatedVoters
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
    }

    // MARK: Reading

    /// Participant identifiers, in row order.
    public var participantIDs: [Int] { participants.identifiers }
    /// Statement identifiers, in column order (moderated-out statements are not included).
    public var statementIDs: [Int] { statements.identifiers }
    public var participantCount: Int { participants.count }
    public var statementCount: Int { statements.count }
    /// The number of stored votes (one per participant and statement at most).
    public var voteCount: Int { columns.count }

    /// The number of moderated-out statements that received at least one vote: Polis keeps them as
    /// columns of zeros.
    public var moderatedStatementCount: Int { moderatedVoters.count }

    /// For each row, the number of moderated-out statements the participant voted on.
    public func moderatedVoteCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: participantCount)
        for voters in moderatedVoters.values {
            for participant in voters {
                if let row = participants.index(of: participant) { counts[row] += 1 }
            }
        }
        return counts
    }

    /// The row of a participant, or `nil` when the participant has never voted.
    public func row(ofParticipant id: Int) -> Int? { participants.index(of: id) }
    /// The column of a statement, or `nil` when nobody voted on it or it was moderated out.
    public func column(ofStatement id: Int) -> Int? { statements.index(of: id) }

    /// The number of (non-moderated) statements a participant has voted on, passes included.
    public func voteCount(ofParticipant id: Int) -> Int {
        guard let row = row(ofParticipant: id) else { return 0 }
        return rowStart[row + 1] - rowStart[row]
    }

    /// The latest vote of a participant on a statement, or `nil` when there is none.
    public func value(participant: Int, statement: Int) -> VoteValue? {
        guard let row = row(ofParticipant: participant),
              let column = column(ofStatement: statement) else { return nil }
        for position in rowStart[row] ..< rowStart[row + 1] where Int(columns[position]) == column {
            return VoteValue(rawValue: values[position])
        }
        return nil
    }

    /// The votes of one participant as (statement identifier, value) pairs.
    public func votes(ofParticipant id: Int) -> [(statement: Int, value: VoteValue)] {
        guard let row = row(ofParticipant: id) else { return [] }
        return (rowStart[row] ..< rowStart[row + 1]).map { position in
            (statements.identifiers[Int(columns[position])], VoteValue(rawValue: values[position]) ?? .pass)
        }
    }

    /// All stored votes in row order (one per pair, the latest), with timestamps set to zero.
    public func allVotes() -> [Vote] {
        var result: [Vote] = []
        result.reserveCapacity(voteCount)
        for row in 0 ..< participantCount {
            let participant = participants.identifiers[row]
            for position in rowStart[row] ..< rowStart[row + 1] {
                result.append(Vote(participant: participant,
                                   statement: statements.identifiers[Int(columns[position])],
                                   value: VoteValue(rawValue: values[position]) ?? .pass))
            }
        }
        return result
    }

    // MARK: Updating

    /// Adds votes that are newer than every vote already in the matrix. They are ordered by
    /// timestamp among themselves; each replaces any earlier vote on the same pair. New participants
    /// and statements get new rows and columns; votes on moderated-out statements are ignored.
    ///
    /// A handful of votes are inserted in place; more are merged in one pass over the stored votes.
    public mutating func apply(_ newVotes: [Vote]) {
        var pendingRows: [Int32] = []
        var pendingColumns: [Int32] = []
        var pendingValues: [Int8] = []
        for vote in Self.chronological(newVotes) {
            if moderatedOutStatementIDs.contains(vote.statement) {
                moderatedVoters[vote.statement, default: []].insert(vote.participant)
                continue
            }
            let row = participants.insert(vote.participant)
            let column = statements.insert(vote.statement)
            pendingRows.append(row)
            pendingColumns.append(column)
            pendingValues.append(vote.value.rawValue)
        }
        guard !pendingRows.isEmpty else { return }
        let oldRowCount = rowStart.count - 1
        let rowCount = participants.count
        if rowCount > oldRowCount {
            rowStart.append(contentsOf: repeatElement(rowStart[oldRowCount], count: rowCount - oldRowCount))
        }

        // A few votes are inserted in place: a search in the voter's row and one move of the
        // storage behind it per new pair, much cheaper than rebuilding every row.
        if pendingRows.count <= 32 {
            for (index, row32) in pendingRows.enumerated() {
                let row = Int(row32)
                let range = rowStart[row] ..< rowStart[row + 1]
                if let position = range.first(where: { columns[$0] == pendingColumns[index] }) {
                    values[position] = pendingValues[index]
                    continue
                }
                columns.insert(pendingColumns[index], at: range.upperBound)
                values.insert(pendingValues[index], at: range.upperBound)
                for later in (row + 1) ... rowCount { rowStart[later] += 1 }
            }
            return
        }

        // Bucket the new votes by row, keeping their order.
        var pendingStart = [Int](repeating: 0, count: rowCount + 1)
        for row in pendingRows { pendingStart[Int(row) + 1] += 1 }
        for row in 0 ..< rowCount { pendingStart[row + 1] += pendingStart[row] }
        var pendingOrder = [Int](repeating: 0, count: pendingRows.count)
        var cursor = pendingStart
        for (index, row) in pendingRows.enumerated() {
            pendingOrder[cursor[Int(row)]] = index
            cursor[Int(row)] += 1
        }

        // Rebuild the rows in one pass: old votes first, then new ones, replacing on a repeated pair.
        var newRowStart = [Int](repeating: 0, count: rowCount + 1)
        var newColumns: [Int32] = []
        var newValues: [Int8] = []
        newColumns.reserveCapacity(columns.count + pendingRows.count)
        newValues.reserveCapacity(columns.count + pendingRows.count)
        var stamp = [Int32](repeating: -1, count: statements.count)
        var slot = [Int](repeating: 0, count: statements.count)
        for row in 0 ..< rowCount {
            let oldRange = rowStart[row] ..< rowStart[row + 1]
            let pendingRange = pendingStart[row] ..< pendingStart[row + 1]
            if pendingRange.isEmpty {
                newColumns.append(contentsOf: columns[oldRange])
                newValues.append(contentsOf: values[oldRange])
            } else {
                for position in oldRange {
                    let column = Int(columns[position])
                    stamp[column] = Int32(row)
                    slot[column] = newColumns.count
                    newColumns.append(columns[position])
                    newValues.append(values[position])
                }
                for pending in pendingOrder[pendingRange] {
                    let column = Int(pendingColumns[pending])
                    if stamp[column] == Int32(row) {
                        newValues[slot[column]] = pendingValues[pending]
                    } else {
                        stamp[column] = Int32(row)
                        slot[column] = newColumns.count
                        newColumns.append(pendingColumns[pending])
                        newValues.append(pendingValues[pending])
                    }
                }
            }
            newRowStart[row + 1] = newColumns.count
        }
        rowStart = newRowStart
        columns = newColumns
        values = newValues
    }

    /// Removes statements from the matrix (moderation), with their votes; later votes on them are
    /// ignored too.
    public mutating func moderateOut(_ statementIDs: some Sequence<Int>) {
        let removed = Set(statementIDs)
        moderatedOutStatementIDs.formUnion(removed)
        guard removed.contains(where: { statements.index(of: $0) != nil }) else { return }
        var builder = Builder(expectedVotes: voteCount)
        builder.reserveParticipants(participants)
        for row in 0 ..< participantCount {
            let participant = participants.identifiers[row]
            for position in rowStart[row] ..< rowStart[row + 1] {
                builder.append(participant: participant,
                               statement: statements.identifiers[Int(columns[position])],
                               value: VoteValue(rawValue: values[position]) ?? .pass)
            }
        }
        let earlierVoters = moderatedVoters
        self = builder.build(moderatedOut: moderatedOutStatementIDs)
        moderatedVoters.merge(earlierVoters) { $0.union($1) }
    }

    /// Vote events ordered by timestamp, stable among equal timestamps.
    private static func chronological(_ votes: [Vote]) -> [Vote] {
        var isSorted = true
        for index in votes.indices.dropFirst() where votes[index].timestamp < votes[index - 1].timestamp {
            isSorted = false
            break
        }
        if isSorted { return votes }
        let order = votes.indices.sorted { left, right in
            votes[left].timestamp != votes[right].timestamp
                ? votes[left].timestamp < votes[right].timestamp : left < right
        }
        return order.map { votes[$0] }
    }
}

extension VoteMatrix {
    /// Collects vote events in chronological order and builds the matrix in two linear passes.
    ///
    /// Memory while collecting is nine bytes per vote event, so tens of millions of events fit.
    public struct Builder: Sendable {
        private var participants = IdentifierIndex()
        private var statements = IdentifierIndex()
        private var rows: [Int32] = []
        private var columns: [Int32] = []
        private var values: [Int8] = []

        public init(expectedVotes: Int = 0) {
            rows.reserveCapacity(expectedVotes)
            columns.reserveCapacity(expectedVotes)
            values.reserveCapacity(expectedVotes)
        }

        /// The number of vote events collected so far (repeated votes included).
        public var eventCount: Int { rows.count }

        /// Gives participants their rows in this order before any vote arrives.
        mutating func reserveParticipants(_ index: IdentifierIndex) {
            for identifier in index.identifiers { _ = participants.insert(identifier) }
        }

        /// Records a vote event; call in chronological order (a later call wins over an earlier one).
        public mutating func append(participant: Int, statement: Int, value: VoteValue) {
            rows.append(participants.insert(participant))
            columns.append(statements.insert(statement))
            values.append(value.rawValue)
        }

        /// The matrix of the latest vote per pair, without the moderated-out statements.
        public func build(moderatedOut: Set<Int> = []) -> VoteMatrix {
            // Columns: drop moderated-out statements and renumber the rest in order.
            var keptStatements = IdentifierIndex()
            var columnMap = [Int32](repeating: -1, count: statements.count)
            for (column, identifier) in statements.identifiers.enumerated()
            where !moderatedOut.contains(identifier) {
                columnMap[column] = keptStatements.insert(identifier)
            }

            // Stable bucket sort of the events by row.
            let rowCount = participants.count
            var rowStart = [Int](repeating: 0, count: rowCount + 1)
            for row in rows { rowStart[Int(row) + 1] += 1 }
            for row in 0 ..< rowCount { rowStart[row + 1] += rowStart[row] }
            let eventCount = rows.count
            var sortedColumns = [Int32](repeating: 0, count: eventCount)
            var sortedValues = [Int8](repeating: 0, count: eventCount)
            var cursor = rowStart
            rows.withUnsafeBufferPointer { rows in
                columns.withUnsafeBufferPointer { columns in
                    values.withUnsafeBufferPointer { values in
                        for event in 0 ..< eventCount {
                            let row = Int(rows[event])
                            let target = cursor[row]
                            cursor[row] = target + 1
                            sortedColumns[target] = columns[event]
                            sortedValues[target] = values[event]
                        }
                    }
                }
            }

            // Within each row keep the latest vote per column, compacting in place.
            var stamp = [Int32](repeating: -1, count: keptStatements.count)
            var slot = [Int](repeating: 0, count: keptStatements.count)
            var written = 0
            var compactStart = [Int](repeating: 0, count: rowCount + 1)
            var moderatedVoters: [Int: Set<Int>] = [:]
            for row in 0 ..< rowCount {
                for event in rowStart[row] ..< rowStart[row + 1] {
                    let column = columnMap[Int(sortedColumns[event])]
                    if column < 0 {
                        moderatedVoters[statements.identifiers[Int(sortedColumns[event])], default: []]
                            .insert(participants.identifiers[row])
                        continue
                    }
                    let columnIndex = Int(column)
                    if stamp[columnIndex] == Int32(row) {
                        sortedValues[slot[columnIndex]] = sortedValues[event]
                    } else {
                        stamp[columnIndex] = Int32(row)
                        slot[columnIndex] = written
                        sortedColumns[written] = column
                        sortedValues[written] = sortedValues[event]
                        written += 1
                    }
                }
                compactStart[row + 1] = written
            }
            sortedColumns.removeLast(eventCount - written)
            sortedValues.removeLast(eventCount - written)
            return VoteMatrix(participants: participants, statements: keptStatements,
                              moderatedOut: moderatedOut, moderatedVoters: moderatedVoters,
                              rowStart: compactStart,
                              columns: sortedColumns, values: sortedValues)
        }
    }
}
