import AimaqCore
import Foundation
import Vapor

enum LocaleFiles {
    /// Loads `Locales/{kk,ru,en}.json` from the bundle (flat objects of key to text).
    static func load() throws -> StringCatalog {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json",
                                              subdirectory: "Resources/Locales") else {
                throw DataFolderError(description: "locale file \(language.rawValue).json is missing from the build")
            }
            let data = try Data(contentsOf: url)
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return StringCatalog(tables: tables)
    }
}

/// Picks the interface language: `?lang=` (remembered in a cookie), then the cookie, then
/// Accept-Language, then Russian.
struct LanguageMiddleware: Middleware {
    static let cookieName = "aimaq_lang"
    static let parameter = "lang"

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let requested = request.queryText(Self.parameter).flatMap(Language.init(rawValue:))
        let language = requested
            ?? request.cookies[Self.cookieName].flatMap { Language(rawValue: $0.string) }
            ?? request.headers.first(name: .acceptLanguage).flatMap(Language.negotiate(acceptLanguage:))
            ?? .fallback
        request.storage[LanguageKey.self] = language
        guard let requested else { return next.respond(to: request) }
        return next.respond(to: request).map { response in
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: requested.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                isSecure: request.aimaq.configuration.secureCookies, isHTTPOnly: true, sameSite: .lax)
            return response
        }
    }

    struct LanguageKey: StorageKey {
        typealias Value = Language
    }
}

extension Request {
    var language: Language { storage[LanguageMiddleware.LanguageKey.self] ?? .fallback }

    /// An interface string in the request's language.
    func t(_ key: String) -> String { aimaq.catalog.text(key, language) }
    func t(_ key: String, _ values: [String: String]) -> String { aimaq.catalog.text(key, language, values) }
}

/// Numbers written the way each language writes them (thin groups of three).
enum NumberFormat {
    /// Digits in groups of three: "1,234,567" in English, a narrow no-break space in Kazakh
    /// and Russian; a minus sign, not a hyphen.
    static func integer(_ value: Int, _ language: Language) -> String {
        let digits = Array(String(value.magnitude).utf8)
        let separator = language == .en ? Array(",".utf8) : Array("\u{202F}".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count + digits.count / 3 * separator.count + 3)
        if value < 0 { bytes.append(contentsOf: "−".utf8) }
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { bytes.append(contentsOf: separator) }
            bytes.append(digit)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A decimal with up to two places, grouped like integers, decimal point per language.
    static func decimal(_ value: Double, _ language: Language) -> String {
        guard value.isFinite else { return "—" }
        let rounded = (value * 100).rounded() / 100
        let whole = Int(rounded.rounded(.towardZero))
        let fraction = Int((abs(rounded - Double(whole)) * 100).rounded())
        var text = integer(whole, language)
        if whole == 0 && rounded < 0 { text = "−0" }
        if fraction > 0 {
            let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
            text += (language == .en ? "." : ",") + digits
        }
        return text
    }
}
