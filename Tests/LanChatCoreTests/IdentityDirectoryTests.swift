import LanChatCore
import Testing

@Suite("IdentityDirectory")
struct IdentityDirectoryTests {
    let alice: AuthorID, bob: AuthorID

    init() throws {
        alice = try identity(1).id
        bob = try identity(2).id
    }

    private func record(_ name: String, _ seq: UInt64) -> IdentityDirectory.Record {
        IdentityDirectory.Record(name: name, profileSeq: seq)
    }

    @Test(arguments: [[1, 2, 3], [3, 2, 1], [2, 3, 1], [3, 1, 2]] as [[UInt64]])
    func newestProfileWinsWhateverTheOrder(order: [UInt64]) {
        var directory = IdentityDirectory()
        for seq in order { directory.apply(author: alice, record: record("Name \(seq)", seq)) }
        #expect(directory.name(of: alice) == "Name 3")
        #expect(directory.records[alice] == record("Name 3", 3))
        #expect(directory.displayName(of: alice) == "Name 3")
    }

    @Test func applyReportsWhetherTheVisibleNameChanged() {
        var directory = IdentityDirectory()
        // (#expect cannot hold a mutating call, so the results are collected first.)
        let changed = [
            directory.apply(author: alice, record: record("Alice", 2)),
            directory.apply(author: alice, record: record("Old", 1)),  // older: ignored
            directory.apply(author: alice, record: record("Other", 2)),  // same seq: the first one stays
            directory.apply(author: alice, record: record("Alice", 3)),  // newer, same name
            directory.apply(author: alice, record: record("Alicia", 4)),
        ]
        #expect(changed == [true, false, false, false, true])
        #expect(directory.records[alice] == record("Alicia", 4))
    }

    @Test func unknownAuthorShowsTheShortID() {
        let directory = IdentityDirectory(records: [alice: record("Alice", 1)])
        #expect(directory.name(of: bob) == nil)
        #expect(directory.displayName(of: bob) == bob.short)
    }

    @Test func sameNameIsToldApartUntilOneRenames() {
        var directory = IdentityDirectory(records: [alice: record("Sam", 1), bob: record("Sam", 1)])
        #expect(directory.displayName(of: alice) == "Sam (\(alice.short))")
        #expect(directory.displayName(of: bob) == "Sam (\(bob.short))")

        directory.apply(author: bob, record: record("Bob", 2))
        #expect(directory.displayName(of: alice) == "Sam")
        #expect(directory.displayName(of: bob) == "Bob")

        directory.apply(author: alice, record: record("Bob", 3))
        #expect(directory.displayName(of: alice) == "Bob (\(alice.short))")
        #expect(directory.displayName(of: bob) == "Bob (\(bob.short))")
    }

    @Test func initialRecordsAreApplied() {
        let directory = IdentityDirectory(records: [alice: record("Alice", 4), bob: record("Bob", 1)])
        #expect(directory.records.count == 2)
        #expect(directory.displayName(of: alice) == "Alice")
        #expect(directory.displayName(of: bob) == "Bob")
    }
}
