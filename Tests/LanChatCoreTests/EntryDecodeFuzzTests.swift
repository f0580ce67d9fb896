import LanChatCore
import Testing

/// Random and mutated input must only ever produce a `DecodeError` (the typed throw guarantees the
/// type; the test guarantees no trap), and anything accepted must be canonical: it encodes back to
/// exactly the bytes it came from. Each test also checks that both outcomes happened, so a decoder that
/// accepted or refused everything would fail it.
@Suite("Decoders on random input")
struct EntryDecodeFuzzTests {
    /// How many inputs a decoder accepted and refused; every accepted one must re-encode to its bytes.
    struct Tally {
        var accepted = 0
        var refused = 0

        mutating func check(_ bytes: [UInt8], _ decode: ([UInt8]) throws -> [UInt8]) {
            do {
                let reencoded = try decode(bytes)
                #expect(reencoded == bytes)
                accepted += 1
            } catch {
                #expect(error is DecodeError)
                refused += 1
            }
        }
    }

    /// `bytes` with 1 to `most` bytes overwritten at random.
    static func mutated(_ bytes: [UInt8], most: Int = 4, in range: Range<Int>? = nil, using random: inout SplitMix64) -> [UInt8] {
        var copy = bytes
        for _ in 0..<Int.random(in: 1...most, using: &random) {
            copy[Int.random(in: range ?? 0..<copy.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
        }
        return copy
    }

    @Test func entryDecodeOnRandomAndMutatedBytes() throws {
        var random = SplitMix64(seed: 0x1A2C_4A7)
        let valid = signedEntry(by: try identity(7), content: try message(body: "fuzz")).encoded
        var garbage = Tally(), damaged = Tally()
        damaged.check(valid) { try Entry.decode($0).encoded }  // the control: the entry itself passes
        for round in 0..<2_000 {
            switch round % 4 {
            case 0:  // anything at all
                garbage.check(random.bytes(count: Int.random(in: 0...300, using: &random))) { try Entry.decode($0).encoded }
            case 1:  // the right version, so the header parser is exercised
                garbage.check([Entry.formatVersion] + random.bytes(count: Int.random(in: 0...300, using: &random))) { try Entry.decode($0).encoded }
            case 2:  // a valid entry with a few bytes changed
                damaged.check(Self.mutated(valid, using: &random)) { try Entry.decode($0).encoded }
            default:  // a valid entry cut short or extended
                let cut = Int.random(in: 0...valid.count, using: &random)
                damaged.check(Array(valid.prefix(cut)) + random.bytes(count: Int.random(in: 0...3, using: &random))) { try Entry.decode($0).encoded }
            }
        }
        // Random bytes never carry a valid signature; a damaged entry passes only if it is still the valid one.
        #expect(garbage.accepted == 0)
        #expect(damaged.refused > 900)
        #expect(damaged.accepted >= 1)
    }

    @Test func contentDecodeOnMutatedPayloads() throws {
        // A mutated payload fails its signed hash, so each is signed afresh: the content parsers see every mutation.
        var random = SplitMix64(seed: 99)
        let author = try identity(7)
        let reply = EntryRef(author: try identity(8).id, seq: 3, hash: EntryHash(of: [3]))
        let payload = messagePayload(reply: reply, body: Array("fuzz".utf8), extensions: extensionBytes([(0x40, [1, 2])]))
        var tally = Tally()
        for _ in 0..<2_000 {
            let bytes = craftedEntry(author: author, kind: 1, payload: Self.mutated(payload, most: 1, using: &random))
            tally.check(bytes) { try Entry.decode($0).encoded }
        }
        #expect(tally.accepted > 0 && tally.refused > 0)
    }

    @Test func syncVectorDecodeOnMutatedVectors() {
        var random = SplitMix64(seed: 7)
        let authors = ([1, 2, 3] as [UInt8]).map { try! identity($0).id }
        let valid = encoded(SyncVector([authors[0]: [tip(1), tip(2, hash: 5)], authors[1]: [tip(7)], authors[2]: [tip(1 << 40)]]))
        var tally = Tally()
        for round in 0..<2_000 {
            let bytes = round % 2 == 0
                ? Self.mutated(valid, using: &random)
                : Array(valid.prefix(Int.random(in: 0...valid.count, using: &random))) + random.bytes(count: Int.random(in: 0...2, using: &random))
            tally.check(bytes) { encoded(try decodeVector($0)) }
        }
        #expect(tally.accepted > 0 && tally.refused > 0)
    }

    @Test func syncFrameDecodeOnMutatedFrames() throws {
        var random = SplitMix64(seed: 11)
        let alice = try identity(1)
        let frames: [[UInt8]] = [
            SyncFrame.hello(
                versions: [2], port: 7420,
                .init(network: "lanchat", sender: alice.id, challenge: [UInt8](repeating: 3, count: 32), token: [UInt8](repeating: 4, count: 16))
            ).encoded(),
            SyncFrame.vector(SyncVector(heads: [alice.id: tip(4)])).encoded(),
            SyncFrame.entries(log(of: alice, 1...3)).encoded(),
            SyncFrame.forks(Checkpoints([alice.id: [tip(1), tip(2, hash: 1), tip(2, hash: 2)]])).encoded(),
            SyncFrame.done(more: true).encoded(),
        ]
        var tally = Tally()
        for round in 0..<2_000 {
            let frame = frames[round % frames.count]
            let bytes = round % 3 == 0
                ? Array(frame.prefix(Int.random(in: 0...frame.count, using: &random)))
                : Self.mutated(frame, most: 2, using: &random)
            tally.check(bytes) { bytes in
                let frame = try SyncFrame.decode(bytes)
                switch frame {
                case .hello(_, _, nil), .helloReply(_, nil):
                    // Past a list of versions this build does not speak nothing is read: what was read is a prefix.
                    #expect(bytes.starts(with: frame.encoded()))
                    return bytes
                default:
                    return frame.encoded()
                }
            }
        }
        #expect(tally.accepted > 0 && tally.refused > 0)
    }
}
