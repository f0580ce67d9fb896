import LanChatCore
import Testing

/// Every number that arrives from the network is range-checked where it is decoded (issue 9): one row
/// per field and bad value, built by changing one field of a valid datagram or frame. Probe id, digest
/// and total are free-form (an id is only echoed, a digest only compared, a total compared and clamped
/// where it is shown), so their extremes are accepted.
@Suite("decoded fields: ranges")
struct DecodedFieldRangeTests {
    enum Outcome: Equatable, Sendable {
        case accepted
        /// Refused, naming this field.
        case refused(String)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]
        let outcome: Outcome
    }

    static let sender = try! LocalIdentity(seed: Array(repeating: 5, count: 32)).id
    static let hintID = try! LocalIdentity(seed: Array(repeating: 6, count: 32)).id
    static let network = "lanchat"
    /// magic, version, network length, network, sender: the type byte follows.
    static let typeOffset = 2 + 1 + 1 + network.utf8.count + AuthorID.byteCount

    static func datagram(_ body: Datagram.Body) -> [UInt8] {
        Datagram(network: network, sender: sender, body: body).encoded()
    }

    static func ping(id: UInt32 = 1, digest: UInt64 = 2, total: UInt64 = 3, hints: Int = 1, host: String = "10.0.0.2", port: UInt16 = 7420) -> [UInt8] {
        datagram(.ping(Datagram.Probe(
            id: id, digest: digest, total: total,
            hints: Array(repeating: PeerHint(id: hintID, address: PeerAddress(host: host, port: port)), count: hints))))
    }

    /// A `pushes` datagram of the first `count` entries of one author's log.
    static func pushes(_ count: Int) -> [UInt8] {
        datagram(.pushes(chain(of: try! LocalIdentity(seed: Array(repeating: 6, count: 32)), count: count)))
    }

    static func patched(_ bytes: [UInt8], at offset: Int, _ replacement: [UInt8]) -> [UInt8] {
        var bytes = bytes
        bytes.replaceSubrange(offset..<offset + replacement.count, with: replacement)
        return bytes
    }

    static let authors = (0..<5).map { try! LocalIdentity(seed: Array(repeating: UInt8(20 + $0), count: 32)).id }

    /// An author's key, encoded as a want or a probe's recent entries carry it.
    static func key(_ author: Int) -> [UInt8] { Array(authors[author].bytes) + u64(UInt64(author + 1)) }

    /// A want of the first `count` authors.
    static func want(_ count: Int) -> [UInt8] {
        datagram(.want((0..<count).map { EntryKey(author: authors[$0], seq: UInt64($0 + 1)) }))
    }

    static func u64(_ value: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

    /// Offset of the hint count in a ping: type, probe id, digest, total.
    static let hintCountOffset = typeOffset + 1 + 4 + 8 + 8
    static let firstHostLengthOffset = hintCountOffset + 1 + AuthorID.byteCount

    /// A ping without hints carrying one membership update, given as its kind byte and what follows the subject.
    static func update(kind: UInt8, incarnation: UInt64, port: [UInt8] = [0x1c, 0xfc], signature: Int = 0) -> [UInt8] {
        Array(ping(hints: 0).dropLast(1)) + [1, kind] + Array(hintID.bytes) + u64(incarnation) + [8] + Array("10.0.0.2".utf8) + port
            + Array(repeating: 7, count: signature)
    }

    static let updateRows: [Row] = [
        Row(testDescription: "suspect at incarnation 0", bytes: update(kind: 2, incarnation: 0), outcome: .accepted),
        Row(testDescription: "offline at incarnation 2^63-1", bytes: update(kind: 3, incarnation: 1 << 63 - 1), outcome: .accepted),
        Row(testDescription: "suspect at incarnation 2^63", bytes: update(kind: 2, incarnation: 1 << 63), outcome: .refused("incarnation")),
        Row(testDescription: "suspect at incarnation 2^64-1", bytes: update(kind: 2, incarnation: .max), outcome: .refused("incarnation")),
        Row(testDescription: "alive at incarnation 1 (its signature is checked later, by the replicator)", bytes: update(kind: 1, incarnation: 1, signature: 64), outcome: .accepted),
        Row(testDescription: "alive at incarnation 0", bytes: update(kind: 1, incarnation: 0, signature: 64), outcome: .refused("incarnation")),
        Row(testDescription: "alive with a short signature", bytes: update(kind: 1, incarnation: 1, signature: 63), outcome: .refused("alive signature")),
        // What follows the updates is read as the probe's recent entries, which these bytes are not.
        Row(testDescription: "suspect with a signature", bytes: update(kind: 2, incarnation: 1, signature: 64), outcome: .refused("recent")),
        Row(testDescription: "update kind 0", bytes: update(kind: 0, incarnation: 1), outcome: .refused("update kind")),
        Row(testDescription: "update kind 4", bytes: update(kind: 4, incarnation: 1), outcome: .refused("update kind")),
        Row(testDescription: "update port 0", bytes: update(kind: 2, incarnation: 1, port: [0, 0]), outcome: .refused("port")),
        Row(testDescription: "9 updates", bytes: Array(ping(hints: 0).dropLast(1)) + [9], outcome: .refused("updates")),
        Row(testDescription: "an update count past the end", bytes: Array(ping(hints: 0).dropLast(1)) + [1], outcome: .refused("update kind")),
    ]

    static let datagramRows: [Row] = [
        Row(testDescription: "a valid ping", bytes: ping(), outcome: .accepted),
        Row(testDescription: "probe id, digest, total at 0: free-form", bytes: ping(id: 0, digest: 0, total: 0), outcome: .accepted),
        Row(testDescription: "probe id, digest, total at their maximum: free-form", bytes: ping(id: .max, digest: .max, total: .max), outcome: .accepted),
        Row(testDescription: "protocol version 0", bytes: patched(ping(), at: 2, [0]), outcome: .refused("protocol version")),
        Row(testDescription: "the next protocol version", bytes: patched(ping(), at: 2, [Datagram.protocolVersion + 1]), outcome: .refused("protocol version")),
        Row(testDescription: "network length 33", bytes: [0x4C, 0x43, Datagram.protocolVersion, 33] + Array(repeating: 0x61, count: 33) + Array(ping()[(4 + 7)...]), outcome: .refused("network")),
        Row(testDescription: "type 0", bytes: patched(ping(), at: typeOffset, [0]), outcome: .refused("type")),
        Row(testDescription: "type 10", bytes: patched(ping(), at: typeOffset, [10]), outcome: .refused("type")),
        Row(testDescription: "pushes of 2 entries", bytes: pushes(2), outcome: .accepted),
        Row(testDescription: "pushes counting 1 entry", bytes: patched(pushes(2), at: typeOffset + 1, [1]), outcome: .refused("entry count")),
        Row(testDescription: "pushes counting 9 entries", bytes: patched(pushes(2), at: typeOffset + 1, [9]), outcome: .refused("entry count")),
        Row(testDescription: "pushes counting 3 of 2 entries", bytes: patched(pushes(2), at: typeOffset + 1, [3]), outcome: .refused("version")),
        Row(testDescription: "8 hints", bytes: ping(hints: 8), outcome: .accepted),
        Row(testDescription: "9 hints", bytes: patched(ping(hints: 8), at: hintCountOffset, [9]), outcome: .refused("hints")),
        Row(testDescription: "255 hints", bytes: patched(ping(hints: 8), at: hintCountOffset, [255]), outcome: .refused("hints")),
        Row(testDescription: "hint host length 0", bytes: Array(ping(hints: 0)) .dropLast(2) + [1] + Array(hintID.bytes) + [0, 0x1c, 0xfc, 0], outcome: .refused("host")),
        Row(testDescription: "hint host length past the end", bytes: patched(ping(), at: firstHostLengthOffset, [200]), outcome: .refused("host")),
        Row(testDescription: "hint port 0", bytes: ping(port: 1).dropLast(2) + [0, 0], outcome: .refused("port")),
        Row(testDescription: "ping request port 0", bytes: datagram(.pingRequest(probeID: 1, target: PeerAddress(host: "10.0.0.2", port: 1))).dropLast(2) + [0, 0], outcome: .refused("port")),
        Row(testDescription: "indirect ack port 0", bytes: datagram(.indirectAck(probeID: 1, target: PeerAddress(host: "10.0.0.2", port: 1))).dropLast(2) + [0, 0], outcome: .refused("port")),
        Row(testDescription: "ping request host length 0", bytes: datagram(.pingRequest(probeID: 1, target: PeerAddress(host: "1", port: 1))).dropLast(4) + [0, 0, 1], outcome: .refused("host")),
        Row(testDescription: "announce seq 1", bytes: datagram(.announce(EntryKey(author: hintID, seq: 1))), outcome: .accepted),
        Row(testDescription: "announce seq 2^63-1", bytes: datagram(.announce(EntryKey(author: hintID, seq: 1 << 63 - 1))), outcome: .accepted),
        Row(testDescription: "announce seq 0", bytes: datagram(.announce(EntryKey(author: hintID, seq: 1))).dropLast(8) + u64(0), outcome: .refused("seq")),
        Row(testDescription: "announce seq 2^63", bytes: datagram(.announce(EntryKey(author: hintID, seq: 1))).dropLast(8) + u64(1 << 63), outcome: .refused("seq")),
        Row(testDescription: "announce seq 2^64-1", bytes: datagram(.announce(EntryKey(author: hintID, seq: 1))).dropLast(8) + u64(.max), outcome: .refused("seq")),
        Row(testDescription: "want after seq 0", bytes: datagram(.want([EntryKey(author: hintID, seq: 0)])), outcome: .accepted),
        Row(testDescription: "want of 4 authors", bytes: want(4), outcome: .accepted),
        Row(testDescription: "want of 5 authors", bytes: patched(want(4), at: typeOffset + 1, [5]) + key(4), outcome: .refused("wanted")),
        Row(testDescription: "want of none", bytes: Array(want(1).prefix(typeOffset + 1)) + [0], outcome: .refused("wanted")),
        Row(testDescription: "want naming an author twice", bytes: patched(want(1), at: typeOffset + 1, [2]) + key(0), outcome: .refused("wanted")),
        Row(testDescription: "want seq 2^63", bytes: want(1).dropLast(8) + u64(1 << 63), outcome: .refused("seq")),
        Row(testDescription: "ping naming 4 recent entries", bytes: ping(hints: 0) + [4] + key(0) + key(1) + key(2) + key(3), outcome: .accepted),
        Row(testDescription: "ping naming 5 recent entries", bytes: ping(hints: 0) + [5] + (0..<5).flatMap(key), outcome: .refused("recent")),
        Row(testDescription: "ping naming recent seq 0", bytes: ping(hints: 0) + [1] + key(0).dropLast(8) + u64(0), outcome: .refused("seq")),
        Row(testDescription: "1,201 bytes", bytes: ping() + Array(repeating: 0, count: Datagram.maxBytes + 1 - ping().count), outcome: .refused("datagram")),
    ]

    static func field(of error: DecodeError) -> String {
        switch error {
        case .truncated(let field), .oversized(let field, _, _), .invalid(let field, _): field
        case .unsupportedVersion: "protocol version"
        case .trailingBytes: "trailing bytes"
        }
    }

    /// Decodes the row's bytes and compares what happened with the row's outcome.
    static func check(_ row: Row, _ decode: ([UInt8]) throws(DecodeError) -> Void) {
        do {
            try decode(row.bytes)
            #expect(row.outcome == .accepted)
        } catch {
            #expect(row.outcome == .refused(field(of: error)), "\(error)")
        }
    }

    @Test(arguments: datagramRows + updateRows)
    func datagramFields(_ row: Row) {
        Self.check(row) { bytes throws(DecodeError) in _ = try Datagram.decode(bytes) }
    }

    static let hello = SyncFrame.hello(
        versions: [Datagram.protocolVersion], port: 7420,
        .init(network: network, sender: sender, challenge: Array(repeating: 9, count: 32), token: Array(repeating: 8, count: 16))).encoded()
    /// tag, version count, version: the port follows.
    static let helloPortOffset = 1 + 1 + 1

    static let frameRows: [Row] = [
        Row(testDescription: "a valid hello", bytes: hello, outcome: .accepted),
        // Port 0 in a hello is documented: the peer does not listen (its address is not learnt).
        Row(testDescription: "hello port 0: none", bytes: patched(hello, at: helloPortOffset, [0, 0]), outcome: .accepted),
        Row(testDescription: "hello version 0", bytes: patched(hello, at: 2, [0]), outcome: .refused("protocol versions")),
        Row(testDescription: "hello of no version", bytes: patched(hello, at: 1, [0]), outcome: .refused("protocol version count")),
        Row(testDescription: "hello of 9 versions", bytes: patched(hello, at: 1, [9]), outcome: .refused("protocol version count")),
        // Read as far as its port: the node answers with its own versions instead of closing silently.
        Row(testDescription: "a hello of the next version only", bytes: patched(hello, at: 2, [Datagram.protocolVersion + 1]), outcome: .accepted),
        Row(testDescription: "frame type 0", bytes: patched(hello, at: 0, [0]), outcome: .refused("frame type")),
        Row(testDescription: "frame type 200", bytes: patched(hello, at: 0, [200]), outcome: .refused("frame type")),
        Row(testDescription: "done, more 0", bytes: SyncFrame.done(more: false).encoded(), outcome: .accepted),
        Row(testDescription: "done, more 2", bytes: patched(SyncFrame.done(more: true).encoded(), at: 1, [2]), outcome: .refused("more")),
        Row(testDescription: "done, more 255", bytes: patched(SyncFrame.done(more: true).encoded(), at: 1, [255]), outcome: .refused("more")),
        Row(testDescription: "entries, count 0", bytes: SyncFrame.entries([]).encoded(), outcome: .accepted),
        Row(testDescription: "entries, count over the bound", bytes: patched(SyncFrame.entries([]).encoded(), at: 1, [0xff, 0xff]), outcome: .refused("entries")),
        Row(testDescription: "vector, size over the bound", bytes: patched(SyncFrame.vector(SyncVector()).encoded(), at: 1, [0xff, 0xff, 0xff, 0xff]), outcome: .refused("vector")),
    ]

    @Test(arguments: frameRows)
    func syncFrameFields(_ row: Row) {
        Self.check(row) { bytes throws(DecodeError) in _ = try SyncFrame.decode(bytes) }
    }
}
