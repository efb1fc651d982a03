import AimaqCore
import Foundation
import OpinionMap

/// The opinion map drawn on the server as SVG: each fine cluster of participants is a disc
/// whose area follows its size, coloured by its group; each group's letter sits at its
/// centre; the signed-in participant is a ringed dot. Filtered to a region, only that
/// region's participants are counted. The picture has a text equivalent: the group sections
/// and the table by region say the same in words and figures.
enum OpinionMapDrawing {
    static let width = 640.0
    static let height = 400.0
    static let margin = 28.0

    static func svg(_ map: OpinionMap, snapshot: ConversationSnapshot, region: KATOCode?, me: Int?, _ page: PageContext) -> Node {
        let counts: [Int] = region.map { snapshot.baseClustersByRegion[$0.regionNumber] ?? [] }
            ?? map.baseClusters.map(\.memberCount)
        let mine = me.flatMap { id in map.participants.first { $0.id == id } }
        // Bounds over every cluster (not only those shown), so a region's map lines up with
        // the whole country's.
        var xs = map.baseClusters.map(\.x)
        var ys = map.baseClusters.map(\.y)
        if let mine {
            xs.append(mine.x)
            ys.append(mine.y)
        }
        let (minX, maxX) = (xs.min() ?? -1, xs.max() ?? 1)
        let (minY, maxY) = (ys.min() ?? -1, ys.max() ?? 1)
        let scale = min((width - 2 * margin) / max(maxX - minX, 1e-9), (height - 2 * margin) / max(maxY - minY, 1e-9))
        let offsetX = (width - (maxX - minX) * scale) / 2
        let offsetY = (height - (maxY - minY) * scale) / 2
        func point(_ x: Double, _ y: Double) -> (String, String) {
            (format(offsetX + (x - minX) * scale), format(height - offsetY - (y - minY) * scale))
        }
        let largest = Double(max(1, counts.max() ?? 1))
        let title = region.flatMap { page.tree[$0] }.map { page.t("conversation.map.titleRegion", ["region": $0.name[page.language]]) }
            ?? page.t("conversation.map.title")
        return el("svg", attributes: [
            Attribute("viewBox", "0 0 \(Int(width)) \(Int(height))"), .class("opinion-map"), Attribute("role", "img"),
            .aria("labelledby", "opinion-map-title opinion-map-desc"),
        ]) {
            el("title", .id("opinion-map-title")) { title }
            el("desc", .id("opinion-map-desc")) {
                map.groups.map { page.t("conversation.map.groupDesc", ["group": ConversationViews.letter($0.id),
                                                                       "count": String($0.memberCount)]) }
                    .joined(separator: "; ")
            }
            el("line", Attribute("x1", format(margin / 2)), Attribute("y1", format(height / 2)),
                 Attribute("x2", format(width - margin / 2)), Attribute("y2", format(height / 2)), .class("axis"))
            el("line", Attribute("x1", format(width / 2)), Attribute("y1", format(margin / 2)),
                 Attribute("x2", format(width / 2)), Attribute("y2", format(height - margin / 2)), .class("axis"))
            for cluster in map.baseClusters where cluster.id < counts.count && counts[cluster.id] > 0 {
                let (cx, cy) = point(cluster.x, cluster.y)
                let radius = 3 + 15 * (Double(counts[cluster.id]) / largest).squareRoot()
                el("circle", Attribute("cx", cx), Attribute("cy", cy), Attribute("r", format(radius)),
                     .class("cluster g\(cluster.group % 6)"))
            }
            for group in map.groups {
                let (x, y) = point(group.x, group.y)
                el("text", Attribute("x", x), Attribute("y", y), .class("group-label")) { ConversationViews.letter(group.id) }
            }
            if let mine {
                let (x, y) = point(mine.x, mine.y)
                el("circle", Attribute("cx", x), Attribute("cy", y), Attribute("r", "7"), .class("me"))
                el("text", Attribute("x", x), Attribute("y", format((Double(y) ?? 0) - 12)), .class("me-label")) {
                    page.t("conversation.map.you")
                }
            }
        }
    }

    static func format(_ value: Double) -> String {
        String(Double(Int((value * 10).rounded())) / 10)
    }
}
