import LanChatControl
import LanChatCore

/// One seed input of a fuzz target: a valid message, made by the project's own encoders.
public struct FuzzSeed: Sendable {
    public let name: String
    public let bytes: [UInt8]
}

/// The seed corpora under `Fuzz/corpus/`, written by `make fuzz-seeds` (the `fuzz-seeds` tool).
/// Everything is built from fixed keys and values, so the same code writes the same files, and a
/// change of a format changes the seeds with it.
public enum FuzzSeeds {
    public static func seeds(for target: FuzzTarget) -> [FuzzSeed] {
        switch target {
        case .entry, .entrySigned: entries.map { FuzzSeed(name: $0.name, bytes: $0.entry.encoded) }
        case .datagram: datagrams.map { FuzzSeed(name: $0.name, bytes: $0.datagram.encoded()) }
        case .sealedDatagram: sealedDatagrams()
        case .syncFrame: frames.map { FuzzSeed(name: $0.name, bytes: $0.frame.encoded()) }
        case .syncVector:
            vectors.map { name, vector in
                var writer = ByteWriter()
                vector.encode(into: &writer)
                return FuzzSeed(name: name, bytes: writer.bytes)
            }
        case .controlRequest: controlStreams.map { FuzzSeed(name: $0.name, bytes: Array($0.text.utf8)) }
        }
    }

    // MARK: Entries

    static let alice = identity(1)
    static let bob = identity(2)
    static let carol = identity(3)
    static let time = HybridTimestamp(wallMillis: 1_700_000_000_000, counter: 0)

    static func identity(_ n: UInt8) -> LocalIdentity {
        // Fixed seeds of the right size are always valid Ed25519 keys.
        try! LocalIdentity(seed: [UInt8](repeating: n, count: 32))
    }

    static func message(_ room: String, _ body: String, replyTo: EntryRef? = nil) -> EntryContent {
        // The seeds' rooms and bodies are valid by construction.
        .message(try! EntryContent.Message(room: room, body: body, replyTo: replyTo))
    }

    static func entry(
        _ author: LocalIdentity, _ seq: UInt64, _ content: EntryContent, at timestamp: HybridTimestamp = time
    ) -> Entry {
        // After the first entry, a link to a made-up predecessor: decoders check the links' shape, not what they name.
        let links = seq > 1 ? [AuthorTip(seq: seq - 1, hash: EntryHash(of: author.id.bytes + [UInt8(truncatingIfNeeded: seq)]))] : []
        return Entry.sign(by: author, seq: seq, timestamp: timestamp, links: links, content: content)
    }

    /// One author's first entries, each linking the one before, as one commit of its node pushes them.
    static func chain(_ author: LocalIdentity, _ bodies: [String]) -> [Entry] {
        bodies.enumerated().reduce(into: []) { entries, next in
            entries.append(Entry.sign(
                by: author, seq: UInt64(next.offset + 1), timestamp: time, links: entries.last.map { [$0.tip] } ?? [],
                content: message("general", next.element)))
        }
    }

    /// A few of each kind and shape: replies, long and non-ASCII text, the largest seq and timestamp,
    /// profiles, and kinds this version does not know.
    static let entries: [(name: String, entry: Entry)] = [
        ("message", entry(alice, 1, message("general", "hello"))),
        ("message-reply", entry(bob, 2, message("general", "hi alice", replyTo: entry(alice, 1, message("general", "hello")).ref))),
        ("message-unicode", entry(carol, 7, message("dev-ops.2", "grüße 👩‍💻 — ça va? 日本語\nsecond line\ttab"))),
        ("message-long", entry(alice, 3, message("general", String(repeating: "long message text ", count: 150)))),
        ("message-one-char", entry(bob, 1, message("a", "x"))),
        (
            "message-mentions",
            entry(alice, 8, .message(try! EntryContent.Message(
                room: "general", body: "@Bob and @Carol, look",
                mentions: [Mention(offset: 0, length: 4, person: bob.id), Mention(offset: 9, length: 6, person: carol.id)])))
        ),
        (
            "message-largest-seq",
            entry(carol, (1 << 63) - 1, message("z_z", "last"), at: HybridTimestamp(rawValue: (1 << 63) - 1))
        ),
        ("message-zero-time", entry(alice, 2, message("general", "epoch"), at: HybridTimestamp(rawValue: 0))),
        ("profile", entry(alice, 4, .profile(name: "Alice Example"))),
        ("profile-emoji", entry(bob, 3, .profile(name: "Bob 🚲 Rider"))),
        ("unknown-kind", entry(carol, 1, .unknown(kind: EntryKind(rawValue: 9), payload: [0, 1, 2, 3, 0xFF]))),
        ("unknown-kind-empty", entry(carol, 2, .unknown(kind: EntryKind(rawValue: 0), payload: []))),
        ("profile-dm-key", entry(carol, 5, .profile(name: "Carol", dmKey: carol.directMessageKey.publicKey))),
        (
            "direct-message",
            entry(alice, 5, .directMessage(try! SealedDirectMessage.seal(
                "just for you", from: alice.id, to: [bob.directMessageKey.publicKey, alice.directMessageKey.publicKey],
                randomness: .init(ephemeral: Array(repeating: 7, count: 32), messageKey: Array(repeating: 0x0C, count: 32)))))
        ),
        ("link", entry(bob, 6, .link(device: carol.id, role: .joined))),
        ("unlink", entry(alice, 6, .unlink(device: bob.id, lastSeq: 41))),
    ]

    // MARK: Datagrams

    static let hints = [
        PeerHint(id: bob.id, address: PeerAddress(host: "10.77.0.2", port: 7420)),
        PeerHint(id: carol.id, address: PeerAddress(host: "fe80::1", port: 7421)),
        PeerHint(id: alice.id, address: PeerAddress(host: "laptop.local", port: 1)),
    ]

    /// The network key of the sealed-datagram target (bytes 0…31; PROTOCOL.md §8's example key).
    public static let networkKeys = NetworkKeyRing([NetworkKey(bytes: Array(0..<32))!])!

    /// The clock of the sealed seeds, and of the node that opens them: 2027-01-15.
    public static let sealedAt: UInt64 = 1_800_000_000_000

    /// Every datagram seed sealed, in one session with a fixed ID, so the corpus is the same every time.
    static func sealedDatagrams() -> [FuzzSeed] {
        var sealer = DatagramSealer(ring: networkKeys, network: "lanchat", session: SessionID(bytes: Array(0xA0...0xAF))!)
        return datagrams.filter { $0.datagram.encoded().count + DatagramSealer.overhead <= Datagram.maxBytes }
            .map { FuzzSeed(name: "sealed-" + $0.name, bytes: sealer.seal($0.datagram.encoded(), at: sealedAt)) }
    }

    static let datagrams: [(name: String, datagram: Datagram)] = [
        ("ping", Datagram(network: "lanchat", sender: alice.id, body: .ping(.init(id: 1, digest: 0, total: 0, hints: [])))),
        (
            "ping-hints",
            Datagram(network: "lanchat", sender: alice.id, body: .ping(.init(id: 7, digest: 0x0123_4567_89AB_CDEF, total: 42, hints: hints)))
        ),
        (
            "ack-full",
            Datagram(
                network: "office-2.floor_3", sender: bob.id,
                body: .ack(.init(id: .max, digest: .max, total: 1 << 40, hints: Array((hints + hints + hints).prefix(Datagram.maxHints)))))
        ),
        ("ping-request", Datagram(network: "lanchat", sender: bob.id, body: .pingRequest(probeID: 9, target: PeerAddress(host: "10.77.0.3", port: 7420)))),
        ("ping-request-v6", Datagram(network: "lanchat", sender: bob.id, body: .pingRequest(probeID: 10, target: PeerAddress(host: "2001:db8::7", port: 65535)))),
        ("indirect-ack", Datagram(network: "lanchat", sender: carol.id, body: .indirectAck(probeID: 9, target: PeerAddress(host: "10.77.0.3", port: 7420)))),
        ("push-message", Datagram(network: "lanchat", sender: alice.id, body: .push(entries[0].entry))),
        ("push-reply", Datagram(network: "lanchat", sender: alice.id, body: .push(entries[1].entry))),
        ("push-unicode", Datagram(network: "lanchat", sender: carol.id, body: .push(entries[2].entry))),
        ("push-profile", Datagram(network: "lanchat", sender: bob.id, body: .push(entries[8].entry))),
        ("push-unknown-kind", Datagram(network: "x", sender: carol.id, body: .push(entries[9].entry))),
        ("relay-message", Datagram(network: "lanchat", sender: bob.id, body: .relay(entries[0].entry, until: 1 << 63))),
        ("announce", Datagram(network: "lanchat", sender: alice.id, body: .announce(entries[3].entry.key))),
        ("announce-largest-seq", Datagram(network: "lanchat", sender: carol.id, body: .announce(EntryKey(author: carol.id, seq: (1 << 63) - 1)))),
        ("pushes-two", Datagram(network: "lanchat", sender: alice.id, body: .pushes(chain(alice, ["one", "two"])))),
        ("pushes-five", Datagram(network: "lanchat", sender: bob.id, body: .pushes(chain(bob, ["a", "b", "c", "d", "e"])))),
    ]

    // MARK: Sync frames and vectors

    static let challenge: [UInt8] = (0..<UInt8(HandshakeTranscript.challengeBytes)).map { $0 &* 37 &+ 11 }
    static let token: [UInt8] = (0..<UInt8(HandshakeTranscript.tokenBytes)).map { $0 &* 53 &+ 7 }
    static let versions = HandshakeTranscript.Versions(initiator: [2], responder: [2])
    static let binding = ConnectionBinding(responder: PeerAddress(host: "10.0.0.2", port: 7420))!

    static func tip(_ entry: Entry) -> AuthorTip { entry.tip }

    static func author(_ n: Int) -> AuthorID {
        // 32 bytes are always a valid author ID to the decoders.
        try! AuthorID(bytes: (0..<32).map { UInt8(truncatingIfNeeded: n &* 31 &+ $0) })
    }

    static func hash(_ n: Int) -> EntryHash { EntryHash(of: [UInt8(truncatingIfNeeded: n), UInt8(truncatingIfNeeded: n >> 8)]) }

    static let vectors: [(name: String, vector: SyncVector)] = [
        ("empty", SyncVector()),
        ("one-author", SyncVector(heads: [alice.id: tip(entries[7].entry)])),
        (
            "three-authors",
            SyncVector(heads: [alice.id: tip(entries[7].entry), bob.id: tip(entries[8].entry), carol.id: tip(entries[10].entry)])
        ),
        ("forked", SyncVector([alice.id: [tip(entries[0].entry), AuthorTip(seq: 1, hash: hash(1)), AuthorTip(seq: 4, hash: hash(2))]])),
        ("most-tips", SyncVector([bob.id: (1...SyncVector.maxTipsPerAuthor).map { AuthorTip(seq: UInt64($0) * 3, hash: hash($0)) }])),
        ("largest-seq", SyncVector(heads: [carol.id: AuthorTip(seq: (1 << 63) - 1, hash: hash(9))])),
        (
            "forty-authors",
            SyncVector(heads: Dictionary(uniqueKeysWithValues: (0..<40).map { (author($0), AuthorTip(seq: UInt64($0 + 1), hash: hash($0))) }))
        ),
    ]

    static let frames: [(name: String, frame: SyncFrame)] = [
        ("hello", .hello(versions: [2], port: 7420, .init(network: "lanchat", sender: alice.id, challenge: challenge, token: token))),
        (
            "hello-port-zero",
            .hello(versions: [2], port: 0, .init(network: "office-2.floor_3", sender: bob.id, challenge: challenge.reversed(), token: token.reversed()))
        ),
        // A node that speaks a later version too: the rest is still laid out as version 2's.
        ("hello-versions-2-3", .hello(versions: [2, 3], port: 7420, .init(network: "lanchat", sender: alice.id, challenge: challenge, token: token))),
        // Only versions this build does not speak: nothing after the list and port is read.
        ("hello-version-3", .hello(versions: [3], port: 7420, nil)),
        (
            "hello-reply",
            .helloReply(
                versions: [2],
                .init(
                    sender: bob.id, challenge: challenge.reversed(), token: token.reversed(),
                    signature: HandshakeTranscript.sign(
                        bob, role: .responder, network: "lanchat", challenge: challenge, other: alice.id, token: token.reversed(),
                        versions: versions, binding: binding)))
        ),
        ("hello-reply-version-3", .helloReply(versions: [3], nil)),
        (
            "proof",
            .proof(signature: HandshakeTranscript.sign(
                alice, role: .initiator, network: "lanchat", challenge: challenge.reversed(), other: bob.id, token: token, versions: versions,
                binding: binding))
        ),
        ("vector-empty", .vector(vectors[0].vector)),
        ("vector-three-authors", .vector(vectors[2].vector)),
        ("vector-forked", .vector(vectors[3].vector)),
        ("entries-none", .entries([])),
        ("entries-one", .entries([entries[0].entry])),
        ("entries-log", .entries([entries[0].entry, entries[6].entry, entries[3].entry, entries[7].entry])),
        ("entries-mixed", .entries([entries[1].entry, entries[2].entry, entries[5].entry, entries[9].entry, entries[10].entry])),
        ("done", .done(more: false)),
        ("done-more", .done(more: true)),
        ("fetch", .fetch([entries[0].entry.ref, entries[1].entry.ref, entries[2].entry.ref].sorted())),
        ("fetch-none", .fetch([])),
    ]

    // MARK: Control requests

    static func line(_ command: ControlCommand) -> String { ControlJSON.encode(command) + "\n" }

    static let replyID = EntryKey(author: alice.id, seq: 1).text

    static let controlStreams: [(name: String, text: String)] = [
        ("send", line(.send(body: "hello"))),
        ("send-room-reply", line(.send(body: "grüße 👩‍💻 \"quoted\" \\ back\nslash", room: "dev-ops", replyTo: replyID))),
        ("history", line(.history())),
        ("history-room-limit", line(.history(room: "general", limit: 10_000))),
        ("follow", line(.follow())),
        ("follow-room", line(.follow(room: "general"))),
        ("name", line(.name())),
        ("name-set", line(.name("Alice Example"))),
        ("whoami", line(.whoami)),
        ("who", line(.who)),
        ("rooms", line(.rooms)),
        ("status", line(.status)),
        ("peers", line(.peers)),
        ("doctor", line(.doctor)),
        ("session", line(.whoami) + line(.send(body: "one", room: "general")) + line(.history(limit: 3)) + line(.status)),
        ("no-final-newline", ControlJSON.encode(ControlCommand.send(body: "last words"))),
        ("crlf", ControlJSON.encode(ControlCommand.rooms) + "\r\n"),
        ("spaced", #"  { "room" : "general" , "limit": 5, "cmd": "history" }"# + "\n"),
        ("escaped", #"{"cmd":"send","body":"\u00e9\ud83d\ude00\t\/"}"# + "\n"),
        ("send-mentions", line(.send(body: "@Bob look", mentions: [MentionSpan(offset: 0, length: 4, id: bob.id.text)]))),
        ("mark-read", line(.markRead(room: "general")) + line(.markRead(with: bob.id.text))),
        ("export-room-since", line(.export(room: "general", since: "2026-11-29T00:00:00.000Z")) + line(.export())),
    ]
}
