import LanChatCore
import Testing

/// The delete and edit kinds: what they carry survives the round trip, and an edit obeys the rules for
/// writing a message.
@Suite("delete and edit entries")
struct EditDeleteContentTests {
    private let target = EntryRef(author: try! identity(1).id, seq: 4, hash: EntryHash(of: [4]))

    @Test func aDeleteNamesItsTargetWithItsHash() throws {
        let entry = Entry.sign(
            by: try identity(1), seq: 5, timestamp: HybridTimestamp(wallMillis: 10, counter: 0), links: [tip(4)],
            content: .delete(target: target))
        let decoded = try Entry.decode(entry.encoded)
        #expect(decoded.kind == .delete)
        #expect(try decoded.content() == .delete(target: target))
    }

    @Test func anEditCarriesItsNewText() throws {
        let content = try EntryContent.edit(of: target, validating: "new text ✓")
        let entry = Entry.sign(
            by: try identity(1), seq: 5, timestamp: HybridTimestamp(wallMillis: 10, counter: 0), links: [tip(4)], content: content)
        #expect(try Entry.decode(entry.encoded).content() == content)
    }

    @Test(arguments: ["", String(repeating: "x", count: Limits.maxBodyBytes + 1)])
    func anEditBreakingTheBodyRulesIsRefused(body: String) {
        #expect(throws: DecodeError.self) { try EntryContent.edit(of: target, validating: body) }
    }
}
