/// Reads JSON only in the form the daemon's `JSONObjectWriter` writes (no spaces, known keys in sorted
/// order, each once, no nulls, integers without a fraction or a leading zero). A caller gets nil for
/// anything else and reads it with `JSONDecoder`, so what a line means never depends on which reader read it.
struct JSONLineReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// What `value` reads from the whole of `line`, or nil when it fails or leaves something after it.
    static func read<Value>(_ line: String, _ value: (inout JSONLineReader) -> Value?) -> Value? {
        var line = line
        return line.withUTF8 { bytes in
            var reader = JSONLineReader(bytes)
            guard let read = value(&reader), reader.index == bytes.count else { return nil }
            return read
        }
    }

    mutating func author() -> AuthorRef? {
        var id: String?, name: String?
        let read = object { reader, key in
            switch key {
            case "id": id = reader.string(); return id != nil
            case "name": name = reader.string(); return name != nil
            default: return false
            }
        }
        guard read, let id, let name else { return nil }
        return AuthorRef(id: id, name: name)
    }

    mutating func mentions() -> [MentionSpan]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var spans: [MentionSpan] = []
        if take(UInt8(ascii: "]")) { return spans }
        repeat {
            var id: String?, name: String?, offset: Int?, length: Int?
            let read = object { reader, key in
                switch key {
                case "id": id = reader.string(); return id != nil
                case "name": name = reader.string(); return name != nil
                case "offset": offset = reader.int(); return offset != nil
                case "length": length = reader.int(); return length != nil
                default: return false
                }
            }
            guard read, let id, let offset, let length else { return nil }
            spans.append(MentionSpan(offset: offset, length: length, id: id, name: name))
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? spans : nil
    }

    /// An object whose keys come in sorted order, each once; `field` reads the value of a key it knows.
    mutating func object(_ field: (inout JSONLineReader, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        var last: String?
        repeat {
            guard let key = string(), last.map({ $0.utf8.lexicographicallyPrecedes(key.utf8) }) ?? true,
                take(UInt8(ascii: ":")), field(&self, key)
            else { return false }
            last = key
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    mutating func bool() -> Bool? {
        if take("true") { return true }
        return take("false") ? false : nil
    }

    mutating func int() -> Int? {
        let negative = take(UInt8(ascii: "-"))
        let start = index
        var value = 0
        while index < bytes.count, let digit = Self.digit(bytes[index], radix: 10) {
            let (times, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowedAgain) = times.addingReportingOverflow(digit)
            guard !overflowed, !overflowedAgain else { return nil }
            value = sum
            index += 1
        }
        // A leading zero, or no digit at all, is not how the daemon writes a number.
        guard index > start, index == start + 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        return negative ? -value : value
    }

    private static func digit(_ byte: UInt8, radix: Int) -> Int? {
        let value: Int
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
        return value < radix ? value : nil
    }

    /// A string with the escapes `jsonLine` writes, and any other JSON escape of a whole Unicode scalar.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        var text: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    // A surrogate, paired or not, is left to JSONDecoder.
                    guard let unit = hex4(), !(0xD800...0xDFFF).contains(unit), let scalar = Unicode.Scalar(unit) else { return nil }
                    text.append(contentsOf: String(scalar).utf8)
                default: return nil
                }
            case 0..<0x20: return nil
            default: text.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            guard let digit = Self.digit(byte, radix: 16) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func take(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
            word.withUTF8Buffer({ expected in expected.elementsEqual(bytes[index..<index + count]) })
        else { return false }
        index += count
        return true
    }
}
