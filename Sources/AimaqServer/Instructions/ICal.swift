import AimaqCore
import Foundation
import Vapor

/// The iCalendar (RFC 5545) text of the private deadline feed: dates, escaping, line folding.
enum ICal {
    static func date(_ d: CivilDate) -> String { d.description.replacingOccurrences(of: "-", with: "") }

    static func timestamp(_ date: Date) -> String {
        UTCTime.compact(milliseconds: Int64((date.timeIntervalSince1970 * 1_000).rounded(.down)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets are folded (RFC 5545 §3.1), never inside a character.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(character)
            count += size
        }
        return result
    }
}
