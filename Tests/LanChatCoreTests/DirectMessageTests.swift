@testable import LanChatCore
import Testing

/// Direct messages: sealed for their recipients and author alone; PROTOCOL.md's example (§2.3, kind 5),
/// computed with Python's `cryptography` (X25519, HKDF-SHA256, ChaCha20-Poly1305), not with this code.
@Suite("direct messages: sealing")
struct DirectMessageTests {
    static let alice = try! LocalIdentity(seed: Array(1...32)), bob = try! LocalIdentity(seed: Array(repeating: 0x42, count: 32))
    static let carol = try! identity(3)
    static let example = SealedDirectMessage.Randomness(ephemeral: Array(repeating: 7, count: 32), messageKey: Array(repeating: 0x0C, count: 32))

    @Test func theKeysAreTheDocumentedOnes() {
        #expect(Hex.encode(Self.alice.directMessageKey.publicKey.bytes) == "66e4bd94edf02446a731cba1600031914d856ef54210c9d4891d83e78c860d0c")
        #expect(Hex.encode(Self.bob.directMessageKey.publicKey.bytes) == "2c530d61df55b6b5460c4737a175bc9301ecbfb5860c1a80714156e74c88f013")
        #expect(Self.bob.directMessageKey.publicKey.keyID == 0x76d7_a820_50c2_ced6)
    }

    @Test func theSealedPayloadIsTheDocumentedOne() throws {
        let sealed = try SealedDirectMessage.seal(
            "hi Bob", from: Self.alice.id, to: [Self.bob.directMessageKey.publicKey, Self.alice.directMessageKey.publicKey],
            randomness: Self.example)
        let payload = EntryContent.directMessage(sealed).encodedPayload()
        #expect(Hex.encode(payload) == "0113be4feaeaf204c7fd3358fc9c00721881d174278128227ec674f37f7fe97b6dd45e20975bb90c62f647d269d71332ccbd34511a7fc06708882c15296c81d76e0276d7a82050c2ced63905477d1430b6ad285a4b08ab1247d2749e02a8e49f4dfd21bf27057eae4e7ee8672b85b348fe20bf34747062389bdaba8596468efecb0365d9ff0dce02e9794a821f47142ce50d0f685eeae6b90782e2fa3d8ab73e3813b5385705bc5fd214bc12423bdcd4d3120050fd528226e9798ce053e3a2405e8335be58c8a62d848df03445cb0356f6986115aa3f43eeea5e1bbd16a677be72ff9bb7ccd9d11bd8f88c4dca667a1d4978f7bf4b28c20a00e65abe02c659c07baaeca9")
        #expect(try EntryContent(kind: .directMessage, payload: payload) == .directMessage(sealed))
    }

    @Test func theRecipientAndTheAuthorReadItAndNobodyElse() throws {
        let sealed = try SealedDirectMessage.seal(
            "lunch at 12?", from: Self.alice.id, to: [Self.bob.directMessageKey.publicKey, Self.alice.directMessageKey.publicKey])
        #expect(sealed.open(with: Self.bob.directMessageKey, author: Self.alice.id) == "lunch at 12?")
        #expect(sealed.open(with: Self.alice.directMessageKey, author: Self.alice.id) == "lunch at 12?")
        #expect(!sealed.isAddressed(to: Self.carol.directMessageKey.publicKey))
        #expect(sealed.open(with: Self.carol.directMessageKey, author: Self.alice.id) == nil)
    }

    /// Copied into another author's entry (to pass it off as theirs), it no longer opens.
    @Test func anotherAuthorCannotClaimIt() throws {
        let sealed = try SealedDirectMessage.seal("from Alice", from: Self.alice.id, to: [Self.bob.directMessageKey.publicKey])
        #expect(sealed.open(with: Self.bob.directMessageKey, author: Self.carol.id) == nil)
    }

    @Test func anyFlippedBitFailsToOpenOrToDecode() throws {
        let sealed = try SealedDirectMessage.seal("hi", from: Self.alice.id, to: [Self.bob.directMessageKey.publicKey], randomness: Self.example)
        let payload = EntryContent.directMessage(sealed).encodedPayload()
        for index in 0..<payload.count {
            var altered = payload
            altered[index] ^= 0x10
            guard case .directMessage(let changed)? = try? EntryContent(kind: .directMessage, payload: altered) else { continue }
            #expect(changed.open(with: Self.bob.directMessageKey, author: Self.alice.id) == nil, "byte \(index) altered, still opens")
        }
    }

    /// Its length says which bucket the text falls in, no more.
    @Test(arguments: [(1, 64), (62, 64), (63, 256), (1000, 1024), (4000, 4096), (16 * 1024, 16 * 1024 + 2)])
    func textIsPaddedToABucket(length: Int, bucket: Int) throws {
        let sealed = try SealedDirectMessage.seal(
            String(repeating: "x", count: length), from: Self.alice.id, to: [Self.bob.directMessageKey.publicKey])
        #expect(sealed.ciphertext.count == bucket + 16)
        #expect(sealed.open(with: Self.bob.directMessageKey, author: Self.alice.id)?.count == length)
    }

    @Test func recipientsAreBoundedAndKeysListedOnce() throws {
        let key = Self.bob.directMessageKey.publicKey
        #expect(try SealedDirectMessage.seal("x", from: Self.alice.id, to: [key, key]).recipients.count == 1)
        let many = try (1...17).map { try identity(UInt8($0)).directMessageKey.publicKey }
        #expect(throws: DecodeError.self) { try SealedDirectMessage.seal("x", from: Self.alice.id, to: many) }
        #expect(throws: DecodeError.self) { try SealedDirectMessage.seal("", from: Self.alice.id, to: [key]) }
    }

    @Test func aProfileCarriesItsKeyAndOldProfilesNone() throws {
        let key = Self.bob.directMessageKey.publicKey
        let profile = EntryContent.profile(name: "Bob", dmKey: key)
        #expect(try EntryContent(kind: .profile, payload: profile.encodedPayload()) == profile)
        let old = EntryContent.profile(name: "Bob")
        #expect(try EntryContent(kind: .profile, payload: old.encodedPayload()) == old)
    }
}

@Suite("identity directory: finding people")
struct DirectoryFindTests {
    @Test func byIDShortIDOrNameInAnyCase() throws {
        let alice = try identity(1).id, bob = try identity(2).id, other = try identity(3).id
        let directory = IdentityDirectory(records: [
            alice: .init(name: "Alice", profileSeq: 1), bob: .init(name: "Bob", profileSeq: 1), other: .init(name: "Bob", profileSeq: 1),
        ])
        #expect(directory.find("alice") == [alice])
        #expect(directory.find(alice.text) == [alice])
        #expect(directory.find(String(alice.text.prefix(8))) == [alice])
        #expect(directory.find("Bob") == [bob, other].sorted())
        #expect(directory.find("Bob (\(bob.short))") == [bob])
        #expect(directory.find("nobody").isEmpty)
        #expect(directory.find(String(alice.text.prefix(3))).isEmpty)
    }
}
