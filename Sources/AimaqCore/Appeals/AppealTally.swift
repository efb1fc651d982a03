/// Counts of appeals for one area (a region, or a district of a region).
public struct AppealCounts: Sendable, Equatable {
    public var total = 0
    public var awaiting = 0
    public var overdue = 0
    public var answered = 0
    public var answeredOnTime = 0
    public var ratings = 0
    public var ratingSum = 0

    public init(total: Int = 0, awaiting: Int = 0, overdue: Int = 0, answered: Int = 0, answeredOnTime: Int = 0,
                ratings: Int = 0, ratingSum: Int = 0) {
        self.total = total
        self.awaiting = awaiting
        self.overdue = overdue
        self.answered = answered
        self.answeredOnTime = answeredOnTime
        self.ratings = ratings
        self.ratingSum = ratingSum
    }

    public var onTimeShare: Double? { answered > 0 ? Double(answeredOnTime) / Double(answered) : nil }
    public var meanRating: Double? { ratings > 0 ? Double(ratingSum) / Double(ratings) : nil }

    public mutating func add(_ other: AppealCounts) {
        total += other.total; awaiting += other.awaiting; overdue += other.overdue; answered += other.answered
        answeredOnTime += other.answeredOnTime; ratings += other.ratings; ratingSum += other.ratingSum
    }

    public func perTenThousand(_ population: Int?) -> Double? {
        guard let population, population > 0 else { return nil }
        return Double(total) * 10_000 / Double(population)
    }
}

/// The statistics of appeals kept in memory and changed one appeal at a time: counts per
/// region, district and topic, with the awaited answers by deadline so that what is overdue
/// is counted for any day. A statistics page then asks nothing of the database: counting the
/// whole table there cost tens of milliseconds of the database's CPU per page, and with
/// appeals arriving many times a second, pages were recounted as often.
public struct AppealTally: Sendable {
    /// What of an appeal the statistics count.
    public struct Appeal: Sendable, Equatable {
        public var region: Int
        public var district: Int
        public var topic: String
        public var status: AppealStatus
        public var deadline: CivilDate
        public var answeredOn: CivilDate?
        public var rating: Int?

        public init(region: Int, district: Int, topic: String, status: AppealStatus, deadline: CivilDate,
                    answeredOn: CivilDate? = nil, rating: Int? = nil) {
            self.region = region
            self.district = district
            self.topic = topic
            self.status = status
            self.deadline = deadline
            self.answeredOn = answeredOn
            self.rating = rating
        }
    }

    private struct Key: Hashable {
        var region: Int
        var district: Int
        var topic: String
    }

    /// The counts of one key, with the awaited answers by deadline (as `yyyymmdd`) in place of
    /// `overdue`, which depends on the day asked about.
    private struct Bucket {
        var counts = AppealCounts()
        var awaitingByDeadline: [Int: Int] = [:]

        var isEmpty: Bool { counts.total == 0 }

        mutating func count(_ appeal: Appeal, _ sign: Int) {
            counts.total += sign
            if appeal.status.awaitsAnswer {
                counts.awaiting += sign
                let day = AppealTally.dayNumber(appeal.deadline)
                let left = awaitingByDeadline[day, default: 0] + sign
                awaitingByDeadline[day] = left == 0 ? nil : left
            }
            if appeal.status == .answered {
                counts.answered += sign
                if let on = appeal.answeredOn, on <= appeal.deadline { counts.answeredOnTime += sign }
            }
            if let rating = appeal.rating {
                counts.ratings += sign
                counts.ratingSum += sign * rating
            }
        }

        func counts(today: Int) -> AppealCounts {
            var result = counts
            result.overdue = awaitingByDeadline.reduce(0) { $1.key < today ? $0 + $1.value : $0 }
            return result
        }
    }

    private var appeals: [Int: Appeal] = [:]
    private var buckets: [Key: Bucket] = [:]

    public init() {}

    /// How many appeals are counted.
    public var count: Int { appeals.count }

    /// Counts `appeal` under `id` in place of what was counted under it before (nil: no longer counted).
    public mutating func set(_ id: Int, _ appeal: Appeal?) {
        if let old = appeals[id] {
            let key = Key(region: old.region, district: old.district, topic: old.topic)
            buckets[key]?.count(old, -1)
            if buckets[key]?.isEmpty == true { buckets[key] = nil }
        }
        appeals[id] = appeal
        if let appeal {
            buckets[Key(region: appeal.region, district: appeal.district, topic: appeal.topic), default: Bucket()].count(appeal, 1)
        }
    }

    /// Counts by region (`region` nil) or by district of one region, of one topic or all,
    /// with what is overdue on `today`.
    public func counts(region: Int?, topic: String?, today: CivilDate) -> [Int: AppealCounts] {
        let day = Self.dayNumber(today)
        var result: [Int: AppealCounts] = [:]
        for (key, bucket) in buckets {
            if let topic, key.topic != topic { continue }
            if let region, key.region != region { continue }
            result[region == nil ? key.region : key.district, default: AppealCounts()].add(bucket.counts(today: day))
        }
        return result
    }

    /// The number of appeals by topic, in one region or the whole country.
    public func byTopic(region: Int?) -> [String: Int] {
        var result: [String: Int] = [:]
        for (key, bucket) in buckets where region == nil || key.region == region {
            result[key.topic, default: 0] += bucket.counts.total
        }
        return result
    }

    /// A date as a number that orders as the date does.
    static func dayNumber(_ date: CivilDate) -> Int { date.year * 10_000 + date.month * 100 + date.day }
}
