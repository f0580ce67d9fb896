/// A request written and read without `JSONEncoder` and `JSONDecoder`: together they cost a `send` more
/// than the rest of the client's work and a tenth of the daemon's. The bytes are `ControlJSON.encode`'s,
/// which a test holds; a line in any other form is read by `JSONDecoder`, as before.
extension ControlCommand {
    /// The request as one line: its JSON and a newline.
    public var jsonLine: [UInt8] {
        let fields = fields
        var out = JSONObjectWriter()
        out.object { request in
            request.field("body", fields.body)
            request.field("cmd", fields.cmd)
            request.field("code", fields.code)
            request.field("confirmation", fields.confirmation)
            request.field("id", fields.id)
            request.field("limit", fields.limit)
            request.mentions(fields.mentions)
            request.field("name", fields.name)
            request.field("passphrase", fields.passphrase)
            request.field("replyTo", fields.replyTo)
            request.field("room", fields.room)
            request.field("since", fields.since)
            request.field("to", fields.to)
        }
        out.bytes.append(UInt8(ascii: "\n"))
        return out.bytes
    }

    /// A request line in the form `jsonLine` writes, or nil for `JSONDecoder` to read. A line of that
    /// form that names no command the daemon can act on throws the failure `JSONDecoder`'s path throws.
    public init?(jsonLine line: String) throws(ControlFailure) {
        guard let fields = JSONLineReader.read(line, { $0.requestFields() }) else { return nil }
        try self.init(fields)
    }

    /// Any request line, as the daemon reads it: directly when it can, else through `JSONDecoder` (whose
    /// `DecodingError` means the line is not a request object at all).
    public init(requestLine line: String) throws {
        self = try ControlCommand(jsonLine: line) ?? ControlJSON.decode(ControlCommand.self, from: line)
    }
}

extension JSONLineReader {
    fileprivate mutating func requestFields() -> ControlCommand.Fields? {
        var fields = ControlCommand.Fields(cmd: "")
        var named = false
        let read = object { reader, key in
            switch key {
            case "body": fields.body = reader.string(); return fields.body != nil
            case "cmd":
                guard let cmd = reader.string() else { return false }
                fields.cmd = cmd
                named = true
                return true
            case "code": fields.code = reader.string(); return fields.code != nil
            case "confirmation": fields.confirmation = reader.string(); return fields.confirmation != nil
            case "id": fields.id = reader.string(); return fields.id != nil
            case "limit": fields.limit = reader.int(); return fields.limit != nil
            case "mentions": fields.mentions = reader.mentions(); return fields.mentions != nil
            case "name": fields.name = reader.string(); return fields.name != nil
            case "passphrase": fields.passphrase = reader.string(); return fields.passphrase != nil
            case "replyTo": fields.replyTo = reader.string(); return fields.replyTo != nil
            case "room": fields.room = reader.string(); return fields.room != nil
            case "since": fields.since = reader.string(); return fields.since != nil
            case "to": fields.to = reader.string(); return fields.to != nil
            default: return false
            }
        }
        return read && named ? fields : nil
    }
}
