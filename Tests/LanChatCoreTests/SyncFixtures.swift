@testable import LanChatCore
import Testing

// Shared setup for the sync machine tests: logs of signed entries, the sync vector of what one holds,
// and a store in memory that answers `SyncOutbound`'s reads.

/// A long log, signed once for all tests that need more entries than a read chunk.
let longLog: [Entry] = log(of: try! identity(5), 1...4500)

/// The sync vector of a node holding `entries`: each author's highest entry as its one tip.
func syncVector(holding entries: [Entry]) -> SyncVector {
    var heads: [AuthorID: AuthorTip] = [:]
    for entry in entries where entry.seq > heads[entry.author]?.seq ?? 0 { heads[entry.author] = entry.tip }
    return SyncVector(heads: heads)
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
    /// The entries asked for whole (the peer's `fetch` frame), as the half asked the store for them.
    var wholeReads: [[EntryRef]] = []
    var frames: [SyncFrame] = []
    var sent = 0

    var entries: [Entry] { frames.flatMap { frame -> [Entry] in if case .entries(let entries) = frame { entries } else { [] } } }
}

extension SyncOutbound {
    /// The plan of a sync where neither log forked: everything `theirs` lacks of `mine`.
    init(mine: SyncVector, theirs: SyncVector, bound: Int) {
        self.init(
            plan: mine.missing(in: theirs).map { Want(author: $0.author, after: $0.after, through: mine.highestSeq(of: $0.author)) },
            bound: bound)
    }
}

/// Drives `outbound` to `finished`, answering reads from `store` as the store does: the author's
/// entries after a seq, every branch, in seq then hash order.
func run(_ outbound: SyncOutbound, store: [Entry]) -> OutboundRun {
    var outbound = outbound
    var result = OutboundRun()
    for _ in 0..<100_000 {
        switch outbound.next() {
        case .read(let author, let after, let limit):
            result.reads.append((author, after, limit))
            outbound.read(Array(store.filter { $0.author == author && $0.seq > after }.sorted { $0.tip < $1.tip }.prefix(limit)))
        case .readWhole(let refs):
            result.wholeReads.append(refs)
            outbound.readWhole(store.filter { refs.contains($0.ref) })
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
