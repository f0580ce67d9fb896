import LanChatCore
import Testing

/// Random and mutated input must only ever produce a `DecodeError` (the typed throw guarantees the
/// type; the test guarantees no trap), and anything accepted must be canonical.
@Suite("Decoders on random input")
struct EntryDecodeFuzzTests {
    @Test func entryDecodeOnRandomBytes() throws {
        var random = SplitMix64(seed: 0x1A2C_4A7)
        let valid = signedEntry(by: try identity(7), content: try message(body: "fuzz")).encoded
        var accepted = 0
        for round in 0..<2_000 {
            let bytes: [UInt8]
            switch round % 4 {
            case 0:  // anything at all
                bytes = random.bytes(count: Int.random(in: 0...300, using: &random))
            case 1:  // the right version, so the header parser is exercised
                bytes = [Entry.formatVersion] + random.bytes(count: Int.random(in: 0...300, using: &random))
            case 2:  // a valid entry with a few bytes changed
                var mutated = valid
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    mutated[Int.random(in: 0..<mutated.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                bytes = mutated
            default:  // a valid entry cut short or extended
                let cut = Int.random(in: 0...valid.count, using: &random)
                bytes = Array(valid.prefix(cut)) + random.bytes(count: Int.random(in: 0...3, using: &random))
            }
            if let entry = try? Entry.decode(bytes) {
                #expect(entry.encoded == bytes)
                accepted += 1
            }
        }
        // Only an untouched valid entry can pass (a mutation may rewrite a byte with its own value).
        #expect(accepted < 2_000 / 4)
    }

    @Test func unsignedDecodeOnMutatedEntries() throws {
        // Without the signature check the content parsers see every mutation.
        var random = SplitMix64(seed: 99)
        let valid = signedEntry(
            by: try identity(7), content: try message(body: "fuzz", replyTo: EntryKey(author: try identity(8).id, seq: 3))
        ).encoded
        for _ in 0..<2_000 {
            var mutated = valid
            let index = Int.random(in: Entry.headerBytes..<valid.count - Entry.signatureBytes, using: &random)
            mutated[index] = UInt8.random(in: 0...255, using: &random)
            if let entry = try? Entry.decode(mutated, verifySignature: false) {
                #expect(entry.encoded == mutated)
            }
        }
    }

    @Test func versionVectorDecodeOnRandomBytes() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            var reader = ByteReader(random.bytes(count: Int.random(in: 0...120, using: &random)))
            _ = try? VersionVector.decode(from: &reader)
        }
    }
}
