import LanChatCore
import Testing

/// The directory tells look-alike names apart by short ID, and flags a word of mixed scripts.
@Suite("look-alike names: the directory")
struct LookAlikeDirectoryTests {
    let alice: AuthorID, cyrillic: AuthorID, digit: AuthorID, bob: AuthorID

    init() throws {
        alice = try identity(1).id
        cyrillic = try identity(2).id
        digit = try identity(3).id
        bob = try identity(4).id
    }

    private func directory(_ names: [AuthorID: String]) -> IdentityDirectory {
        IdentityDirectory(records: names.mapValues { IdentityDirectory.Record(name: $0, profileSeq: 1) })
    }

    @Test func lookAlikesGetTheShortIDAndAMixedWordTheMarkToo() {
        let directory = directory([alice: "Alice", cyrillic: "\u{410}lice", digit: "A1ice", bob: "Bob"])
        #expect(directory.displayName(of: alice) == "Alice (\(alice.short))")
        #expect(directory.displayName(of: cyrillic) == "\u{410}lice \(IdentityDirectory.mixedScriptMark) (\(cyrillic.short))")
        #expect(directory.displayName(of: digit) == "A1ice (\(digit.short))")
        #expect(directory.displayName(of: bob) == "Bob")
        #expect(directory.find("alice") == [alice], "a name typed finds that name, not its look-alikes")
        #expect(directory.find("A1ice") == [digit])
    }

    /// The marks come only from the directory: a name that carries one, or shows nothing, gets its own.
    @Test func aNameImitatingTheShortIDOrTheMarkOrShowingNothingGetsItsOwnShortID() {
        let forged = "Alice (\(alice.short))"
        let directory = directory([
            alice: "Alice", cyrillic: "Alice", digit: forged, bob: "\u{3164}",
        ])
        #expect(directory.displayName(of: alice) == "Alice (\(alice.short))")
        #expect(directory.displayName(of: digit) == "\(forged) (\(digit.short))")
        #expect(directory.displayName(of: bob) == "\u{3164} (\(bob.short))")
        let marked = self.directory([alice: "Alice", cyrillic: "Alice \(IdentityDirectory.mixedScriptMark) (x)"])
        #expect(marked.displayName(of: cyrillic).hasSuffix("(\(cyrillic.short))"))
        #expect(self.directory([bob: "Bob (ops)"]).displayName(of: bob) == "Bob (ops) (\(bob.short))")
    }

    @Test func namesThatOnlyDifferInCaseAreToldApart() {
        let directory = directory([alice: "ALICE", bob: "alice"])
        #expect(directory.displayName(of: alice) == "ALICE (\(alice.short))")
        #expect(directory.displayName(of: bob) == "alice (\(bob.short))")
    }

    @Test func differentNamesAreNot() {
        let directory = directory([alice: "Alice", bob: "Alicia", digit: "Alice \u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}\u{430}"])
        #expect(directory.displayName(of: alice) == "Alice")
        #expect(directory.displayName(of: bob) == "Alicia")
        #expect(directory.displayName(of: digit) == "Alice \u{418}\u{432}\u{430}\u{43D}\u{43E}\u{432}\u{430}")
    }

    @Test func aMixedWordIsFlaggedWithNoOneToPassFor() {
        let directory = directory([cyrillic: "\u{410}lice"])
        #expect(directory.displayName(of: cyrillic) == "\u{410}lice \(IdentityDirectory.mixedScriptMark) (\(cyrillic.short))")
    }

    @Test func aRenameOutOfTheLookEndsTheSuffix() {
        var directory = directory([alice: "Alice", digit: "A1ice"])
        directory.apply(author: digit, record: .init(name: "Dora", profileSeq: 2))
        #expect(directory.displayName(of: alice) == "Alice")
        #expect(directory.displayName(of: digit) == "Dora")
    }

    @Test func aPublishedNameThatReadsAsAGivenOneOrTheMarkIsToldApart() {
        let cyrillicBoss = "\u{412}\u{43E}\u{455}\u{455}"  // all Cyrillic: no word mixes scripts
        var directory = directory([alice: "Robert", bob: cyrillicBoss, digit: "\u{2DC}Robert"])
        #expect(directory.displayName(of: bob) == cyrillicBoss)
        #expect(directory.displayName(of: digit) == "\u{2DC}Robert (\(digit.short))", "a small tilde passes for the mark")
        directory.setAlias("Boss", for: alice)
        #expect(directory.displayName(of: alice) == "~Boss")
        #expect(directory.displayName(of: bob) == "\(cyrillicBoss) (\(bob.short))")
        directory.setAlias(nil, for: alice)
        #expect(directory.displayName(of: bob) == cyrillicBoss)
    }
}
