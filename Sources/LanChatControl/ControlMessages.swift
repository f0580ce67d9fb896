import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

// The control protocol: one JSON object per line each way over the daemon's Unix socket.
// These types are shared by the daemon and every client; docs/CONTROL.md describes every field.

public struct AuthorRef: Codable, Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A person named in a message: the UTF-8 bytes `offset ..< offset + length` of its `body` show them.
/// In a request (`send`) `name` is left out; in what the daemon answers it is the person's current name,
/// and the span covers `@` and that name in the body as shown.
public struct MentionSpan: Codable, Sendable, Hashable {
    public var offset: Int
    public var length: Int
    public var id: String
    public var name: String?

    public init(offset: Int, length: Int, id: String, name: String? = nil) {
        self.offset = offset
        self.length = length
        self.id = id
        self.name = name
    }
}

/// A message or a rename, as `history` returns it and `follow` streams it.
public struct ChatEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// `dm`: a direct message to or from this node's identity, opened here (`with` names the other person).
        case message, profile, dm
    }

    public var type: Kind
    public var id: String?
    public var author: AuthorRef
    public var room: String?
    public var body: String?
    public var sentAt: String?
    public var replyTo: String?
    /// Set when the author's clock ran too far ahead of this node's: `sentAt` is then the arrival time.
    public var clockAhead: Bool?
    /// When the author last edited it; `body` is then the edited text.
    public var editedAt: String?
    /// Set when the author deleted it; `body` is then absent.
    public var deleted: Bool?
    /// A direct message's other person: its recipient when this identity wrote it, else its author.
    public var with: AuthorRef?
    /// The people the body names, each shown under their current name.
    public var mentions: [MentionSpan]?
    /// Set when one of `mentions` is this node's person (any of its linked devices).
    public var mentionsMe: Bool?

    public init(
        type: Kind, id: String? = nil, author: AuthorRef, room: String? = nil, body: String? = nil,
        sentAt: String? = nil, replyTo: String? = nil, clockAhead: Bool? = nil, editedAt: String? = nil, deleted: Bool? = nil,
        with: AuthorRef? = nil
    ) {
        self.with = with
        self.editedAt = editedAt
        self.deleted = deleted
        self.type = type
        self.id = id
        self.author = author
        self.room = room
        self.body = body
        self.sentAt = sentAt
        self.replyTo = replyTo
        self.clockAhead = clockAhead
    }
}

public struct IdentityInfo: Codable, Sendable, Equatable {
    /// Characters of an ID that `short` keeps, and that people see where names clash.
    public static let shortLength = 6

    public var id: String
    public var name: String
    public var short: String
    public var isSelf: Bool?
    public var online: Bool?
    public var messages: Int?
    /// Set when the identity's log forked: still `open`, or `closed` by a later entry that merged it.
    public var fork: ForkState?
    /// A person with linked devices: every device's ID, the first one (`id`) first.
    public var devices: [String]?
    /// Set when this node hides the person's messages (`lanchat mute`).
    public var muted: Bool?

    public init(
        id: String, name: String, short: String, isSelf: Bool? = nil, online: Bool? = nil, messages: Int? = nil,
        fork: ForkState? = nil
    ) {
        self.id = id
        self.name = name
        self.short = short
        self.isSelf = isSelf
        self.online = online
        self.messages = messages
        self.fork = fork
    }
}

/// A forked log (two entries at one seq: a restored backup, one identity on two machines).
public enum ForkState: String, Codable, Sendable {
    case open, closed
}

/// What `status` says of the limits on what this node keeps.
public struct StorageReport: Codable, Sendable, Equatable {
    /// Days after which messages' text is dropped; absent when it is kept for ever.
    public var retainDays: Int?
    public var authorQuotaBytes: Int
    /// Messages whose text retention or a quota dropped so far (their headers stay).
    public var payloadsDropped: Int
    /// Entries held without a payload nobody deleted (it came header-only from a relay): asked of peers.
    public var payloadsMissing: Int

    public init(retainDays: Int? = nil, authorQuotaBytes: Int = 64 << 20, payloadsDropped: Int = 0, payloadsMissing: Int = 0) {
        self.retainDays = retainDays
        self.authorQuotaBytes = authorQuotaBytes
        self.payloadsDropped = payloadsDropped
        self.payloadsMissing = payloadsMissing
    }
}

/// What `status` says of forked logs, and of this identity in particular.
public struct ForkReport: Codable, Sendable, Equatable {
    /// Authors whose log forked, and of those, how many have not merged it yet.
    public var forked: Int
    public var open: Int
    /// This identity's own log, if it forked.
    public var own: ForkState?
    /// The same identity runs elsewhere (a copied state directory): entries of it arrived that this
    /// daemon did not write, after it had written since its start, or another daemon proved it in a sync
    /// handshake with another start token.
    public var twin: Bool
    /// Entries refused because their author's log already had as many branches (8) as are kept.
    public var refusedBranches: Int

    public init(forked: Int = 0, open: Int = 0, own: ForkState? = nil, twin: Bool = false, refusedBranches: Int = 0) {
        self.forked = forked
        self.open = open
        self.own = own
        self.twin = twin
        self.refusedBranches = refusedBranches
    }
}

public struct RoomInfo: Codable, Sendable, Equatable {
    public var name: String
    public var messages: Int
    public var lastAt: String?
    /// Messages from others after where the caller (the local Unix user) stopped reading.
    public var unread: Int
    /// Of those, the ones that mention this node's person.
    public var mentions: Int

    public init(name: String, messages: Int, lastAt: String?, unread: Int = 0, mentions: Int = 0) {
        self.name = name
        self.messages = messages
        self.lastAt = lastAt
        self.unread = unread
        self.mentions = mentions
    }
}

public struct PeerInfo: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case alive, suspect, offline
    }

    /// How the address became known.
    public enum Source: String, Codable, Sendable, CaseIterable {
        case configured, exchange, inbound, mdns, remembered
    }

    public var id: String?
    public var name: String?
    public var address: String
    public var state: State
    public var lastSeen: String?
    public var behind: Int?
    public var sources: [Source]
    /// Set for an address that speaks another protocol version than this node: they cannot talk.
    public var protocolVersion: Int?

    public init(
        id: String?, name: String?, address: String, state: State, lastSeen: String?, behind: Int?, sources: [Source],
        protocolVersion: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.address = address
        self.state = state
        self.lastSeen = lastSeen
        self.behind = behind
        self.sources = sources
        self.protocolVersion = protocolVersion
    }
}

/// Whether the node announces and browses over DNS-SD; on the wire `disabled`, `starting`, `active`
/// or `unavailable: <reason>`.
public enum MDNSState: Sendable, Equatable, Codable, CustomStringConvertible {
    case disabled
    case starting
    case active
    case unavailable(reason: String)

    /// Reads the wire form; text that is none of the fixed words is a reason for being unavailable.
    public init(_ text: String) {
        switch text {
        case "disabled": self = .disabled
        case "starting": self = .starting
        case "active": self = .active
        default:
            let prefix = "unavailable: "
            self = .unavailable(reason: text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text)
        }
    }

    public var description: String {
        switch self {
        case .disabled: "disabled"
        case .starting: "starting"
        case .active: "active"
        case .unavailable(let reason): "unavailable: \(reason)"
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public struct StatusInfo: Codable, Sendable, Equatable {
    public struct PeersByState: Codable, Sendable, Equatable {
        public var alive = 0
        public var suspect = 0
        public var offline = 0

        public init() {}

        public subscript(state: PeerInfo.State) -> Int {
            get {
                switch state {
                case .alive: alive
                case .suspect: suspect
                case .offline: offline
                }
            }
            set {
                switch state {
                case .alive: alive = newValue
                case .suspect: suspect = newValue
                case .offline: offline = newValue
                }
            }
        }

        public var total: Int { alive + suspect + offline }
    }

    /// Replication counters since the daemon started; docs/CONTROL.md says what each counts.
    public struct Counters: Codable, Sendable, Equatable {
        public var datagramsIn: UInt64 = 0
        public var datagramsOut: UInt64 = 0
        public var datagramBytesOut: UInt64 = 0
        public var pushesOut: UInt64 = 0
        public var entriesPushedIn: UInt64 = 0
        public var duplicates: UInt64 = 0
        public var pushesShed: UInt64 = 0
        public var dropped: UInt64 = 0
        public var otherNetwork: UInt64 = 0
        public var otherVersion: UInt64 = 0
        public var rateLimited: UInt64 = 0
        public var addressesRefused: UInt64 = 0
        public var sendErrors: UInt64 = 0
        public var syncsStarted: UInt64 = 0
        public var syncsFailed: UInt64 = 0
        public var syncsCompleted: UInt64 = 0
        public var inboundSyncs: UInt64 = 0
        public var inboundSyncsRefused: UInt64 = 0
        public var entriesSyncedIn: UInt64 = 0
        public var entriesSyncedOut: UInt64 = 0
        public var syncBytesIn: UInt64 = 0
        public var payloadsFetched: UInt64 = 0
        public var unauthenticated: UInt64 = 0
        public var replayed: UInt64 = 0
        public var wantsOut: UInt64 = 0
        public var entriesServed: UInt64 = 0

        public init() {}

        /// A counter the daemon's release lacks reads as 0, and one this release lacks is ignored: a `lanchat`
        /// newer or older than the running daemon still reads its status.
        public init(from decoder: any Decoder) throws {
            let values = try decoder.singleValueContainer().decode([String: UInt64].self)
            self.init()
            for (name, counter) in Self.named { self[keyPath: counter] = values[name] ?? 0 }
        }

        /// Every counter with its JSON name, sorted by name: for people, and for readers of named counters.
        public static let named: [(name: String, value: WritableKeyPath<Counters, UInt64> & Sendable)] = [
            ("addressesRefused", \.addressesRefused), ("datagramBytesOut", \.datagramBytesOut), ("datagramsIn", \.datagramsIn), ("datagramsOut", \.datagramsOut),
            ("dropped", \.dropped), ("duplicates", \.duplicates), ("entriesPushedIn", \.entriesPushedIn),
            ("entriesServed", \.entriesServed), ("entriesSyncedIn", \.entriesSyncedIn), ("entriesSyncedOut", \.entriesSyncedOut),
            ("inboundSyncs", \.inboundSyncs), ("inboundSyncsRefused", \.inboundSyncsRefused),
            ("otherNetwork", \.otherNetwork), ("otherVersion", \.otherVersion), ("payloadsFetched", \.payloadsFetched), ("pushesOut", \.pushesOut),
            ("pushesShed", \.pushesShed),
            ("rateLimited", \.rateLimited), ("replayed", \.replayed),
            ("sendErrors", \.sendErrors), ("syncBytesIn", \.syncBytesIn), ("syncsCompleted", \.syncsCompleted), ("syncsFailed", \.syncsFailed),
            ("syncsStarted", \.syncsStarted), ("unauthenticated", \.unauthenticated), ("wantsOut", \.wantsOut),
        ]
    }

    public var id: String
    public var name: String
    public var version: String
    public var network: String
    public var port: Int
    /// The port asked for (the default), when another process held it and the daemon took `port` instead.
    public var portTaken: Int?
    public var entries: Int
    public var authors: Int
    public var rooms: Int
    public var peers: Int
    public var peersByState: PeersByState
    public var uptimeSeconds: Double
    public var mdns: MDNSState
    public var counters: Counters
    /// The network keys this node holds, the one it seals with first; none on an open network.
    public var networkKeys: [NetworkKeyInfo]
    public var forks: ForkReport
    public var storage: StorageReport

    public init(
        id: String, name: String, version: String, network: String, port: Int, portTaken: Int? = nil, entries: Int, authors: Int,
        rooms: Int, peersByState: PeersByState, uptimeSeconds: Double, mdns: MDNSState, counters: Counters,
        networkKeys: [NetworkKeyInfo] = [], forks: ForkReport = ForkReport(), storage: StorageReport = StorageReport()
    ) {
        self.networkKeys = networkKeys
        self.forks = forks
        self.storage = storage
        self.id = id
        self.name = name
        self.version = version
        self.network = network
        self.port = port
        self.portTaken = portTaken
        self.entries = entries
        self.authors = authors
        self.rooms = rooms
        self.peers = peersByState.total
        self.peersByState = peersByState
        self.uptimeSeconds = uptimeSeconds
        self.mdns = mdns
        self.counters = counters
    }
}

/// One conversation of direct messages, as `lanchat dms` lists them.
public struct ConversationInfo: Codable, Sendable, Equatable {
    public var with: AuthorRef
    public var messages: Int
    /// Messages from them after where the caller (the local Unix user) stopped reading.
    public var unread: Int
    public var lastAt: String

    public init(with: AuthorRef, messages: Int, unread: Int, lastAt: String) {
        self.with = with
        self.messages = messages
        self.unread = unread
        self.lastAt = lastAt
    }
}

/// A step of linking two devices (`lanchat link`).
public struct LinkInfo: Codable, Sendable, Equatable {
    /// The one-time code the inviting device shows (`linkInvite`).
    public var code: String?
    /// The six digits both devices show (`linkJoin`).
    public var confirmation: String?
    /// The other device.
    public var device: AuthorRef?

    public init(code: String? = nil, confirmation: String? = nil, device: AuthorRef? = nil) {
        self.code = code
        self.confirmation = confirmation
        self.device = device
    }
}

/// A network key, by its fingerprint (never the key).
public struct NetworkKeyInfo: Codable, Sendable, Equatable {
    public var fingerprint: String
    /// This node seals with it; it opens with every key it holds.
    public var sending: Bool

    public init(fingerprint: String, sending: Bool) {
        self.fingerprint = fingerprint
        self.sending = sending
    }
}

/// Every reply is one of these; exactly the fields that fit the request are set.
public struct ControlResponse: Codable, Sendable, Equatable {
    public var ok: Bool
    public var error: ControlFailure?
    public var message: ChatEvent?
    public var messages: [ChatEvent]?
    public var identity: IdentityInfo?
    public var identities: [IdentityInfo]?
    public var rooms: [RoomInfo]?
    public var conversations: [ConversationInfo]?
    /// `exportIdentity`: the encrypted backup, one line of text.
    public var backup: String?
    /// `linkInvite`: the code to type on the other device; `linkJoin`: the number to check on both screens.
    public var link: LinkInfo?
    public var peers: [PeerInfo]?
    public var status: StatusInfo?
    public var checks: [DoctorCheck]?
    /// `export`: how many event lines came before this response, its last line.
    public var exported: Int?

    public init(ok: Bool = true) { self.ok = ok }

    public init(_ failure: ControlFailure) {
        ok = false
        error = failure
    }
}

public enum ControlJSON {
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Our own Codable types with string keys cannot fail to encode.
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from line: some StringProtocol) throws -> T {
        try JSONDecoder().decode(type, from: Data(line.utf8))
    }

    /// Whether JSON text escapes a UTF-16 surrogate that is not half of a pair (`"\ud800"`): such a
    /// string has no Unicode text, so it must be refused, never repaired.
    public static func escapesLoneSurrogate(_ text: some StringProtocol) -> Bool {
        var bytes = Array(text.utf8)[...]
        var pendingHigh = false
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "\\") else {
                if pendingHigh { return true }
                continue
            }
            guard let escaped = bytes.popFirst() else { return pendingHigh }
            guard escaped == UInt8(ascii: "u"), bytes.count >= 4,
                let unit = UInt16(String(decoding: bytes.prefix(4), as: UTF8.self), radix: 16)
            else {
                if pendingHigh { return true }
                continue
            }
            bytes = bytes.dropFirst(4)
            switch unit {
            case 0xD800...0xDBFF:
                if pendingHigh { return true }
                pendingHigh = true
            case 0xDC00...0xDFFF:
                if !pendingHigh { return true }
                pendingHigh = false
            default:
                if pendingHigh { return true }
            }
        }
        return pendingHigh
    }
}

public enum Timestamps {
    /// RFC 3339 in UTC with milliseconds, as every JSON field named `…At` carries it.
    public static func rfc3339(millis: UInt64) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let pad = { (value: Int32, width: Int) in zeroPadded(Int(value), width) }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(millis % 1000), 3))Z"
    }

    /// `value` in decimal, with leading zeros to `width` digits: the fields of every time shown.
    public static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
