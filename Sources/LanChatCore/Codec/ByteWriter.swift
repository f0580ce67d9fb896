/// Appends big-endian integers and byte strings: the only way the canonical encoding is produced.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func u8(_ value: UInt8) { bytes.append(value) }

    public mutating func u16(_ value: UInt16) { appendBigEndian(value) }

    public mutating func u32(_ value: UInt32) { appendBigEndian(value) }

    public mutating func u64(_ value: UInt64) { appendBigEndian(value) }

    public mutating func raw<C: Collection<UInt8>>(_ value: C) { bytes.append(contentsOf: value) }

    /// A string prefixed by its UTF-8 length in one byte; callers validate the length first.
    public mutating func shortString(_ value: String) {
        let utf8 = Array(value.utf8)
        precondition(utf8.count <= Int(UInt8.max), "shortString longer than 255 bytes")
        u8(UInt8(utf8.count))
        raw(utf8)
    }

    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
