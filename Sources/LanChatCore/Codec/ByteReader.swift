/// Why a decoder refused its input. Every decoder in lanchat reports one of these, never traps.
public enum DecodeError: Error, Equatable, Sendable {
    case truncated(field: String)
    case trailingBytes(count: Int)
    case oversized(field: String, size: Int, limit: Int)
    case unsupportedVersion(UInt8)
    case invalid(field: String, reason: String)
}

/// Reads the canonical encoding back, bounds-checked at every step.
public struct ByteReader: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init<C: Collection<UInt8>>(_ bytes: C) {
        self.bytes = Array(bytes)
        self.offset = 0
    }

    public var remaining: Int { bytes.count - offset }

    public mutating func u8(_ field: String) throws(DecodeError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u16(_ field: String) throws(DecodeError) -> UInt16 {
        try bigEndian(field)
    }

    public mutating func u32(_ field: String) throws(DecodeError) -> UInt32 {
        try bigEndian(field)
    }

    public mutating func u64(_ field: String) throws(DecodeError) -> UInt64 {
        try bigEndian(field)
    }

    public mutating func raw(_ count: Int, _ field: String) throws(DecodeError) -> [UInt8] {
        try need(count, field)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A byte string whose length prefix was already read, checked against a limit before any copy.
    public mutating func sized(_ count: Int, limit: Int, _ field: String) throws(DecodeError) -> [UInt8] {
        guard count <= limit else { throw .oversized(field: field, size: count, limit: limit) }
        return try raw(count, field)
    }

    public mutating func utf8(_ count: Int, limit: Int, _ field: String) throws(DecodeError) -> String {
        let data = try sized(count, limit: limit, field)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .invalid(field: field, reason: "not valid UTF-8")
        }
        return text
    }

    /// The bytes read since `start` (an earlier `offset`).
    public func bytes(from start: Int) -> [UInt8] {
        Array(bytes[start..<offset])
    }

    public func finish() throws(DecodeError) {
        if remaining != 0 { throw .trailingBytes(count: remaining) }
    }

    private func need(_ count: Int, _ field: String) throws(DecodeError) {
        if count < 0 || remaining < count { throw .truncated(field: field) }
    }

    private mutating func bigEndian<T: FixedWidthInteger>(_ field: String) throws(DecodeError) -> T {
        let size = MemoryLayout<T>.size
        try need(size, field)
        var value: T = 0
        for index in offset..<offset + size {
            value = value << 8 | T(bytes[index])
        }
        offset += size
        return value
    }
}
