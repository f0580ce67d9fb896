/// A typed, length-prefixed optional field: how later versions add to headers and payloads without a
/// format change. A decoder keeps the fields it does not know (they are part of what was signed or
/// hashed) and ignores them when it shows the entry.
public struct ExtensionField: Hashable, Sendable {
    public let type: UInt8
    public let value: [UInt8]

    public init(type: UInt8, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    /// A block of fields: u16 total length, then each field as type (u8), length (u16), value.
    static func encode(_ fields: [ExtensionField], into writer: inout ByteWriter) {
        writer.u16(UInt16(fields.reduce(0) { $0 + 3 + $1.value.count }))
        encodeFields(fields, into: &writer)
    }

    /// The fields alone, for a block that runs to the end of a payload.
    static func encodeFields(_ fields: [ExtensionField], into writer: inout ByteWriter) {
        for field in fields {
            writer.u8(field.type)
            writer.u16(UInt16(field.value.count))
            writer.raw(field.value)
        }
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> [ExtensionField] {
        let length = Int(try reader.u16("extensions length"))
        var block = ByteReader(try reader.sized(length, limit: Entry.maxExtensionBytes, "extensions"))
        return try decodeFields(from: &block)
    }

    /// Fields until the reader is exhausted.
    static func decodeFields(from reader: inout ByteReader) throws(DecodeError) -> [ExtensionField] {
        var fields: [ExtensionField] = []
        while reader.remaining > 0 {
            let type = try reader.u8("extension type")
            let value = try reader.raw(Int(try reader.u16("extension length")), "extension value")
            fields.append(ExtensionField(type: type, value: value))
        }
        return fields
    }
}
