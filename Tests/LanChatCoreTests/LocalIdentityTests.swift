import Crypto
import LanChatCore
import Testing

@Suite("LocalIdentity")
struct LocalIdentityTests {
    @Test func sameSeedGivesTheSameIdentity() throws {
        let seed = [UInt8](repeating: 0x2a, count: 32)
        let first = try LocalIdentity(seed: seed)
        let second = try LocalIdentity(seed: first.seed)
        #expect(first.seed == seed)
        #expect(second.id == first.id)
        #expect(try LocalIdentity(seed: [UInt8](repeating: 0x2b, count: 32)).id != first.id)
    }

    @Test func signaturesVerifyUnderTheID() throws {
        let signer = try LocalIdentity(seed: [UInt8](repeating: 0x2a, count: 32))
        let again = try LocalIdentity(seed: signer.seed)
        let message = Array("the bytes".utf8)
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: signer.id.bytes)
        #expect(key.isValidSignature(signer.sign(message), for: message))
        #expect(key.isValidSignature(again.sign(message), for: message))
        #expect(!key.isValidSignature(signer.sign(message), for: Array("other bytes".utf8)))
    }

    @Test func idIsTheStandardEd25519PublicKeyOfTheSeed() throws {
        // RFC 8032 section 7.1, test 1.
        let seed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
        #expect(try LocalIdentity(seed: seed).id.bytes == hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))
    }

    @Test func generatedIdentitiesDiffer() {
        let first = LocalIdentity.generate(), second = LocalIdentity.generate()
        #expect(first.id != second.id)
        #expect(first.seed.count == 32)
    }

    @Test(arguments: [0, 31, 33, 64])
    func rejectsASeedOfTheWrongSize(count: Int) {
        #expect(throws: DecodeError.self) { try LocalIdentity(seed: [UInt8](repeating: 1, count: count)) }
    }

    private func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { offset in
            let start = text.index(text.startIndex, offsetBy: offset)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }
}
