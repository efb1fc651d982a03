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

    init(configuration: AimaqConfiguration, catalog: StringCatalog, throttle: LoginThrottle) {
        self.configuration = configuration
        self.catalog = catalog
        self.throttle = throttle
    }
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
