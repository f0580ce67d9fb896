import Foundation

// The control protocol: one JSON object per line each way over the daemon's Unix socket.
// These types are shared by the daemon and the CLI; docs/CONTROL.md describes every field.

public enum ControlLimits {
    public static let maxRequestBytes = 64 * 1024
    public static let maxHistory = 10_000
    public static let defaultHistory = 50
}

public struct ControlRequest: Codable, Sendable, Equatable {
    public var cmd: String
    public var room: String?
    public var body: String?
    public var limit: Int?
    public var name: String?
    public var replyTo: String?

    public init(
        cmd: String, room: String? = nil, body: String? = nil, limit: Int? = nil, name: String? = nil,
        replyTo: String? = nil
    ) {
        self.cmd = cmd
        self.room = room
        self.body = body
        self.limit = limit
        self.name = name
        self.replyTo = replyTo
    }
}

public struct ControlFailure: Codable, Sendable, Equatable, Error {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}

public struct AuthorRef: Codable, Sendable, Equatable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// A message or a rename, as `history` returns it and `follow` streams it.
public struct ChatEvent: Codable, Sendable, Equatable {
    public var type: String
    public var id: String?
    public var author: AuthorRef
    public var room: String?
    public var body: String?
    public var sentAt: String?
    public var replyTo: String?

    public init(
        type: String, id: String? = nil, author: AuthorRef, room: String? = nil, body: String? = nil,
        sentAt: String? = nil, replyTo: String? = nil
    ) {
        self.type = type
        self.id = id
        self.author = author
        self.room = room
        self.body = body
        self.sentAt = sentAt
        self.replyTo = replyTo
    }
}

public struct IdentityInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var short: String
    public var isSelf: Bool?
    public var online: Bool?
    public var messages: Int?

    public init(id: String, name: String, short: String, isSelf: Bool? = nil, online: Bool? = nil, messages: Int? = nil) {
        self.id = id
        self.name = name
        self.short = short
        self.isSelf = isSelf
        self.online = online
        self.messages = messages
    }
}

public struct RoomInfo: Codable, Sendable, Equatable {
    public var name: String
    public var messages: Int
    public var lastAt: String?

    public init(name: String, messages: Int, lastAt: String?) {
        self.name = name
        self.messages = messages
        self.lastAt = lastAt
    }
}

public struct PeerInfo: Codable, Sendable, Equatable {
    public var id: String?
    public var name: String?
    public var address: String
    public var state: String
    public var lastSeen: String?
    public var behind: Int?
    public var sources: [String]

    public init(
        id: String?, name: String?, address: String, state: String, lastSeen: String?, behind: Int?,
        sources: [String]
    ) {
        self.id = id
        self.name = name
        self.address = address
        self.state = state
        self.lastSeen = lastSeen
        self.behind = behind
        self.sources = sources
    }
}

public struct StatusInfo: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var version: String
    public var network: String
    public var port: Int
    public var entries: Int
    public var authors: Int
    public var rooms: Int
    public var peers: Int
    public var peersByState: [String: Int]
    public var uptimeSeconds: Double
    public var mdns: String
    public var counters: [String: UInt64]

    public init(
        id: String, name: String, version: String, network: String, port: Int, entries: Int, authors: Int,
        rooms: Int, peers: Int, peersByState: [String: Int], uptimeSeconds: Double, mdns: String,
        counters: [String: UInt64]
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.network = network
        self.port = port
        self.entries = entries
        self.authors = authors
        self.rooms = rooms
        self.peers = peers
        self.peersByState = peersByState
        self.uptimeSeconds = uptimeSeconds
        self.mdns = mdns
        self.counters = counters
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
    public var peers: [PeerInfo]?
    public var status: StatusInfo?
    public var checks: [DoctorCheck]?

    public init(ok: Bool = true) { self.ok = ok }

    public static func failure(_ code: String, _ message: String) -> ControlResponse {
        var response = ControlResponse(ok: false)
        response.error = ControlFailure(code: code, message: message)
        return response
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
}

public enum Timestamps {
    /// RFC 3339 in UTC with milliseconds, as every JSON field named `…At` carries it.
    public static func rfc3339(millis: UInt64) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(millis % 1000), 3))Z"
    }
}
