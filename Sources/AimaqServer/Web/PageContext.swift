import AimaqCore
import Vapor

/// What a view reads of the request it answers, resolved once per request: the visitor's
/// language and its strings, the territory tree, the bodies, who is signed in, and the
/// form token. Views and components take this, never the request: they render what they
/// are given, and a string costs one look-up in the catalog.
struct PageContext: Sendable {
    let language: Language
    let tree: TerritoryTree
    let bodies: BodyDirectory
    /// Who is signed in (nil for a visitor).
    let actor: Actor?
    /// Short month names in the visitor's language (`time.months`), split once.
    let months: [String]
    private let catalog: StringCatalog
    /// Made on first use: a visitor's form token sets a cookie, which pages without forms
    /// should not.
    private let token: @Sendable () -> String

    init(language: Language, tree: TerritoryTree, bodies: BodyDirectory, actor: Actor?, catalog: StringCatalog,
         csrfToken: @escaping @Sendable () -> String) {
        self.language = language
        self.tree = tree
        self.bodies = bodies
        self.actor = actor
        self.catalog = catalog
        self.token = csrfToken
        months = catalog.text("time.months", language).split(separator: ",").map(String.init)
    }

    var csrfToken: String { token() }

    /// An interface string in the visitor's language.
    func t(_ key: String) -> String { catalog.text(key, language) }
    func t(_ key: String, _ values: [String: String]) -> String { catalog.text(key, language, values) }
}

extension Request {
    private struct PageContextKey: StorageKey { typealias Value = PageContext }

    /// What the views of this request read (made once, after the language is chosen).
    var page: PageContext {
        if let made = storage[PageContextKey.self] { return made }
        // The token is read through a weak reference: the context is kept in the request's own
        // storage, and a strong one would keep every request alive for ever.
        let made = PageContext(language: language, tree: tree, bodies: aimaq.bodies, actor: actor,
                               catalog: aimaq.catalog, csrfToken: { [weak self] in self?.csrfToken ?? "" })
        storage[PageContextKey.self] = made
        return made
    }
}
