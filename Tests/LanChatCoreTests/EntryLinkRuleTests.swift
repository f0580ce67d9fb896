import LanChatCore
import Testing

/// The links an entry's header must carry: none at seq 1; after it, the entry at seq − 1 and, for a
/// merge, other earlier tips, strictly ascending, at most `Entry.maxLinks`.
@Suite("Entry links")
struct EntryLinkRuleTests {
    static let author = try! identity(1)

    struct LinkCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let seq: UInt64
        let links: [AuthorTip]
        /// The error, or nil if the entry decodes.
        let error: DecodeError?
    }

    static func invalid(_ field: String, _ reason: String) -> DecodeError { .invalid(field: field, reason: reason) }

    @Test(arguments: [
        LinkCase(testDescription: "the first entry, no links", seq: 1, links: [], error: nil),
        LinkCase(testDescription: "the predecessor", seq: 2, links: [tip(1)], error: nil),
        LinkCase(testDescription: "a merge of an older tip", seq: 5, links: [tip(2), tip(4)], error: nil),
        LinkCase(testDescription: "a merge of a fork at one seq", seq: 5, links: [tip(4, hash: 1), tip(4, hash: 2)], error: nil),
        LinkCase(testDescription: "eight links", seq: 9, links: (1...8).map { tip($0) }, error: nil),
        LinkCase(testDescription: "the first entry linking", seq: 1, links: [tip(1)],
                 error: invalid("links", "the first entry links to nothing")),
        LinkCase(testDescription: "a later entry linking nothing", seq: 2, links: [],
                 error: invalid("links", "an entry after the first links to its predecessor")),
        LinkCase(testDescription: "no link to seq - 1", seq: 3, links: [tip(1)], error: invalid("links", "must include the entry at seq 2")),
        LinkCase(testDescription: "out of order", seq: 3, links: [tip(2), tip(1)], error: invalid("links", "must be strictly ascending")),
        LinkCase(testDescription: "one link twice", seq: 3, links: [tip(2), tip(2)], error: invalid("links", "must be strictly ascending")),
        LinkCase(testDescription: "a link to itself", seq: 3, links: [tip(2), tip(3)], error: invalid("link seq", "must be below the entry's seq")),
        LinkCase(testDescription: "a link above", seq: 3, links: [tip(9)], error: invalid("link seq", "must be below the entry's seq")),
        LinkCase(testDescription: "a link to seq 0", seq: 3, links: [tip(0), tip(2)], error: invalid("link seq", "must be below the entry's seq")),
        LinkCase(testDescription: "nine links", seq: 10, links: (1...9).map { tip($0) }, error: .oversized(field: "links", size: 9, limit: 8)),
    ])
    func linkRules(_ scenario: LinkCase) {
        let bytes = craftedEntry(author: Self.author, seq: scenario.seq, kind: 1, links: scenario.links, payload: messagePayload())
        #expect(decodeFailure(bytes) == scenario.error)
    }

    @Test func decodedLinksAreTheSignedOnes() throws {
        let links = [tip(3, hash: 1), tip(6, hash: 2), tip(6, hash: 3)]
        let entry = try Entry.decode(craftedEntry(author: Self.author, seq: 7, kind: 1, links: links, payload: messagePayload()))
        #expect(entry.links == links)
    }

    /// `Entry.sign` puts links in the wire order, whatever order it is given them in.
    @Test func signingSortsTheLinks() throws {
        let entry = signedEntry(by: Self.author, seq: 5, links: [tip(4, hash: 2), tip(2), tip(4, hash: 1)], content: try message())
        #expect(entry.links == [tip(2), tip(4, hash: 1), tip(4, hash: 2)])
        #expect(try Entry.decode(entry.encoded) == entry)
    }

    @Test func aChainLinksEachEntryToTheOneBefore() throws {
        let entries = chain(of: Self.author, count: 4)
        #expect(entries[0].links.isEmpty)
        for (earlier, later) in zip(entries, entries.dropFirst()) { #expect(later.links == [earlier.tip]) }
        for entry in entries { #expect(try Entry.decode(entry.encoded) == entry) }
    }
}
