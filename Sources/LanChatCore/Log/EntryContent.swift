/// What an entry says, by kind. Validation lives here so local writes and received entries obey the same rules.
public enum EntryContent: Hashable, Sendable {
    case message(Message)
    /// `dmKey`: the key direct messages to this author are sealed to (an extension field, type 1).
    case profile(name: String, dmKey: DirectMessageKey?)
    /// Text for a few people only: stored and relayed by everyone, readable by its recipients.
    case directMessage(SealedDirectMessage)
    /// The author and `device` are one person's devices (once `device` signs one naming the author too).
    case link(device: AuthorID, role: DeviceLinks.Role)
    /// `device` is no longer the author's person's; its entries after `lastSeq` are its own.
    case unlink(device: AuthorID, lastSeq: UInt64)
    /// The author withdraws one of its own messages: every node drops that message's payload.
    case delete(target: EntryRef)
    /// The author replaces the text of one of its own messages; the newest edit (highest seq) is shown.
    case edit(target: EntryRef, body: String)
    /// A kind this version does not know: stored and relayed as is.
    case unknown(kind: EntryKind, payload: [UInt8])

    public struct Message: Hashable, Sendable {
        public let room: String
        public let body: String
        public let replyTo: EntryRef?
        /// People named in the body by ID (`Mention`), in order.
        public let mentions: [Mention]

        public init(room: String, body: String, replyTo: EntryRef? = nil, mentions: [Mention] = []) throws(DecodeError) {
            try Self.validate(room: room)
            try EntryContent.validate(body: body)
            guard Mention.areValid(mentions, in: body) else {
                throw .invalid(field: "mentions", reason: "must be at most \(Mention.maxPerMessage) spans, in order, apart, on whole characters of the body")
            }
            self.room = room
            self.body = body
            self.replyTo = replyTo
            self.mentions = mentions
        }

        public static func validate(room: String) throws(DecodeError) {
            guard SafeName.isValid(room, maxBytes: Limits.maxRoomBytes) else {
                throw .invalid(field: "room", reason: "must be 1 to \(Limits.maxRoomBytes) characters of a-z, 0-9, '-', '_' and '.'")
            }
        }
    }

    public var kind: EntryKind {
        switch self {
        case .message: .message
        case .profile: .profile
        case .delete: .delete
        case .edit: .edit
        case .directMessage: .directMessage
        case .link: .link
        case .unlink: .unlink
        case .unknown(let kind, _): kind
        }
    }

    public static func validate(body: String) throws(DecodeError) {
        guard body.utf8.count <= Limits.maxBodyBytes else {
            throw .oversized(field: "body", size: body.utf8.count, limit: Limits.maxBodyBytes)
        }
        guard !body.isEmpty else { throw .invalid(field: "body", reason: "is empty") }
    }

    public static func validate(name: String) throws(DecodeError) {
        guard !name.isEmpty, name.count <= Limits.maxNameCharacters, name.utf8.count <= Limits.maxNameBytes else {
            throw .invalid(field: "name", reason: "must be 1 to \(Limits.maxNameCharacters) characters")
        }
        guard name.trimmingWhitespace() == name else {
            throw .invalid(field: "name", reason: "must not start or end with a space")
        }
        let hasControl = name.unicodeScalars.contains { scalar in
            // The zero-width joiner builds emoji like 👩‍💻; it cannot hide or reorder text.
            if scalar == "\u{200D}" { return false }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
        guard !hasControl else { throw .invalid(field: "name", reason: "must not contain control characters") }
    }

    init(kind: EntryKind, payload: [UInt8]) throws(DecodeError) {
        var reader = ByteReader(payload)
        switch kind {
        case .message:
            let flags = try reader.u8("message flags")
            guard flags & ~MessageFlags.known == 0 else {
                throw .invalid(field: "message flags", reason: "unknown bits set")
            }
            let room = try reader.utf8(Int(try reader.u8("room length")), limit: Limits.maxRoomBytes, "room")
            let reply = flags & MessageFlags.reply != 0 ? try EntryRef.decode(from: &reader, "reply") : nil
            let bodyLength = Int(try reader.u16("body length"))
            let body = try reader.utf8(bodyLength, limit: Limits.maxBodyBytes, "body")
            let fields = try ExtensionField.decodeFields(from: &reader)
            self = .message(try Message(room: room, body: body, replyTo: reply, mentions: Mention.decode(fields, body: body)))
            return
        case .profile:
            let name = try reader.utf8(Int(try reader.u8("name length")), limit: Limits.maxNameBytes, "name")
            try Self.validate(name: name)
            let fields = try ExtensionField.decodeFields(from: &reader)
            self = .profile(name: name, dmKey: fields.first { $0.type == ProfileField.dmKey }.flatMap { DirectMessageKey(bytes: $0.value) })
            return
        case .directMessage:
            self = .directMessage(try SealedDirectMessage.decode(from: &reader))
        case .link:
            let raw = try reader.u8("link role")
            guard let role = DeviceLinks.Role(rawValue: raw) else { throw .invalid(field: "link role", reason: "unknown role \(raw)") }
            self = .link(device: try AuthorID(bytes: reader.raw(AuthorID.byteCount, "device")), role: role)
        case .unlink:
            let device = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "device"))
            let lastSeq = try reader.u64("last seq")
            guard lastSeq < 1 << 63 else { throw .invalid(field: "last seq", reason: "must be below 2^63") }
            self = .unlink(device: device, lastSeq: lastSeq)
        case .delete:
            self = .delete(target: try EntryRef.decode(from: &reader, "target"))
        case .edit:
            let target = try EntryRef.decode(from: &reader, "target")
            let body = try reader.utf8(Int(try reader.u16("body length")), limit: Limits.maxBodyBytes, "body")
            try Self.validate(body: body)
            self = .edit(target: target, body: body)
        default:
            self = .unknown(kind: kind, payload: payload)
            return
        }
        // Fields a later version added: well formed, and skipped.
        _ = try ExtensionField.decodeFields(from: &reader)
    }

    func encodedPayload() -> [UInt8] {
        var writer = ByteWriter()
        switch self {
        case .message(let message):
            writer.u8(message.replyTo == nil ? 0 : MessageFlags.reply)
            writer.shortString(message.room)
            message.replyTo?.encode(into: &writer)
            writer.u16(UInt16(message.body.utf8.count))
            writer.raw(message.body.utf8)
            if !message.mentions.isEmpty { ExtensionField.encodeFields([Mention.encode(message.mentions)], into: &writer) }
        case .profile(let name, let dmKey):
            writer.shortString(name)
            if let dmKey { ExtensionField.encodeFields([ExtensionField(type: ProfileField.dmKey, value: dmKey.bytes)], into: &writer) }
        case .directMessage(let sealed):
            sealed.encode(into: &writer)
        case .link(let device, let role):
            writer.u8(role.rawValue)
            writer.raw(device.bytes)
        case .unlink(let device, let lastSeq):
            writer.raw(device.bytes)
            writer.u64(lastSeq)
        case .delete(let target):
            target.encode(into: &writer)
        case .edit(let target, let body):
            target.encode(into: &writer)
            writer.u16(UInt16(body.utf8.count))
            writer.raw(body.utf8)
        case .unknown(_, let payload):
            writer.raw(payload)
        }
        return writer.bytes
    }
}

private enum ProfileField {
    static let dmKey: UInt8 = 1
}

private enum MessageFlags {
    static let reply: UInt8 = 1
    static let known: UInt8 = reply
}

extension String {
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}

extension EntryContent {
    /// An edit of a message, its new text checked against the rules for writing one.
    public static func edit(of target: EntryRef, validating body: String) throws(DecodeError) -> EntryContent {
        try validate(body: body)
        return .edit(target: target, body: body)
    }

    /// A profile that publishes no direct-message key (as profiles did before there were direct messages).
    public static func profile(name: String) -> EntryContent { .profile(name: name, dmKey: nil) }

    /// A profile entry for a name a person typed, checked against the same rules receivers apply.
    public static func profile(validating name: String, dmKey: DirectMessageKey?) throws(DecodeError) -> EntryContent {
        try validate(name: name)
        return .profile(name: name, dmKey: dmKey)
    }
}
