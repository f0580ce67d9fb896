import Foundation
import LanChatControl
import LanChatCore

/// Checks on the shapes the CLI prints.
enum Shapes {
    /// An author ID: 52 characters of lowercase RFC 4648 base32 (32 bytes).
    static func isAuthorID(_ text: String) -> Bool {
        text.count == 52 && text.allSatisfy { ("a"..."z").contains($0) || ("2"..."7").contains($0) }
            && AuthorID(text: text) != nil
    }

    /// The default name a new identity gets.
    static func isDefaultName(_ name: String) -> Bool {
        name.wholeMatch(of: /User [0-9]{4}/) != nil
    }

    /// An RFC 3339 timestamp (`2026-01-31T12:34:56.789Z` or with an offset).
    static func rfc3339Date(_ text: String) -> Date? {
        guard text.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})/) != nil
        else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The seq of a message ID `<author>/<seq>`.
    static func seq(ofMessageID id: String) -> Int? {
        guard let slash = id.lastIndex(of: "/") else { return nil }
        return Int(id[id.index(after: slash)...])
    }
}
