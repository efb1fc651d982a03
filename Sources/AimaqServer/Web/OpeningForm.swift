import AimaqCore
import Vapor

/// What the forms that open a discussion, a conversation or a poll share: who may open one,
/// a title in up to three languages, an optional territory, and the head of the form (its
/// heading, every problem found, the three titles).
enum OpeningForm {
    /// Administrators, national deputies, and maslikhat deputies (for their territory).
    static func mayOpen(_ actor: Actor?) -> Bool {
        guard let actor else { return false }
        return AccessPolicy.allows(.moderateDiscussion(territory: actor.scope.code), for: actor)
    }

    /// A form with a title in three languages.
    protocol Titled: Content {
        var title_kk: String? { get }
        var title_ru: String? { get }
        var title_en: String? { get }
    }

    /// The start of every opening: the visitor may open one at all, the form as sent, its
    /// title, and the problem with the title (if any) first among the problems.
    static func begin<Form: Titled>(_ request: Request, _ type: Form.Type,
                                    titleProblem: String) throws -> (form: Form, title: LocalizedName?, problems: [String]) {
        guard let actor = request.actor else { throw SignInRequired() }
        guard mayOpen(actor) else { throw Abort(.forbidden) }
        let form = try request.content.decode(Form.self)
        let title = localized(form.title_kk, form.title_ru, form.title_en, limit: 300)
        return (form, title, title == nil ? [request.t(titleProblem)] : [])
    }

    /// A text given in up to three languages: the ones left empty take the first one given.
    static func localized(_ kk: String?, _ ru: String?, _ en: String?, limit: Int) -> LocalizedName? {
        let given = [kk, ru, en].map { ($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let first = given.first(where: { !$0.isEmpty }), given.allSatisfy({ $0.count <= limit }) else { return nil }
        func or(_ text: String) -> String { text.isEmpty ? first : text }
        return LocalizedName(kk: or(given[0]), ru: or(given[1]), en: or(given[2]))
    }

    /// The territory field: empty for the whole country, else a code of the tree that `within`
    /// (when given) holds; a problem otherwise.
    static func territory(_ text: String?, within: KATOCode? = nil, problem key: String = "visit.error.territory",
                          _ request: Request) -> (given: String, code: KATOCode?, problem: String?) {
        let given = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !given.isEmpty else { return (given, nil, nil) }
        guard let code = KATOCode.parse(given), request.tree[code] != nil, within.map({ $0.contains(code) }) ?? true else {
            return (given, nil, request.t(key))
        }
        return (given, code, nil)
    }

    /// The head of an opening form: the token, the heading, what was wrong, the three titles.
    static func head(id: String, heading: String, titleLabel: String, values: [String: String], problems: [String],
                     _ page: PageContext) -> Node {
        fragment {
            csrfField(page)
            el("h2", .id("\(id)-title")) { page.t(heading) }
            if !problems.isEmpty {
                el("ul", .class("error"), Attribute("role", "alert")) { for problem in problems { el("li") { problem } } }
            }
            for language in ["kk", "ru", "en"] {
                el("label", Attribute("for", "\(id)-title-\(language)")) { page.t("\(titleLabel).\(language)") }
                void("input", .type("text"), .name("title_\(language)"), .id("\(id)-title-\(language)"), Attribute("maxlength", "300"),
                     .value(values["title_\(language)"] ?? ""))
            }
        }
    }

    /// The territory field, offering the visitor's own territory.
    static func territoryField(id: String, values: [String: String], _ page: PageContext) -> Node {
        fragment {
            el("label", Attribute("for", "\(id)-territory")) { page.t("poll.newTerritory") }
            void("input", .type("text"), .name("territory"), .id("\(id)-territory"), Attribute("inputmode", "numeric"),
                 Attribute("pattern", "[0-9]{9}"), .value(values["territory"] ?? (page.actor?.scope.code?.description ?? "")))
        }
    }
}
