import LanChatCore

/// Invariants of the binary formats (entries, datagrams, sync frames, sync vectors): every format
/// is canonical, so whatever a decoder accepts encodes back to exactly the bytes it came from.
enum FormatChecks {
    static let network = "fuzz"

    static func entry(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        guard let entry = try? Entry.decode(bytes, verifySignature: false) else { return .refused }
        try check(entry, from: bytes)
        return .accepted
    }

    /// With the signature check, the decoder accepts exactly what it accepts without it and is signed.
    static func signedEntry(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        let unsigned = try? Entry.decode(bytes, verifySignature: false)
        guard let entry = try? Entry.decode(bytes) else {
            try expect(unsigned.map { !$0.hasValidSignature } ?? true, "refused with the check, but well formed and signed")
            return .refused
        }
        try expect(entry == unsigned, "decoded differently with and without the signature check")
        try expect(entry.hasValidSignature && SignatureVerifier().verify([entry]), "accepted without a valid signature")
        try check(entry, from: bytes)
        if Datagram.pushOverhead(network: network) + bytes.count <= Datagram.maxBytes {
            let datagram = Datagram(network: network, sender: entry.author, body: .push(entry))
            try expect((try? Datagram.decode(datagram.encoded())) == datagram, "a signed entry's push is refused")
        }
        return .accepted
    }

    /// What holds of every entry a decoder accepted, `bytes` being its wire form.
    static func check(_ entry: Entry, from bytes: [UInt8]) throws(FuzzViolation) {
        try expect(entry.encoded == bytes, "entry.encoded differs from the bytes it was decoded from")
        try expect(entry.signature.count == Entry.signatureBytes, "signature of \(entry.signature.count) bytes")
        try expect(Array(entry.header.suffix(Entry.signatureBytes)) == entry.signature, "the header does not end in the signature")
        try expect(entry.encoded == entry.header + (entry.payload.map { [1] + $0 } ?? [0]), "header, flag and payload do not make up the entry")
        try expect(entry.payload.map { $0.count == entry.payloadLength && EntryHash(of: $0) == entry.payloadHash } ?? true,
                   "the payload does not match its signed length and hash")
        try expect(entry.links.count <= Entry.maxLinks && (entry.seq == 1) == entry.links.isEmpty, "links out of rule")
        try expect(entry.links.allSatisfy { $0.seq < entry.seq } && entry.links.last.map { $0.seq == entry.seq - 1 } ?? true, "links out of range")
        try expect(entry.seq >= 1 && entry.seq < 1 << 63, "seq \(entry.seq) out of range")
        try expect(entry.timestamp.rawValue < 1 << 63, "timestamp \(entry.timestamp.rawValue) out of range")
        try expect(entry.payloadLength <= Limits.maxPayloadBytes, "payload of \(entry.payloadLength) bytes")
        try expect(bytes.count <= Limits.maxEntryBytes, "entry of \(bytes.count) bytes")
        try expect((try? Entry.decode(entry.encoded, verifySignature: false)) == entry, "decoding the entry again gives another entry")
        try expect(entry.hash == EntryHash(of: entry.header), "hash is not the hash of the signed header")
        try expect(entry.withoutPayload.hash == entry.hash, "dropping the payload changes the hash")
        try expect(entry.tip == AuthorTip(seq: entry.seq, hash: entry.hash), "tip differs from seq and hash")
        try expect(EntryKey(text: entry.key.text) == entry.key, "key \(entry.key.text) does not parse back")

        // Received entries obey the rules local writes obey (a dropped payload has no content to check).
        guard entry.payload != nil else { return }
        guard let content = try? entry.content() else { throw FuzzViolation("accepted, but its content does not decode") }
        try expect(content.kind == entry.kind, "content kind differs from the entry's kind")
        switch content {
        case .message(let message):
            let again = try? EntryContent.Message(room: message.room, body: message.body, replyTo: message.replyTo, mentions: message.mentions)
            try expect(again == message, "received message breaks the rules for writing one")
        case .profile(let name, let dmKey):
            try expect((try? EntryContent.profile(validating: name, dmKey: dmKey)) == content, "received name breaks the rules for a name")
        case .link, .unlink:
            // It takes a link entry from each of two devices to make them one person: one entry alone changes nothing.
            var links = DeviceLinks()
            let changed = links.apply(author: entry.author, content: content, at: entry.timestamp)
            try expect(!changed, "one entry alone linked or unlinked devices")
        case .directMessage(let sealed):
            try expect(!sealed.recipients.isEmpty && sealed.recipients.count <= SealedDirectMessage.maxRecipients, "direct message recipients out of range")
        case .delete(let target):
            try expect(target.seq >= 1 && target.seq < 1 << 63, "deleted seq \(target.seq) out of range")
        case .edit(let target, let body):
            try expect((try? EntryContent.edit(of: target, validating: body)) == content, "received edit breaks the rules for writing one")
        case .unknown(let kind, let payload):
            try expect(kind == entry.kind && payload == entry.payload, "unknown kind not kept as is")
        }

        // Carried in a datagram and in a sync frame, it comes out the same.
        if Datagram.pushOverhead(network: network) + bytes.count <= Datagram.maxBytes {
            for body in [Datagram.Body.push(entry), .relay(entry, until: 1 << 63)] {
                let datagram = Datagram(network: network, sender: entry.author, body: body)
                let wire = datagram.encoded()
                try expect(wire.count <= Datagram.pushOverhead(network: network) + bytes.count, "push overhead is wrong")
                try expect((try? Datagram.decode(wire)) == datagram, "the entry's push or relay does not decode back")
            }
        }
        let frame = SyncFrame.entries([entry])
        try expect((try? SyncFrame.decode(frame.encoded())) == frame, "the entry's entries frame does not decode back")
    }

    /// What a closed network's node does first with every packet, then what an open network's does.
    static func sealedDatagram(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        var keyless = DatagramOpener(ring: nil, network: "lanchat")
        if case .opened(let plain) = keyless.open(bytes, at: FuzzSeeds.sealedAt) {
            try expect(plain == bytes && !bytes.starts(with: [0x4C, 0x53]), "an open network's node let a sealed packet through")
        }
        var opener = DatagramOpener(ring: FuzzSeeds.networkKeys, network: "lanchat")
        guard case .opened(let plain) = opener.open(bytes, at: FuzzSeeds.sealedAt) else { return .refused }
        try expect(bytes.count <= Datagram.maxBytes && plain.count == bytes.count - DatagramSealer.overhead, "opened \(plain.count) of \(bytes.count) bytes")
        try expect(opener.open(bytes, at: FuzzSeeds.sealedAt) == .refused(.replayed), "the same sealed packet opened twice")
        _ = try datagram(plain)
        return .accepted
    }

    static func datagram(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        guard let datagram = try? Datagram.decode(bytes) else { return .refused }
        try expect(bytes.count <= Datagram.maxBytes, "datagram of \(bytes.count) bytes")
        try expect(datagram.encoded() == bytes, "datagram does not encode back to its bytes")
        // What a shedding node reads of it instead must agree with the whole.
        let pushed: Int? = switch datagram.body {
        case .push, .relay: 1
        case .pushes(let entries): entries.count
        default: nil
        }
        let heading = Datagram.pushHeading(bytes)
        try expect(
            heading?.entries == pushed && heading.map { $0.network == datagram.network && $0.sender == datagram.sender } != false,
            "the push heading disagrees with the datagram")
        switch datagram.body {
        case .push(let entry), .relay(let entry, _):
            try check(entry, from: entry.encoded)
            // The overhead is a relay's, which carries where its arc ends (8 bytes) besides what a push does.
            let arcEnd = if case .push = datagram.body { 8 } else { 0 }
            try expect(bytes.count + arcEnd == Datagram.pushOverhead(network: datagram.network) + entry.encoded.count, "push overhead is wrong")
            // What the receiver keeps of the push, checked as a burst of one.
            let kept = PushBurst.authentic([entry]) { $0.map(\.hasValidSignature) }
            try expect(kept.authentic == (entry.hasValidSignature ? [entry] : []) && kept.forged + kept.authentic.count == 1,
                       "the push check decides other than the entry's signature")
        case .pushes(let entries):
            try expect(entries.count >= 2 && entries.count <= Datagram.maxPushedEntries, "\(entries.count) entries in one datagram")
            for entry in entries { try check(entry, from: entry.encoded) }
            try expect(zip(entries, entries.dropFirst()).allSatisfy { Datagram.chains($1, after: $0) }, "pushed entries that are not a chain")
            try expect(
                bytes.count == Datagram.pushesOverhead(network: datagram.network) + entries.reduce(0) { $0 + $1.encoded.count },
                "pushes overhead is wrong")
            // The receiver's burst check: the last signature, if it holds, vouches for every entry before it.
            let kept = PushBurst.authentic(entries) { $0.map(\.hasValidSignature) }
            try expect(entries.last?.hasValidSignature != true || kept.authentic == entries, "a chain whose last signature holds was not taken whole")
        case .ping(let probe), .ack(let probe):
            try expect(probe.hints.count <= Datagram.maxHints, "\(probe.hints.count) hints")
            try expect(probe.hints.allSatisfy { !$0.address.host.isEmpty && $0.address.port > 0 }, "hint without host or port")
            try checkKeys(probe.recent, lowest: 1, "recent")
        case .pingRequest(_, let target), .indirectAck(_, let target):
            try expect(!target.host.isEmpty && target.port > 0, "target without host or port")
        case .announce(let key):
            try expect(key.seq >= 1 && key.seq < 1 << 63, "announced seq \(key.seq) out of range")
        case .want(let keys):
            try expect(!keys.isEmpty, "a want of nothing")
            try checkKeys(keys, lowest: 0, "wanted")
        }
        return .accepted
    }

    /// A probe's recent entries or a want's keys: a few, each author once, each seq in range.
    private static func checkKeys(_ keys: [EntryKey], lowest: UInt64, _ field: String) throws(FuzzViolation) {
        try expect(keys.count <= Datagram.maxRecent, "\(keys.count) \(field) keys")
        try expect(Set(keys.map(\.author)).count == keys.count, "\(field) names an author twice")
        try expect(keys.allSatisfy { $0.seq >= lowest && $0.seq < 1 << 63 }, "\(field) seq out of range")
    }

    static func syncFrame(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        guard let frame = try? SyncFrame.decode(bytes) else { return .refused }
        try expect(bytes.count <= SyncFrame.maxBytes, "frame of \(bytes.count) bytes")
        switch frame {
        case .hello(_, _, nil), .helloReply(_, nil):
            // Past a list of versions this build does not speak nothing is read: what was read encodes back.
            try expect(bytes.starts(with: frame.encoded()), "\(frame.name) frame does not encode back to its first bytes")
        default:
            try expect(frame.encoded() == bytes, "\(frame.name) frame does not encode back to its bytes")
        }
        switch frame {
        case .entries(let entries):
            try expect(entries.count <= SyncFrame.maxEntriesPerFrame, "\(entries.count) entries in one frame")
            for entry in entries { try check(entry, from: entry.encoded) }
        case .vector(let vector):
            try check(vector)
        case .hello(let versions, _, let hello):
            try check(versions, challenge: hello?.challenge, token: hello?.token)
        case .helloReply(let versions, let reply):
            try check(versions, challenge: reply?.challenge, token: reply?.token)
        case .forks(let checkpoints):
            try expect(checkpoints.positions.count <= Checkpoints.maxAuthors, "\(checkpoints.positions.count) authors in a forks frame")
            try expect(checkpoints.positions.values.allSatisfy { !$0.isEmpty && $0.count <= Checkpoints.maxPerAuthor }, "positions out of bounds")
        case .fetch(let refs):
            try expect(refs.count <= PayloadFetch.maxRefs, "\(refs.count) entries in a fetch frame")
            try expect(zip(refs, refs.dropFirst()).allSatisfy { $0 < $1 }, "fetch frame not strictly ascending")
            try expect(refs.allSatisfy { $0.seq >= 1 && $0.seq < 1 << 63 }, "fetched seq out of range")
        case .proof, .done:
            break
        }
        return .accepted
    }

    /// The vector frame's type byte: the frame of the empty vector without the empty vector.
    static let vectorFramePrefix: [UInt8] = {
        var empty = ByteWriter()
        SyncVector().encode(into: &empty)
        return Array(SyncFrame.vector(SyncVector()).encoded().dropLast(empty.bytes.count))
    }()

    /// Decodes a vector from the start of `bytes`; accepted when it is all of them, as in a vector frame.
    static func syncVector(_ bytes: [UInt8]) throws(FuzzViolation) -> FuzzOutcome {
        var reader = ByteReader(bytes)
        let framed = try? SyncFrame.decode(vectorFramePrefix + bytes)
        guard let vector = try? SyncVector.decode(from: &reader) else {
            try expect(framed == nil, "refused alone, accepted in a frame")
            return .refused
        }
        var writer = ByteWriter()
        vector.encode(into: &writer)
        try expect(writer.bytes == Array(bytes.prefix(reader.offset)), "vector does not encode back to its bytes")
        try check(vector)
        guard reader.remaining == 0 else {
            try expect(framed == nil, "a frame with bytes after its vector is accepted")
            return .refused
        }
        try expect(framed == .vector(vector), "decodes differently inside a frame")
        return .accepted
    }

    /// A hello's or hello reply's version list, and what follows it: present exactly when this build
    /// speaks one of the versions.
    static func check(_ versions: [UInt8], challenge: [UInt8]?, token: [UInt8]?) throws(FuzzViolation) {
        try expect((1...ProtocolVersions.maxListed).contains(versions.count), "\(versions.count) versions listed")
        try expect(versions.first != 0 && zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 }, "versions not above 0 and rising")
        try expect((challenge != nil) == (ProtocolVersions.agreed(ProtocolVersions.spoken, versions) != nil), "rest read for versions \(versions)")
        try expect(challenge.map { $0.count == HandshakeTranscript.challengeBytes } ?? true, "challenge of \(challenge?.count ?? 0) bytes")
        try expect(token.map { $0.count == HandshakeTranscript.tokenBytes } ?? true, "token of \(token?.count ?? 0) bytes")
    }

    static func check(_ vector: SyncVector) throws(FuzzViolation) {
        try expect(vector.tips.count <= SyncVector.maxAuthors, "\(vector.tips.count) authors")
        for (author, tips) in vector.tips {
            try expect(!tips.isEmpty && tips.count <= SyncVector.maxTipsPerAuthor, "\(tips.count) tips of one author")
            try expect(zip(tips, tips.dropFirst()).allSatisfy { $0 < $1 }, "tips not strictly ascending")
            try expect(tips.allSatisfy { $0.seq >= 1 && $0.seq < 1 << 63 }, "tip seq out of range")
            try expect(vector.highestSeq(of: author) == tips.last?.seq, "highest seq is not the last tip's")
        }
        try expect(SyncVector(vector.tips) == vector, "normalising a decoded vector changes it")
        try expect(vector.missing(in: vector).isEmpty, "a vector lacks something of itself")
        let empty = SyncVector()
        try expect(empty.missing(in: vector).isEmpty, "the empty vector has something")
        let all = vector.missing(in: empty)
        try expect(all.count == vector.tips.count && all.allSatisfy { $0.after == 0 }, "the empty vector does not lack everything")
        try expect(zip(all, all.dropFirst()).allSatisfy { $0.author < $1.author }, "missing authors not in order")
    }
}
