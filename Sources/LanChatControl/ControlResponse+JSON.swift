/// The answers a `send` and most small requests get (`ok`, and the message when there is one), written
/// and read without `JSONEncoder` and `JSONDecoder`, as requests are (`ControlCommand+JSON`). Any other
/// answer goes through them; the bytes are `ControlJSON.encode`'s either way, which a test holds.
extension ControlResponse {
    /// The answer as one line: its JSON and a newline.
    public var jsonLine: [UInt8] {
        var plain = ControlResponse(ok: ok)
        plain.message = message
        guard plain == self else { return Array((ControlJSON.encode(self) + "\n").utf8) }
        var out = JSONObjectWriter()
        out.object { response in
            if let message { response.object("message") { $0.fields(of: message) } }
            response.field("ok", ok)
        }
        out.bytes.append(UInt8(ascii: "\n"))
        return out.bytes
    }

    /// An answer of only `ok` and `message` in the form `jsonLine` writes, or nil for `JSONDecoder` to read.
    public init?(jsonLine line: String) {
        guard let response = JSONLineReader.read(line, { $0.plainResponse() }) else { return nil }
        self = response
    }
}

extension JSONLineReader {
    fileprivate mutating func plainResponse() -> ControlResponse? {
        var ok: Bool?, message: ChatEvent?
        let read = object { reader, key in
            switch key {
            case "message": message = reader.event(); return message != nil
            case "ok": ok = reader.bool(); return ok != nil
            default: return false
            }
        }
        guard read, let ok else { return nil }
        var response = ControlResponse(ok: ok)
        response.message = message
        return response
    }
}
