import LanChatCore
import Testing

// Shared setup for the sync machine tests: logs of signed entries, the sync vector of what one holds,
// and a store in memory that answers `SyncOutbound`'s reads.

/// Entries `seqs` of `author`'s log, each a short message.
func log(of author: LocalIdentity, _ seqs: ClosedRange<UInt64>) -> [Entry] {
    seqs.map { signedEntry(by: author, seq: $0, timestamp: (1_700_000_000_000 + $0) << 16, content: .profile(name: "n\($0)")) }
}

/// A long log, signed once for all tests that need more entries than a read chunk.
let longLog: [Entry] = log(of: try! identity(5), 1...4500)

/// The sync vector of a node holding `entries`: each author's highest entry as its one tip.
func syncVector(holding entries: [Entry]) -> SyncVector {
    var heads: [AuthorID: AuthorTip] = [:]
    for entry in entries where entry.seq > heads[entry.author]?.seq ?? 0 { heads[entry.author] = entry.tip }
    return SyncVector(heads: heads)
}

/// A vector naming `seq` of `author` with a made-up hash byte.
func tip(_ seq: UInt64, hash: UInt8 = 0xAB) -> AuthorTip {
    AuthorTip(seq: seq, hash: try! EntryHash(bytes: [UInt8](repeating: hash, count: EntryHash.byteCount)))
}

/// The encoded form of a vector, without a frame around it.
func encoded(_ vector: SyncVector) -> [UInt8] {
    var writer = ByteWriter()
    vector.encode(into: &writer)
    return writer.bytes
}

/// Decodes a whole byte string as one vector.
func decodeVector(_ bytes: [UInt8]) throws(DecodeError) -> SyncVector {
    var reader = ByteReader(bytes)
    let vector = try SyncVector.decode(from: &reader)
    try reader.finish()
    return vector
}

/// What an outbound half did, run to the end against a store.
struct OutboundRun {
    var reads: [(author: AuthorID, after: UInt64, limit: Int)] = []
    var frames: [SyncFrame] = []
    var sent = 0

    var entries: [Entry] { frames.flatMap { frame -> [Entry] in if case .entries(let entries) = frame { entries } else { [] } } }
}

/// Drives `outbound` to `finished`, answering reads from `store` (every author's entries, in seq order).
func run(_ outbound: SyncOutbound, store: [Entry]) -> OutboundRun {
    var outbound = outbound
    var result = OutboundRun()
    for _ in 0..<100_000 {
        switch outbound.next() {
        case .read(let author, let after, let limit):
            result.reads.append((author, after, limit))
            outbound.read(Array(store.filter { $0.author == author && $0.seq > after }.sorted { $0.seq < $1.seq }.prefix(limit)))
        case .send(let frame):
            result.frames.append(frame)
        case .finished(let sent):
            result.sent = sent
            return result
        }
    }
    Issue.record("the outbound half never finished")
    return result
}
