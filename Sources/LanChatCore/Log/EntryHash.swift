import Crypto

/// SHA-256 of an entry's canonical bytes. Names one entry without ambiguity, also where two entries
/// share an author and a seq (a forked log): sync positions and, later, references use it.
public struct EntryHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(DecodeError) {
        guard bytes.count == Self.byteCount else {
            throw .invalid(field: "entry hash", reason: "must be \(Self.byteCount) bytes")
        }
        self.bytes = bytes
    }

    public init<C: Collection<UInt8>>(of encoded: C) {
        var hasher = SHA256()
        hasher.update(data: Array(encoded))
        bytes = Array(hasher.finalize())
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    /// The first bytes in hex: enough to tell entries apart in a log line.
    public var description: String { bytes.prefix(6).map { String($0, radix: 16).leftPadded(to: 2) }.joined() }
}

extension Entry {
    public var hash: EntryHash { EntryHash(of: encoded) }

    /// Where this entry puts its author's log: its seq and hash.
    public var tip: AuthorTip { AuthorTip(seq: seq, hash: hash) }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
