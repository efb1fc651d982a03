import Foundation
import AimaqCore

/// The 20 first-level units as a tile map: one square per region, placed roughly where the
/// region lies (west to east, north to south), each a link to its page. Drawn on the server.
enum TileMap {
    /// Column and row of each region's tile, by region number.
    static let positions: [Int: (column: Int, row: Int)] = [
        27: (0, 0), 39: (2, 0), 59: (3, 0), 55: (4, 0), 63: (5, 0),
        23: (0, 1), 15: (1, 1), 11: (3, 1), 71: (4, 1), 10: (5, 1),
        47: (0, 2), 62: (2, 2), 35: (3, 2), 33: (5, 2),
        43: (2, 3), 61: (3, 3), 31: (4, 3), 19: (5, 3), 75: (6, 3),
        79: (3, 4),
    ]

    static let tileWidth = 118
    static let tileHeight = 64
    static let gap = 6

    /// A tile's fill class; later capabilities colour tiles by a figure.
    struct Shade: Sendable {
        var cssClass: String
        var caption: String?
    }

    /// `titleID` names the map's title for assistive technology: a page with two maps gives
    /// each its own.
    static func svg(regions: [Territory], language: Language, title: String, titleID: String = "tile-map-title",
                    link: (KATOCode) -> String, shade: (Territory) -> Shade = { _ in Shade(cssClass: "tile") }) -> Node {
        let columns = 7, rows = 5
        let width = columns * (tileWidth + gap)
        let height = rows * (tileHeight + gap)
        let cities = cityNames(regions, language)
        return el("svg", attributes: [
            Attribute("viewBox", "0 0 \(width) \(height)"), .class("tile-map"),
            Attribute("role", "img"), .aria("labelledby", titleID),
        ]) {
            el("title", .id(titleID)) { title }
            for region in regions {
                if let position = positions[region.code.regionNumber] {
                    let x = position.column * (tileWidth + gap)
                    let y = position.row * (tileHeight + gap)
                    let style = shade(region)
                    el("a", .href(link(region.code))) {
                        el("title") { region.name[language] + (style.caption.map { " — \($0)" } ?? "") }
                        el("rect", Attribute("x", "\(x)"), Attribute("y", "\(y)"),
                           Attribute("width", "\(tileWidth)"), Attribute("height", "\(tileHeight)"),
                           Attribute("rx", "6"), .class(style.cssClass))
                        let lines = labelLines(shortName(region, language, cityNames: cities))
                        el("text", Attribute("x", "\(x + tileWidth / 2)"), Attribute("y", "\(y + (lines.count > 1 ? 20 : 28))"),
                           Attribute("text-anchor", "middle"), .class("tile-label")) {
                            for (index, line) in lines.enumerated() {
                                el("tspan", Attribute("x", "\(x + tileWidth / 2)"), Attribute("dy", index == 0 ? "0" : "15")) { line }
                            }
                        }
                        el("text", Attribute("x", "\(x + tileWidth / 2)"), Attribute("y", "\(y + 54)"),
                           Attribute("text-anchor", "middle"), .class("tile-code")) {
                            style.caption ?? (region.iso ?? region.code.isoCode)
                        }
                    }
                }
            }
        }
    }

    /// The region's name without the word for "region", to fit a tile; an oblast that shares
    /// its short name with a city (Almaty) keeps a short word for "region".
    static func shortName(_ territory: Territory, _ language: Language, among all: [Territory] = []) -> String {
        shortName(territory, language, cityNames: cityNames(all, language))
    }

    /// The short names of the republican cities among `regions` (an oblast named like one of
    /// them keeps its word for "region").
    static func cityNames(_ regions: [Territory], _ language: Language) -> Set<String> {
        Set(regions.lazy.filter { $0.kind == .republicanCity }.map { stripped($0, language) })
    }

    static func shortName(_ territory: Territory, _ language: Language, cityNames: Set<String>) -> String {
        let short = stripped(territory, language)
        if territory.kind == .oblast, cityNames.contains(short) {
            return short + (language == .en ? " Reg." : " обл.")
        }
        return short
    }

    /// Plain prefix and suffix tests (no Foundation searching: this runs for every tile).
    private static func stripped(_ territory: Territory, _ language: Language) -> String {
        let name = territory.name[language]
        switch language {
        case .kk:
            if name.hasSuffix(" облысы") { return String(name.dropLast(7)) }
        case .ru:
            if name.hasSuffix(" область") { return String(name.dropLast(8)) }
            if name.hasPrefix("область ") { return String(name.dropFirst(8)) }
            if name.hasPrefix("г. ") { return String(name.dropFirst(3)) }
        case .en:
            if name.hasSuffix(" Region") { return String(name.dropLast(7)) }
        }
        return name
    }

    /// Splits a long label into two lines at the space nearest the middle.
    static func labelLines(_ label: String) -> [String] {
        guard label.count > 12 else { return [label] }
        let characters = Array(label)
        let spaces = characters.indices.filter { characters[$0] == " " || characters[$0] == "-" }
        guard let split = spaces.min(by: { abs($0 - characters.count / 2) < abs($1 - characters.count / 2) }) else {
            return [label]
        }
        let keepHyphen = characters[split] == "-"
        return [String(characters[..<(keepHyphen ? split + 1 : split)]), String(characters[(split + 1)...])]
    }
}
