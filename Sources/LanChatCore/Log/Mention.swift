/// A person named in a message's body by ID, not by name: the bytes `offset ..< offset + length` of the
/// body (UTF-8) are where the author's client wrote the name, and every reader shows that person's
/// current name there instead, so a mention survives a rename. PROTOCOL.md §2.3, kind 1, field type 1.
public struct Mention: Hashable, Sendable {
    /// UTF-8 byte offset into the body, on a scalar boundary.
    public let offset: Int
    /// UTF-8 bytes, at least one, ending on a scalar boundary.
    public let length: Int
    public let person: AuthorID

    public static let maxPerMessage = 32
    static let encodedBytes = 2 + 2 + AuthorID.byteCount
    /// The type of the payload field that carries a message's mentions.
    static let fieldType: UInt8 = 1

    public init(offset: Int, length: Int, person: AuthorID) {
        self.offset = offset
        self.length = length
        self.person = person
    }

    public var end: Int { offset + length }

    /// Whether a list of spans may be written over `body`: ordered, apart, inside it, on whole scalars.
    static func areValid(_ mentions: [Mention], in body: String) -> Bool {
        mentions.count <= maxPerMessage && kept(mentions, in: body).count == mentions.count
    }

    /// The spans a reader may trust: those in order, apart, inside the body and cutting no scalar,
    /// at most `maxPerMessage`. The rest are dropped rather than rejecting the message: a span is a
    /// hint for display, the text is what the author signed either way.
    static func kept(_ mentions: [Mention], in body: String) -> [Mention] {
        let utf8 = Array(body.utf8)
        var kept: [Mention] = []
        for mention in mentions.prefix(maxPerMessage) {
            // Compared without adding, so that no pair of numbers a request carries can overflow.
            guard mention.length > 0, mention.offset >= (kept.last?.end ?? 0), mention.offset <= utf8.count,
                mention.length <= utf8.count - mention.offset,
                isBoundary(mention.offset, in: utf8), isBoundary(mention.end, in: utf8)
            else { continue }
            kept.append(mention)
        }
        return kept
    }

    private static func isBoundary(_ offset: Int, in utf8: [UInt8]) -> Bool {
        // A UTF-8 continuation byte (10xxxxxx) is the only one a scalar does not start with.
        offset == utf8.count || utf8[offset] & 0xC0 != 0x80
    }

    /// The field's value: each span as offset (`u16`), length (`u16`), person (32 bytes).
    static func encode(_ mentions: [Mention]) -> ExtensionField {
        var writer = ByteWriter()
        for mention in mentions {
            writer.u16(UInt16(mention.offset))
            writer.u16(UInt16(mention.length))
            writer.raw(mention.person.bytes)
        }
        return ExtensionField(type: fieldType, value: writer.bytes)
    }

    /// The spans of the first mentions field; a value that is not whole spans yields none.
    static func decode(_ fields: [ExtensionField], body: String) -> [Mention] {
        guard let value = fields.first(where: { $0.type == fieldType })?.value, value.count % encodedBytes == 0 else { return [] }
        var reader = ByteReader(value)
        var mentions: [Mention] = []
        while reader.remaining > 0, mentions.count < maxPerMessage {
            guard let offset = try? reader.u16("mention offset"), let length = try? reader.u16("mention length"),
                let person = try? AuthorID(bytes: reader.raw(AuthorID.byteCount, "mention"))
            else { return [] }
            mentions.append(Mention(offset: Int(offset), length: Int(length), person: person))
        }
        return kept(mentions, in: body)
    }
}
