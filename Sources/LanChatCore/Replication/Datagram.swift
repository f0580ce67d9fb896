/// One UDP packet between nodes. Every datagram names its network and its sender's claimed ID;
/// the claim is believed only after a sync handshake proves it (see `Handshake`).
public struct Datagram: Equatable, Sendable {
    public static let magic: [UInt8] = [0x4C, 0x43]  // "LC"
    /// 2: hash-linked entries (format 2), sync vectors of tips, the forks frame.
    public static let protocolVersion: UInt8 = 2
    /// Fits an IPv6 path with any reasonable tunnel overhead without fragmenting.
    public static let maxBytes = 1200
    public static let maxHints = 8
    /// Membership updates one probe may carry (`ReplicationConfiguration.updatesPerProbe`, plus one about the recipient).
    public static let maxUpdates = 8
    /// Entries one `pushes` datagram may carry; the 1,200 bytes allow about five short messages.
    public static let maxPushedEntries = 8
    /// Authors' latest entries one probe names (`Probe.recent`), and authors one `want` asks about.
    public static let maxRecent = 4

    public let network: String
    public let sender: AuthorID
    public let body: Body

    public enum Body: Equatable, Sendable {
        case ping(Probe)
        case ack(Probe)
        /// Asks the receiver to probe `target` on the sender's behalf (SWIM's indirect probe).
        case pingRequest(probeID: UInt32, target: PeerAddress)
        /// Tells the original prober that `target` answered an indirect probe.
        case indirectAck(probeID: UInt32, target: PeerAddress)
        case push(Entry)
        /// Consecutive entries of one author, each linking the one before: what its node committed since its last push.
        /// A receiver takes them in as one burst, so the last signature vouches for all.
        case pushes([Entry])
        /// A push the receiver passes on within its arc of the ring, which ends at `until` (`RelayTree`).
        case relay(Entry, until: UInt64)
        /// An entry too large for a datagram; receivers fetch it by sync.
        case announce(EntryKey)
        /// Asks for an author's entries after the seq named (Plumtree's graft): each key is the highest seq the
        /// sender holds of an author the recipient's probe named newer.
        case want([EntryKey])
    }

    /// What every ping and ack carries: enough to notice divergence, a few peers to share, and membership news.
    public struct Probe: Equatable, Sendable {
        public let id: UInt32
        public let digest: UInt64
        public let total: UInt64
        public let hints: [PeerHint]
        public let updates: [MembershipUpdate]
        /// The latest entries of the authors whose logs grew at the sender lately (Plumtree's lazy push): a
        /// recipient that lacks one asks for it (`want`) instead of waiting for a sync.
        public let recent: [EntryKey]

        public init(
            id: UInt32, digest: UInt64, total: UInt64, hints: [PeerHint], updates: [MembershipUpdate] = [], recent: [EntryKey] = []
        ) {
            self.id = id
            self.digest = digest
            self.total = total
            self.hints = hints
            self.updates = updates
            self.recent = recent
        }
    }

    public init(network: String, sender: AuthorID, body: Body) {
        self.network = network
        self.sender = sender
        self.body = body
    }

    private enum Tag: UInt8 {
        case ping = 1, ack, pingRequest, indirectAck, push, announce, relay, pushes, want
    }

    public func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 128)
        writer.raw(Self.magic)
        writer.u8(Self.protocolVersion)
        writer.shortString(network)
        writer.raw(sender.bytes)
        switch body {
        case .ping(let probe):
            writer.u8(Tag.ping.rawValue)
            probe.encode(into: &writer)
        case .ack(let probe):
            writer.u8(Tag.ack.rawValue)
            probe.encode(into: &writer)
        case .pingRequest(let id, let target):
            writer.u8(Tag.pingRequest.rawValue)
            writer.u32(id)
            target.encode(into: &writer)
        case .indirectAck(let id, let target):
            writer.u8(Tag.indirectAck.rawValue)
            writer.u32(id)
            target.encode(into: &writer)
        case .push(let entry):
            writer.u8(Tag.push.rawValue)
            writer.raw(entry.encoded)
        case .pushes(let entries):
            writer.u8(Tag.pushes.rawValue)
            writer.u8(UInt8(clamping: entries.count))
            for entry in entries { writer.raw(entry.encoded) }
        case .relay(let entry, let until):
            writer.u8(Tag.relay.rawValue)
            writer.u64(until)
            writer.raw(entry.encoded)
        case .announce(let key):
            writer.u8(Tag.announce.rawValue)
            key.encode(into: &writer)
        case .want(let keys):
            writer.u8(Tag.want.rawValue)
            keys.encode(into: &writer)
        }
        return writer.bytes
    }

    /// Size of everything but the entry in a push datagram for this network, as a relay (the larger).
    public static func pushOverhead(network: String) -> Int {
        magic.count + 1 + 1 + network.utf8.count + AuthorID.byteCount + 1 + 8
    }

    /// Size of everything but the entries in a `pushes` datagram for this network.
    public static func pushesOverhead(network: String) -> Int {
        magic.count + 1 + 1 + network.utf8.count + AuthorID.byteCount + 1 + 1
    }

    /// Decodes a datagram. Rejects other protocol versions, oversized, truncated and trailing input. A pushed
    /// entry's signature is not checked here: the receiver checks a burst of pushes at once (`PushBurst`).
    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Datagram {
        var reader = ByteReader(bytes)
        let (network, sender, tag) = try heading(&reader)
        let body: Body
        switch Tag(rawValue: tag) {
        case .ping: body = .ping(try Probe.decode(from: &reader))
        case .ack: body = .ack(try Probe.decode(from: &reader))
        case .pingRequest: body = .pingRequest(probeID: try reader.u32("probe id"), target: try PeerAddress.decode(from: &reader))
        case .indirectAck: body = .indirectAck(probeID: try reader.u32("probe id"), target: try PeerAddress.decode(from: &reader))
        case .push: body = .push(try Entry.decode(from: &reader, verifySignature: false))
        case .pushes: body = .pushes(try decodeChain(from: &reader))
        case .relay:
            let until = try reader.u64("until")
            body = .relay(try Entry.decode(from: &reader, verifySignature: false), until: until)
        case .announce: body = .announce(try EntryKey.decode(from: &reader, lowest: 1))
        case .want: body = .want(try [EntryKey].decode(from: &reader, lowest: 0, "wanted"))
        case nil: throw .invalid(field: "type", reason: "unknown datagram type \(tag)")
        }
        try reader.finish()
        return Datagram(network: network, sender: sender, body: body)
    }

    /// The network and sender of a push, a relay or a `pushes` datagram, and how many entries it carries, its
    /// entries left unread: all that a node shedding pushes (`Replicator.shedding`) needs, without parsing
    /// and hashing the entries, which was most of its work. Nil for any other datagram and any malformed heading.
    public static func pushHeading(_ bytes: [UInt8]) -> (network: String, sender: AuthorID, entries: Int)? {
        var reader = ByteReader(bytes)
        guard let (network, sender, tag) = try? heading(&reader) else { return nil }
        // Room for the entries it claims, so that a few bytes cannot pass for eight shed entries.
        switch Tag(rawValue: tag) {
        case .push where reader.remaining >= Entry.smallestEncoding: return (network, sender, 1)
        case .relay where reader.remaining >= 8 + Entry.smallestEncoding: return (network, sender, 1)
        case .pushes:
            guard let count = try? reader.u8("entry count"), count >= 2, count <= maxPushedEntries,
                reader.remaining >= Int(count) * Entry.smallestEncoding
            else { return nil }
            return (network, sender, Int(count))
        default: return nil
        }
    }

    /// Everything before the body, read from a reader at the datagram's start: the size, magic and version
    /// checked, the network, the sender and the type.
    private static func heading(_ reader: inout ByteReader) throws(DecodeError) -> (network: String, sender: AuthorID, tag: UInt8) {
        guard reader.remaining <= maxBytes else { throw .oversized(field: "datagram", size: reader.remaining, limit: maxBytes) }
        guard try reader.raw(2, "magic") == magic else { throw .invalid(field: "magic", reason: "not a lanchat datagram") }
        let version = try reader.u8("protocol version")
        guard version == protocolVersion else { throw .unsupportedVersion(version) }
        let network = try reader.utf8(Int(try reader.u8("network length")), limit: NetworkName.maxBytes, "network")
        let sender = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "sender"))
        return (network, sender, try reader.u8("type"))
    }

    /// The entries of a `pushes` datagram: 2 to `maxPushedEntries`, one author's, each the next seq and
    /// linking the one before. Anything else is refused whole, so that one signature can vouch for them all
    /// and a datagram costs a receiver no more checks than it carries entries.
    private static func decodeChain(from reader: inout ByteReader) throws(DecodeError) -> [Entry] {
        let count = Int(try reader.u8("entry count"))
        guard count >= 2, count <= maxPushedEntries else {
            throw .invalid(field: "entry count", reason: "must be 2 to \(maxPushedEntries)")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let entry = try Entry.decode(from: &reader, verifySignature: false)
            if let previous = entries.last, !chains(entry, after: previous) {
                throw .invalid(field: "entries", reason: "not one author's consecutive, linked entries")
            }
            entries.append(entry)
        }
        return entries
    }

    /// Whether `entry` may follow `previous` in a `pushes` datagram: the same author's next seq, linking it.
    public static func chains(_ entry: Entry, after previous: Entry) -> Bool {
        entry.author == previous.author && entry.seq == previous.seq + 1 && entry.links.contains(previous.tip)
    }
}

/// A peer one node tells another about (peer exchange). The ID is a claim until that peer proves it.
public struct PeerHint: Equatable, Sendable {
    public let id: AuthorID
    public let address: PeerAddress

    public init(id: AuthorID, address: PeerAddress) {
        self.id = id
        self.address = address
    }
}

extension Datagram.Probe {
    /// Its size in a datagram.
    var encodedSize: Int {
        4 + 8 + 8 + 1 + hints.reduce(0) { $0 + AuthorID.byteCount + $1.address.encodedSize } + 1
            + updates.reduce(0) { $0 + $1.encodedSize } + (recent.isEmpty ? 0 : 1 + recent.count * EntryKey.encodedSize)
    }

    func encode(into writer: inout ByteWriter) {
        writer.u32(id)
        writer.u64(digest)
        writer.u64(total)
        writer.u8(UInt8(hints.count))
        for hint in hints {
            writer.raw(hint.id.bytes)
            hint.address.encode(into: &writer)
        }
        writer.u8(UInt8(updates.count))
        for update in updates { update.encode(into: &writer) }
        // Absent when empty: an idle network's probes stay as they were.
        if !recent.isEmpty { recent.encode(into: &writer) }
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> Self {
        let id = try reader.u32("probe id")
        let digest = try reader.u64("digest")
        let total = try reader.u64("total")
        let count = Int(try reader.u8("hint count"))
        guard count <= Datagram.maxHints else { throw .oversized(field: "hints", size: count, limit: Datagram.maxHints) }
        var hints: [PeerHint] = []
        for _ in 0..<count {
            let hintID = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "hint id"))
            hints.append(PeerHint(id: hintID, address: try PeerAddress.decode(from: &reader)))
        }
        let updateCount = Int(try reader.u8("update count"))
        guard updateCount <= Datagram.maxUpdates else {
            throw .oversized(field: "updates", size: updateCount, limit: Datagram.maxUpdates)
        }
        var updates: [MembershipUpdate] = []
        for _ in 0..<updateCount { updates.append(try MembershipUpdate.decode(from: &reader)) }
        let recent = reader.remaining > 0 ? try [EntryKey].decode(from: &reader, lowest: 1, "recent") : []
        return Self(id: id, digest: digest, total: total, hints: hints, updates: updates, recent: recent)
    }
}

extension EntryKey {
    static let encodedSize = AuthorID.byteCount + 8

    func encode(into writer: inout ByteWriter) {
        writer.raw(author.bytes)
        writer.u64(seq)
    }

    /// `lowest`: 1 where the key names an entry, 0 where it names what a node holds (none yet).
    static func decode(from reader: inout ByteReader, lowest: UInt64) throws(DecodeError) -> EntryKey {
        let author = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "author"))
        let seq = try reader.u64("seq")
        guard seq >= lowest, seq < 1 << 63 else { throw .invalid(field: "seq", reason: "must be \(lowest) to 2^63-1") }
        return EntryKey(author: author, seq: seq)
    }
}

extension [EntryKey] {
    /// A count byte (1 to `Datagram.maxRecent`), then the keys, each author once.
    func encode(into writer: inout ByteWriter) {
        writer.u8(UInt8(clamping: count))
        for key in self { key.encode(into: &writer) }
    }

    static func decode(from reader: inout ByteReader, lowest: UInt64, _ field: String) throws(DecodeError) -> [EntryKey] {
        let count = Int(try reader.u8("\(field) count"))
        guard count >= 1, count <= Datagram.maxRecent else {
            throw .invalid(field: field, reason: "must name 1 to \(Datagram.maxRecent) authors")
        }
        var keys: [EntryKey] = []
        for _ in 0..<count {
            let key = try EntryKey.decode(from: &reader, lowest: lowest)
            guard !keys.contains(where: { $0.author == key.author }) else { throw .invalid(field: field, reason: "names an author twice") }
            keys.append(key)
        }
        return keys
    }
}

extension PeerAddress {
    /// What `encode` writes: the host's length byte, the host, the port.
    var encodedSize: Int { 1 + unzoned.host.utf8.count + 2 }

    /// Without its zone: the receiver scopes a link-local address to the link it came over (`AddressPolicy`).
    func encode(into writer: inout ByteWriter) {
        writer.shortString(unzoned.host)
        writer.u16(port)
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> PeerAddress {
        let host = try reader.utf8(Int(try reader.u8("host length")), limit: 255, "host")
        guard !host.isEmpty else { throw .invalid(field: "host", reason: "is empty") }
        let port = try reader.u16("port")
        guard port > 0 else { throw .invalid(field: "port", reason: "is zero") }
        return PeerAddress(host: host, port: port)
    }
}
