/// The network keys a node holds: the one it seals with, and every one it opens with (the sending
/// key included). Several keys let a network rotate without a flag day: first every node also
/// accepts the new key, then every node sends with it, then the old one is dropped.
public struct NetworkKeyRing: Sendable {
    public static let maxKeys = 8

    public let sending: NetworkKey
    /// In the order given, the sending key first; no fingerprint twice.
    public let accepted: [NetworkKey]
    private let byFingerprint: [KeyFingerprint: NetworkKey]

    /// The first key sends; nil for an empty list.
    public init?(_ keys: [NetworkKey]) {
        guard let first = keys.first else { return nil }
        var seen: [KeyFingerprint: NetworkKey] = [:]
        var unique: [NetworkKey] = []
        for key in keys where seen[key.fingerprint] == nil {
            seen[key.fingerprint] = key
            unique.append(key)
        }
        sending = first
        accepted = unique
        byFingerprint = seen
    }

    public func key(_ fingerprint: KeyFingerprint) -> NetworkKey? { byFingerprint[fingerprint] }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case noKey
        case notAKey(line: Int)
        case tooMany(Int)

        public var description: String {
            switch self {
            case .noKey: "no key in it (make one with: lanchat keygen)"
            case .notAKey(let line): "line \(line) is not a network key (\(NetworkKey.textPrefix) and 64 hex digits)"
            case .tooMany(let count): "\(count) keys; at most \(NetworkKeyRing.maxKeys)"
            }
        }
    }

    /// The keys of a key file: one per line, in the order they are listed; blank lines and lines
    /// starting with `#` are ignored. The error never quotes a line: it may hold a key.
    public static func parse(_ text: String) throws(ParseError) -> [NetworkKey] {
        var keys: [NetworkKey] = []
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let content = String(line).trimmingWhitespace()
            guard !content.isEmpty, !content.hasPrefix("#") else { continue }
            guard let key = NetworkKey(text: String(content)) else { throw .notAKey(line: index + 1) }
            keys.append(key)
        }
        guard !keys.isEmpty else { throw .noKey }
        guard keys.count <= maxKeys else { throw .tooMany(keys.count) }
        return keys
    }
}
