@testable import LanChatCore
import Testing

/// The network key's text form, its fingerprint and key files; the test vector is PROTOCOL.md's,
/// computed with Python's `cryptography` (HKDF-SHA256, ChaCha20-Poly1305), not with this code.
@Suite("network key: text, fingerprint, key files")
struct NetworkKeyTests {
    static let keyText = "lanchat-network-key-v1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    static let key = NetworkKey(text: keyText)!

    @Test func theFingerprintIsTheDocumentedOne() {
        #expect(Self.key.fingerprint.description == "c33209d11b86d25f")
        #expect(KeyFingerprint(text: "c33209d11b86d25f") == Self.key.fingerprint)
    }

    @Test func aKeyReadsBackWithItsLineEnd() throws {
        let key = try #require(NetworkKey(text: Self.keyText + "\r\n"))
        #expect(key.fingerprint == Self.key.fingerprint)
        let upper = NetworkKey.textPrefix + Self.keyText.dropFirst(NetworkKey.textPrefix.count).uppercased()
        #expect(NetworkKey(text: upper)?.fingerprint == Self.key.fingerprint)
    }

    @Test(arguments: [
        "", "lanchat-network-key-v1:", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "lanchat-network-key-v1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e",
        "lanchat-network-key-v1:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f00",
        "lanchat-network-key-v1:g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1",
        "lanchat-network-key-v2:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    ])
    func malformedKeysAreRefused(_ text: String) {
        #expect(NetworkKey(text: text) == nil)
    }

    /// Logs and errors print keys by accident; the description shows only the fingerprint.
    @Test func aKeyNeverPrintsItself() {
        #expect("\(Self.key)" == "network key c33209d11b86d25f")
        #expect(!"\(Self.key)".contains("0001020304"))
    }

    @Test func aKeyFileListsKeysInOrderSkippingCommentsAndBlankLines() throws {
        let other = randomKeyText()
        let keys = try NetworkKeyRing.parse("# rotation, phase 2\n\n  \(other)  \r\n# old\n\(Self.keyText)\n")
        #expect(keys.map(\.fingerprint) == [NetworkKey(text: other)!.fingerprint, Self.key.fingerprint])
        let ring = try #require(NetworkKeyRing(keys + keys))
        #expect(ring.sending.fingerprint == keys[0].fingerprint)
        #expect(ring.accepted.count == 2)
        #expect(ring.key(Self.key.fingerprint) != nil && ring.key(KeyFingerprint(value: 7)) == nil)
    }

    @Test func aBadKeyFileSaysWhichLineWithoutQuotingIt() {
        #expect(throws: NetworkKeyRing.ParseError.notAKey(line: 2)) { try NetworkKeyRing.parse("# x\nsecret-ish\n") }
        #expect(throws: NetworkKeyRing.ParseError.noKey) { try NetworkKeyRing.parse("# only a comment\n") }
        let nine = (0..<9).map { _ in randomKeyText() }.joined(separator: "\n")
        #expect(throws: NetworkKeyRing.ParseError.tooMany(9)) { try NetworkKeyRing.parse(nine) }
        #expect(!"\(NetworkKeyRing.ParseError.notAKey(line: 2))".contains("secret"))
    }
}

/// A random key in text form (what `lanchat keygen` prints; LanChatControl's `NetworkKeyText` is tested apart).
func randomKeyText() -> String {
    NetworkKey.textPrefix + Hex.encode(SecureRandom.bytes(32))
}
