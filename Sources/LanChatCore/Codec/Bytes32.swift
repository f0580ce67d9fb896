/// 32 bytes held inline as four big-endian words: keys and hashes are compared, hashed and copied on
/// every hot path (dictionaries keyed by author, sets of hashes), and an array would cost a heap
/// allocation and reference counting each time.
public struct Bytes32: Hashable, Comparable, Sendable {
    public static let count = 32

    private let w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64

    /// Nil unless exactly 32 bytes.
    public init?<C: Collection<UInt8>>(_ bytes: C) {
        guard bytes.count == Self.count else { return nil }
        let words = Array(bytes).withUnsafeBytes { raw in
            (0..<4).map { UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
        (w0, w1, w2, w3) = (words[0], words[1], words[2], words[3])
    }

    public var array: [UInt8] {
        withUnsafeBytes(of: (w0.bigEndian, w1.bigEndian, w2.bigEndian, w3.bigEndian)) { Array($0) }
    }

    /// Word order is byte order, so this is the lexicographic order of the bytes.
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3) }

    /// Keys and hashes are uniformly random: one word spreads them as well as all four.
    public func hash(into hasher: inout Hasher) { hasher.combine(w0) }

    /// The first eight bytes as a number.
    public var prefix64: UInt64 { w0 }
}
