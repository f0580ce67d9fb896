import Foundation
@testable import LanChatStore
import Testing

/// What an entry links to is asked for every entry a filled gap completes and at every step of a fork
/// walk: an index must answer it, or each question reads all of its author's links.
@Suite("links of one entry")
struct LinkLookupTests {
    @Test func anIndexAnswersWhatAnEntryLinksTo() async throws {
        try await withTemporaryDirectory { directory in
            _ = try openStore(in: directory)
            let question = EntryStore.linksOfEntry.replacingOccurrences(of: "?", with: "x'00'")
            let plan = try sqlite3(storePath(in: directory), "EXPLAIN QUERY PLAN \(question)")
            #expect(plan.contains("INDEX link_by_entry (author=? AND hash=?)"), "\(plan)")
        }
    }
}
