import AimaqCore
import Synchronization
import Vapor

/// What the app holds in memory for its whole life: configuration, reference data and
/// the sign-in throttle. Set once in `configure`, shared read-only (its parts lock inside).
final class AppState: Sendable {
    let configuration: AimaqConfiguration
    let territories = TerritoryDirectory()
    let bodies = BodyDirectory()
    let catalog: StringCatalog
    let throttle: LoginThrottle
    let isDemo: Mutex<Bool> = Mutex(false)
    let calendar: WorkingCalendar
    let evidence: EvidenceStore
    let clock = Clock()
    let register: RegisterSnapshots
    let budget: BudgetState
    let pages: PageCache
    let limits: RateLimits
    /// Keeps every model above current with the database (see `ChangeFeed`).
    let feed: ChangeFeed
    /// The opinion maps of the conversations, kept current off the request path.
    let conversations = ConversationMaps()
    /// Visitors' pages of the appeals register and statistics, kept by the appeals' version
    /// (at most `appealStaleMilliseconds` behind it while appeals keep changing).
    let appealPages = FreshEnough<String>()
    /// The appeals' revision as last read (see `AppealController.cachedForVisitors`).
    let appealRevision = RecentNumber()
    /// The statistics of appeals, kept current by the change feed.
    let appealTally = AppealTallyModel()
    /// The stems of stored appeals' texts, for placing new appeals among similar ones.
    let appealStems = StemCache()
    /// Moves on with every change to the register of objects (territory pages are kept by it).
    let objectsVersion = ObjectsVersion()
    /// Stores opinion votes in batches, each acknowledged once committed.
    let votes = VoteIntake()
    /// Where audited writes run (none with an in-memory database, which one connection holds).
    let writes: WriteLane?
    /// Where kept pages are remade while readers get the older copy (none in memory).
    let background: LoopThreads?
    /// The capabilities' sections of a territory page, in the order they appear.
    let territorySections: [any TerritorySection] = [InstructionsSection(), BudgetSection(), ObjectsSection()]
    /// Signs private feed addresses; generated once per installation and kept in the database.
    var feedSecret: String { secret.withLock { $0 } }
    let secret = Mutex("")

    init(configuration: AimaqConfiguration, catalog: StringCatalog, throttle: LoginThrottle = LoginThrottle(),
         calendar: WorkingCalendar, budget: BudgetState, evidenceInDatabase: Bool = false, writes: WriteLane? = nil,
         background: LoopThreads? = nil) {
        self.writes = writes
        self.background = background
        self.budget = budget
        self.configuration = configuration
        self.catalog = catalog
        self.throttle = throttle
        self.calendar = calendar
        register = RegisterSnapshots(roadMaps: RegisterSnapshot.RoadMapTerms(calendar: calendar))
        self.evidence = EvidenceStore(dataDirectory: configuration.dataDirectory, folder: configuration.evidenceDirectory,
                                      inDatabase: evidenceInDatabase)
        limits = RateLimits(limits: (try? RateLimits.parse(configuration.rateLimits)) ?? RateLimits.defaults)
        let pages = PageCache(enabled: configuration.pageCache, megabytes: configuration.pageCacheMegabytes)
        self.pages = pages
        feed = ChangeFeed(models: [
            ReferenceModel(territories: territories, bodies: bodies, pages: pages), register, budget, objectsVersion, appealTally,
        ])
    }
}

/// Today in Kazakhstan; tests and demos can pin it.
final class Clock: Sendable {
    private let pinned = Mutex<CivilDate?>(nil)

    func today() -> CivilDate { pinned.withLock { $0 } ?? KazakhstanTime.today() }

    func pin(_ date: CivilDate?) { pinned.withLock { $0 = date } }
}

extension Application {
    private struct AppStateKey: StorageKey {
        typealias Value = AppState
    }

    var aimaq: AppState {
        get {
            guard let state = storage[AppStateKey.self] else {
                fatalError("configure(_:) must run before the app state is used")
            }
            return state
        }
        set { storage[AppStateKey.self] = newValue }
    }
}

extension Request {
    var aimaq: AppState { application.aimaq }
    var tree: TerritoryTree { application.aimaq.territories.tree }
}

extension Request {
    /// A visitors' page kept in the page cache under `version`, remade off the request path
    /// while it lags (`AIMAQ_PAGE_LAG_MS`; see `PageCache.anonymousPage`).
    func keptPage(_ key: String, version: Int, partition: PageCache.Partition = .stable,
                  render: @escaping @Sendable () async throws -> String) async throws -> Response {
        Layout.html(try await aimaq.pages.anonymousPage(key, version: version, partition: partition,
                                                        lag: .milliseconds(aimaq.configuration.pageLagMilliseconds),
                                                        background: aimaq.background?.executor, render: render))
    }
}
