import LanChatCore
import Testing

@Suite("AuthorID and EntryKey text forms")
struct IdentifierTextTests {
    @Test func authorIDText() throws {
        let id = try identity(1).id
        #expect(id.text.count == 52)
        #expect(id.text == Base32.encode(id.bytes))
        #expect(AuthorID(text: id.text) == id)
        #expect(AuthorID(text: id.text.uppercased()) == id)
    }

    @Test func authorIDShortForm() throws {
        let id = try identity(1).id
        #expect(id.short.count == AuthorID.shortLength)
        #expect(id.text.hasPrefix(id.short))
        #expect(id.description == id.short)
        #expect(try identity(2).id.short != id.short)
    }

    @Test func authorIDRejections() throws {
        let text = try identity(1).id.text
        #expect(AuthorID(text: String(text.dropLast())) == nil)
        #expect(AuthorID(text: text + "a") == nil)
        #expect(AuthorID(text: String(text.dropLast()) + "1") == nil)
        #expect(AuthorID(text: "") == nil)
        #expect(throws: DecodeError.self) { try AuthorID(bytes: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: DecodeError.self) { try AuthorID(bytes: [UInt8](repeating: 0, count: 33)) }
    }

    @Test func authorIDOrderIsByteOrder() throws {
        let low = try AuthorID(bytes: [0x00] + [UInt8](repeating: 0xff, count: 31))
        let high = try AuthorID(bytes: [0x01] + [UInt8](repeating: 0x00, count: 31))
        #expect(low < high)
        #expect(!(high < low))
    }

    @Test func entryKeyTextRoundTrip() throws {
        let key = EntryKey(author: try identity(3).id, seq: 12_345)
        #expect(key.text == "\(key.author.text)/12345")
        #expect(EntryKey(text: key.text) == key)
        // Seqs end at 2^63 - 1 (they are stored as SQLite's signed integers).
        let largest = EntryKey(author: key.author, seq: (1 << 63) - 1)
        #expect(EntryKey(text: largest.text) == largest)
        #expect(EntryKey(text: EntryKey(author: key.author, seq: 1 << 63).text) == nil)
        #expect(EntryKey(text: EntryKey(author: key.author, seq: .max).text) == nil)
    }

    @Test func entryKeyRejections() throws {
        let author = try identity(3).id.text
        for text in ["\(author)/0", "\(author)/", "\(author)/x", "\(author)/-1", "\(author)", "abc/1", "\(author)/1/2", ""] {
            #expect(EntryKey(text: text) == nil, "\(text) was accepted")
        }
    }

    @Test func entryKeyOrder() throws {
        let a = try identity(1).id, b = try identity(2).id
        let (low, high) = a < b ? (a, b) : (b, a)
        #expect(EntryKey(author: low, seq: 9) < EntryKey(author: high, seq: 1))
        #expect(EntryKey(author: low, seq: 1) < EntryKey(author: low, seq: 2))
    }
}
