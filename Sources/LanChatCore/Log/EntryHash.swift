import Crypto

/// SHA-256 of an entry's canonical bytes. Names one entry without ambiguity, also where two entries
/// share an author and a seq (a forked log): sync positions and, later, references use it.
public struct EntryHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    private let value: Bytes32

    public var bytes: [UInt8] { value.array }

    public init(bytes: [UInt8]) throws(DecodeError) {
        guard let value = Bytes32(bytes) else {
            throw .invalid(field: "entry hash", reason: "must be \(Self.byteCount) bytes")
        }
        self.value = value
    }

    public init<C: Collection<UInt8>>(of encoded: C) {
        var hasher = SHA256()
        hasher.update(data: Array(encoded))
        value = Bytes32(Array(hasher.finalize()))!  // SHA-256 gives 32 bytes
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    /// The first eight bytes as a number: a digest, a fingerprint.
    public var prefix64: UInt64 { value.prefix64 }

    /// The first bytes in hex: enough to tell entries apart in a log line.
    public var description: String { Hex.encode(Array(bytes.prefix(6))) }
}
