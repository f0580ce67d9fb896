import LanChatCore
import Testing

/// A `pushes` datagram carries one commit's entries: one author's, consecutive, each linking the one before,
/// so that the last signature vouches for all. Anything else is refused whole.
@Suite("datagram: pushes")
struct PushesDatagramTests {
    private static func datagram(_ entries: [Entry]) throws -> Datagram {
        Datagram(network: "lanchat", sender: try identity(1).id, body: .pushes(entries))
    }

    @Test(arguments: [2, 5])
    func aChainDecodesBackAsItWasSent(count: Int) throws {
        let sent = try Self.datagram(chain(of: try identity(1), count: count))
        let bytes = sent.encoded()
        #expect(bytes.count <= Datagram.maxBytes)
        #expect(try Datagram.decode(bytes) == sent)
        guard case .pushes(let entries) = sent.body else { return }
        #expect(bytes.count == Datagram.pushesOverhead(network: "lanchat") + entries.reduce(0) { $0 + $1.encoded.count })
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let entries: @Sendable () throws -> [Entry]
    }

    @Test(arguments: [
        Refusal(testDescription: "one entry (a push carries that)") { Array(chain(of: try identity(1), count: 1)) },
        Refusal(testDescription: "another author's entry linking the one before") {
            let first = chain(of: try identity(1), count: 1)[0]
            return [first, signedEntry(by: try identity(2), seq: 2, links: [first.tip], content: try message())]
        },
        Refusal(testDescription: "a gap in the seqs") {
            let log = chain(of: try identity(1), count: 3)
            return [log[0], log[2]]
        },
        Refusal(testDescription: "out of order") { chain(of: try identity(1), count: 2).reversed() },
        Refusal(testDescription: "the next seq, not linking the one before") {
            let author = try identity(1)
            let first = chain(of: author, count: 1)[0]
            return [first, signedEntry(by: author, seq: 2, links: [tip(1)], content: try message())]
        },
    ])
    func anythingButALinkedRunIsRefused(_ refusal: Refusal) throws {
        let bytes = try Self.datagram(try refusal.entries()).encoded()
        #expect(throws: DecodeError.self) { try Datagram.decode(bytes) }
    }

    @Test func trailingBytesAreRefused() throws {
        let bytes = try Self.datagram(chain(of: try identity(1), count: 2)).encoded()
        #expect(throws: DecodeError.self) { try Datagram.decode(bytes + [0]) }
    }

    /// What the receiver's burst check makes of one: a single signature, the last, for the whole run; a
    /// forged last entry costs its own check, the one before it vouches for the rest, and only it is lost.
    @Test func theLastSignatureVouchesForTheRun() throws {
        let author = try identity(1)
        let run = chain(of: author, count: 4)
        var checked = 0
        let whole = PushBurst.authentic(run) { batch in
            checked += batch.count
            return batch.map(\.hasValidSignature)
        }
        #expect(whole.authentic == run && whole.forged == 0 && checked == 1)

        let forged = try tampered(run[3])
        let decoded = try Datagram.decode(try Self.datagram(Array(run.prefix(3)) + [forged]).encoded())
        guard case .pushes(let entries) = decoded.body else {
            Issue.record("expected pushes, got \(decoded.body)")
            return
        }
        checked = 0
        let kept = PushBurst.authentic(entries) { batch in
            checked += batch.count
            return batch.map(\.hasValidSignature)
        }
        #expect(kept.authentic == Array(run.prefix(3)) && kept.forged == 1 && checked == 2)
    }
}
