/// Every assignment as a small value, for the register's filters, sorting and paging and for
/// the territory summaries, answered in memory. The server builds one from the database and
/// replaces it after every change; at national scale (50,000 assignments) a filtered page is
/// one pass over an array instead of a count and an ordered scan in SQL.
public struct AssignmentIndex: Sendable {
    /// Plain values only (no strings or references), so that a pass over 50,000 of them
    /// copies no reference counts.
    public struct Entry: Sendable, Equatable {
        public var id: Int
        public var instructionID: Int
        public var sourceID: Int
        /// The KATO code as a number; a subtree is one range of numbers.
        public var territory: Int
        public var bodyID: Int?
        public var deadline: CivilDate
        public var status: AssignmentStatus
        public var completion: Double?
        public var weight: Double
        public var isPublic: Bool
        public var category: InstructionCategory

        public init(id: Int, instructionID: Int, sourceID: Int, territory: Int, bodyID: Int?, deadline: CivilDate,
                    status: AssignmentStatus, completion: Double?, weight: Double, isPublic: Bool,
                    category: InstructionCategory) {
            self.id = id
            self.instructionID = instructionID
            self.sourceID = sourceID
            self.territory = territory
            self.bodyID = bodyID
            self.deadline = deadline
            self.status = status
            self.completion = completion
            self.weight = weight
            self.isPublic = isPublic
            self.category = category
        }

        /// Overdue as the register counts it: open, no report waiting, deadline passed.
        public func isOverdue(today: CivilDate) -> Bool { status.isOverdue(deadline: deadline, today: today) }
    }

    public enum Sort: String, Sendable, CaseIterable {
        case deadline, deadlineDescending = "-deadline", territory, status, completion
    }

    /// The register's filters; `nil` means "any".
    public struct Query: Sendable, Equatable {
        public var source: Int?
        public var instruction: Int?
        public var status: AssignmentStatus?
        /// Codes from `lowerBound` up to, not including, `upperBound`: a territory's subtree.
        public var territories: Range<Int>?
        public var body: Int?
        public var category: InstructionCategory?
        public var overdue = false
        /// Open assignments due between today and today + N days, both included.
        public var dueWithin: Int?
        /// Only assignments of public instructions (anonymous visitors and citizens).
        public var publicOnly = true
        public var sort: Sort = .deadline

        public init() {}

        func matches(_ entry: Entry, today: CivilDate, dueBy: CivilDate?) -> Bool {
            if publicOnly && !entry.isPublic { return false }
            if let source, entry.sourceID != source { return false }
            if let instruction, entry.instructionID != instruction { return false }
            if let status, entry.status != status { return false }
            if let territories, !territories.contains(entry.territory) { return false }
            if let body, entry.bodyID != body { return false }
            if let category, entry.category != category { return false }
            if overdue && !entry.isOverdue(today: today) { return false }
            if let dueBy {
                let open = !entry.status.isFinal && entry.status != .reportSubmitted
                if !open || entry.deadline < today || entry.deadline > dueBy { return false }
            }
            return true
        }
    }

    /// Sorted by territory, then id: a subtree is one contiguous run.
    public let entries: [Entry]
    /// Positions in `entries` in the order of each sort, ties broken by id.
    private let orders: [Sort: [Int32]]
    /// Positions of each instruction's assignments, in territory order.
    private let byInstruction: [Int: [Int32]]

    public init(_ entries: [Entry]) {
        let sorted = entries.sorted { ($0.territory, $0.id) < ($1.territory, $1.id) }
        self.entries = sorted
        let positions = Array(0..<Int32(sorted.count))
        func order(_ before: (Entry, Entry) -> Bool) -> [Int32] {
            positions.sorted { a, b in
                let x = sorted[Int(a)], y = sorted[Int(b)]
                if before(x, y) { return true }
                if before(y, x) { return false }
                return x.id < y.id
            }
        }
        var byInstruction: [Int: [Int32]] = [:]
        for (position, entry) in sorted.enumerated() { byInstruction[entry.instructionID, default: []].append(Int32(position)) }
        self.byInstruction = byInstruction
        orders = [
            .deadline: order { $0.deadline < $1.deadline },
            .deadlineDescending: order { $0.deadline > $1.deadline },
            .territory: positions,
            .status: order { $0.status.rawValue < $1.status.rawValue },
            // Highest first; assignments without a figure last, as SQL orders NULLs descending.
            .completion: order { ($0.completion ?? -1) > ($1.completion ?? -1) },
        ]
    }

    public var count: Int { entries.count }

    /// One page of the entries that match, in the query's order, and how many match in all.
    /// `page` counts from 1. The filters run in storage order (a sequential pass that marks a
    /// bit per entry); only then is the sort order walked, reading bits until the page is full,
    /// so no entry outside the page is fetched out of order.
    public func page(_ query: Query, today: CivilDate, page: Int, per: Int) -> (entries: [Entry], total: Int) {
        let dueBy = query.dueWithin.map { today.adding(days: $0) }
        let (skipped, overflow) = max(0, page - 1).multipliedReportingOverflow(by: max(0, per))
        let start = overflow ? Int.max : skipped
        var bits = [UInt64](repeating: 0, count: (entries.count + 63) / 64)
        var total = 0
        entries.withUnsafeBufferPointer { buffer in
            for position in buffer.indices where query.matches(buffer[position], today: today, dueBy: dueBy) {
                bits[position >> 6] |= 1 << UInt64(position & 63)
                total += 1
            }
        }
        guard total > start, per > 0 else { return ([], total) }
        var selected: [Entry] = []
        selected.reserveCapacity(min(per, total - start))
        var seen = 0
        for position in orders[query.sort] ?? [] {
            let index = Int(position)
            guard bits[index >> 6] & (1 << UInt64(index & 63)) != 0 else { continue }
            if seen >= start {
                selected.append(entries[index])
                if selected.count == per { break }
            }
            seen += 1
        }
        return (selected, total)
    }

    /// Every entry that matches, in the query's order.
    public func all(_ query: Query, today: CivilDate) -> [Entry] {
        page(query, today: today, page: 1, per: Int.max).entries
    }

    /// The assignments of one instruction, in territory order.
    public func assignments(ofInstruction id: Int) -> [Entry] {
        (byInstruction[id] ?? []).map { entries[Int($0)] }
    }

    /// Totals for one territory code.
    public struct Tally: Sendable, Equatable {
        public var assigned = 0
        public var overdue = 0
        public var awaitingReview = 0
        /// Sum of completion × weight over the assignments that have a completion figure.
        public var weightedCompletion = 0.0
        /// Sum of the weights of those assignments.
        public var weight = 0.0

        public init() {}

        public var completion: Double? { weight > 0 ? weightedCompletion / weight : nil }

        public mutating func add(_ other: Tally) {
            assigned += other.assigned
            overdue += other.overdue
            awaitingReview += other.awaitingReview
            weightedCompletion += other.weightedCompletion
            weight += other.weight
        }
    }

    /// Totals per territory code within `territories` (everything when nil), leaving out
    /// assignments removed from control.
    public func tallies(in territories: Range<Int>?, publicOnly: Bool, today: CivilDate) -> [Int: Tally] {
        let run: Range<Int>
        if let territories {
            run = firstPosition(atLeast: territories.lowerBound)..<firstPosition(atLeast: territories.upperBound)
        } else {
            run = entries.indices
        }
        var result: [Int: Tally] = [:]
        for entry in entries[run] where entry.status != .removedFromControl && (!publicOnly || entry.isPublic) {
            var tally = result[entry.territory] ?? Tally()
            tally.assigned += 1
            if entry.isOverdue(today: today) { tally.overdue += 1 }
            if entry.status == .reportSubmitted { tally.awaitingReview += 1 }
            if let completion = entry.completion {
                tally.weightedCompletion += completion * entry.weight
                tally.weight += entry.weight
            }
            result[entry.territory] = tally
        }
        return result
    }

    /// The first position whose territory is at least `code` (binary search).
    private func firstPosition(atLeast code: Int) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].territory < code { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
