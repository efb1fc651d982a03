/// Every assignment as a small value, for the register's filters, sorting and paging and for
/// the territory summaries, answered in memory. The server builds one from the database once
/// and then applies each change to it (`applying`); at national scale (50,000 assignments) a filtered page is
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
        /// The assignment this one was handed down from, if any.
        public var parentID: Int?
        /// When its body owes a road map it has not given (`RoadMapRule`): the day it is due.
        public var roadMapDue: CivilDate?

        public init(id: Int, instructionID: Int, sourceID: Int, territory: Int, bodyID: Int?, deadline: CivilDate,
                    status: AssignmentStatus, completion: Double?, weight: Double, isPublic: Bool,
                    category: InstructionCategory, parentID: Int? = nil, roadMapDue: CivilDate? = nil) {
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
            self.parentID = parentID
            self.roadMapDue = roadMapDue
        }

        /// Open, and its road map is owed.
        public var lacksRoadMap: Bool { roadMapDue != nil && !status.isFinal }

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
        /// Only open assignments whose road map is owed.
        public var roadMapMissing = false
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
            if roadMapMissing && !entry.lacksRoadMap { return false }
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
        var latest: [Int: Entry] = [:]
        for entry in entries { latest[entry.id] = entry }
        let sorted = (latest.count == entries.count ? entries : Array(latest.values)).sorted(by: Self.storageOrder)
        self.entries = sorted
        let positions = Array(0..<Int32(sorted.count))
        var orders: [Sort: [Int32]] = [.territory: positions]
        for sort in Sort.allCases where sort != .territory {
            orders[sort] = positions.sorted { Self.precedes(sorted[Int($0)], sorted[Int($1)], in: sort) }
        }
        self.orders = orders
        byInstruction = Self.instructionPositions(sorted)
    }

    private init(entries: [Entry], orders: [Sort: [Int32]], byInstruction: [Int: [Int32]]? = nil) {
        self.entries = entries
        self.orders = orders
        self.byInstruction = byInstruction ?? Self.instructionPositions(entries)
    }

    private static func storageOrder(_ x: Entry, _ y: Entry) -> Bool { (x.territory, x.id) < (y.territory, y.id) }

    /// The order of a sort, ties broken by id.
    private static func precedes(_ x: Entry, _ y: Entry, in sort: Sort) -> Bool {
        func before(_ a: Entry, _ b: Entry) -> Bool {
            switch sort {
            case .deadline: a.deadline < b.deadline
            case .deadlineDescending: a.deadline > b.deadline
            case .territory: a.territory < b.territory
            case .status: a.status.rawValue < b.status.rawValue
            // Highest first; assignments without a figure last, as SQL orders NULLs descending.
            case .completion: (a.completion ?? -1) > (b.completion ?? -1)
            }
        }
        if before(x, y) { return true }
        if before(y, x) { return false }
        return x.id < y.id
    }

    private static func instructionPositions(_ entries: [Entry]) -> [Int: [Int32]] {
        var result: [Int: [Int32]] = [:]
        for (position, entry) in entries.enumerated() { result[entry.instructionID, default: []].append(Int32(position)) }
        return result
    }

    /// The index after a change: `changed` entries take the place of those with the same id
    /// (or are added), and the ids in `removed` leave. Nothing is sorted again but the
    /// changed entries: one merge of the stored entries and one of each order, so a change
    /// of a few assignments costs a few copies of flat arrays, never a reload or a full sort.
    public func applying(_ changed: [Entry], removing removed: Set<Int> = []) -> AssignmentIndex {
        guard !changed.isEmpty || !removed.isEmpty else { return self }
        if removed.isEmpty, let updated = replacingInPlace(changed) { return updated }
        var latest: [Int: Entry] = [:]
        for entry in changed { latest[entry.id] = entry }
        let added = latest.values.sorted(by: Self.storageOrder)
        // Positions that leave: the old place of every changed or removed id.
        var leaving = [UInt64](repeating: 0, count: (entries.count + 63) / 64)
        var unplaced = removed.union(latest.keys)
        for entry in added {
            if let position = position(of: entry.id, territory: entry.territory) {
                leaving[position >> 6] |= 1 << UInt64(position & 63)
                unplaced.remove(entry.id)
            }
        }
        for id in removed where unplaced.contains(id) {
            // A removed id whose territory is not known: one scan finds it.
            if let position = entries.firstIndex(where: { $0.id == id }) {
                leaving[position >> 6] |= 1 << UInt64(position & 63)
            }
        }
        // A changed entry may also have moved territory: its old place is found by id.
        for entry in added where unplaced.contains(entry.id) && !removed.contains(entry.id) {
            if let position = entries.firstIndex(where: { $0.id == entry.id }) {
                leaving[position >> 6] |= 1 << UInt64(position & 63)
            }
        }
        var merged: [Entry] = []
        merged.reserveCapacity(entries.count + added.count)
        var moved = [Int32](repeating: -1, count: entries.count)
        var addedAt = [Int32](repeating: 0, count: added.count)
        var old = 0, new = 0
        while old < entries.count || new < added.count {
            if new < added.count && (old == entries.count || Self.storageOrder(added[new], entries[old])) {
                if removed.contains(added[new].id) { new += 1; continue }
                addedAt[new] = Int32(merged.count)
                merged.append(added[new])
                new += 1
            } else {
                if leaving[old >> 6] & (1 << UInt64(old & 63)) == 0 {
                    moved[old] = Int32(merged.count)
                    merged.append(entries[old])
                }
                old += 1
            }
        }
        let placed = added.indices.filter { !removed.contains(added[$0].id) }.map { addedAt[$0] }
        var newOrders: [Sort: [Int32]] = [:]
        for sort in Sort.allCases {
            let kept = (orders[sort] ?? []).compactMap { moved[Int($0)] >= 0 ? moved[Int($0)] : nil }
            let inserted = placed.sorted { Self.precedes(merged[Int($0)], merged[Int($1)], in: sort) }
            var order: [Int32] = []
            order.reserveCapacity(kept.count + inserted.count)
            var k = 0, i = 0
            while k < kept.count || i < inserted.count {
                if i < inserted.count && (k == kept.count
                    || Self.precedes(merged[Int(inserted[i])], merged[Int(kept[k])], in: sort)) {
                    order.append(inserted[i]); i += 1
                } else {
                    order.append(kept[k]); k += 1
                }
            }
            newOrders[sort] = order
        }
        return AssignmentIndex(entries: merged, orders: newOrders)
    }

    /// The common change, a new status, deadline or figure of entries that stay where they
    /// are stored (same territory): each changed entry takes its old place, and only the
    /// orders whose key changed move its position (a binary search and one shift each). Nil
    /// when an entry is new or moved territory.
    private func replacingInPlace(_ changed: [Entry]) -> AssignmentIndex? {
        var places: [(position: Int, entry: Entry)] = []
        for entry in changed {
            guard let position = position(of: entry.id, territory: entry.territory),
                  entries[position].instructionID == entry.instructionID else { return nil }
            places.append((position, entry))
        }
        var entries = self.entries
        var orders = self.orders
        for (position, entry) in places {
            let old = entries[position]
            for sort in Sort.allCases where sort != .territory {
                guard Self.precedes(old, entry, in: sort) || Self.precedes(entry, old, in: sort) || old.id != entry.id else { continue }
                var order = orders[sort] ?? []
                orders[sort] = nil
                // Where the entry stands now, found with its old values.
                let from = Self.insertionPoint(of: old, in: order, entries: entries, sort: sort)
                if from < order.count, Int(order[from]) == position { order.remove(at: from) }
                else if let at = order.firstIndex(of: Int32(position)) { order.remove(at: at) }
                entries[position] = entry
                order.insert(Int32(position), at: Self.insertionPoint(of: entry, in: order, entries: entries, sort: sort))
                entries[position] = old
                orders[sort] = order
            }
            entries[position] = entry
        }
        return AssignmentIndex(entries: entries, orders: orders, byInstruction: byInstruction)
    }

    /// The first place in `order` whose entry does not precede `entry`.
    private static func insertionPoint(of entry: Entry, in order: [Int32], entries: [Entry], sort: Sort) -> Int {
        var low = 0, high = order.count
        while low < high {
            let middle = (low + high) / 2
            if precedes(entries[Int(order[middle])], entry, in: sort) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The entry with this id, found by its territory (binary search).
    public func entry(_ id: Int, territory: Int) -> Entry? {
        position(of: id, territory: territory).map { entries[$0] }
    }

    private func position(of id: Int, territory: Int) -> Int? {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if (entries[middle].territory, entries[middle].id) < (territory, id) { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].id == id ? low : nil
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
