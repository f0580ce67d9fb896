import FoundationEssentials

public enum ControlLimits {
    public static let maxRequestBytes = 64 * 1024
    public static let maxHistory = 10_000
    public static let defaultHistory = 50
    public static let defaultRoom = "general"
}

/// One request line. Optional values the client leaves out are left out on the wire too, and the
/// daemon applies the documented defaults, so a request means the same whoever builds it.
public enum ControlCommand: Sendable, Equatable {
    /// `mentions`: people named in the body by ID, as spans of its UTF-8 bytes (`MentionSpan.name` unused).
    case send(body: String, room: String? = nil, replyTo: String? = nil, mentions: [MentionSpan]? = nil)
    /// Deletes one of this identity's messages, named `<author>/<seq>`.
    case delete(id: String)
    /// Replaces the text of one of this identity's messages.
    case edit(id: String, body: String)
    case history(room: String? = nil, limit: Int? = nil)
    case follow(room: String? = nil)
    /// Without a name, shows this node's identity; with one, renames it.
    case name(String? = nil)
    case whoami
    case who
    case rooms
    /// The caller has read a room (`room`) or a conversation of direct messages (`to`) up to its newest message.
    case markRead(room: String? = nil, with: String? = nil)
    /// A direct message to one person, named by ID, short ID or display name.
    case dm(to: String, body: String)
    /// The direct messages with one person, oldest first; reading them marks them read for the caller.
    case conversation(with: String, limit: Int? = nil)
    /// Every conversation of direct messages, with its unread count for the caller.
    case dms
    /// This identity's private key, encrypted under the passphrase (`IdentityBackup`).
    case exportIdentity(passphrase: String)
    /// Starts linking another device to this person: answers a one-time code.
    case linkInvite
    /// Joins the person whose device showed `code`: answers the confirmation number to check.
    case linkJoin(code: String)
    /// Accepts, on the inviting device, the joining device that shows this confirmation number.
    case linkConfirm(confirmation: String)
    /// Removes a lost device (by ID or short ID) from this person.
    case unlink(device: String)
    /// Hides a person's messages from this node's views; without an ID, lists who is muted.
    case mute(id: String? = nil)
    case unmute(id: String)
    /// Gives a person a name only this machine shows (`name`), or takes it back (`name` nil); without an
    /// ID, lists them.
    case alias(id: String? = nil, name: String? = nil)
    case status
    case peers
    case doctor
    /// Every message (of one room, or of all and the direct messages), oldest first, from `since` (RFC 3339)
    /// on: answered by one event line each, then one response line.
    case export(room: String? = nil, since: String? = nil)
}

extension ControlCommand: Codable {
    /// The wire form: one flat object, `cmd` plus whichever fields the command uses.
    struct Fields: Codable {
        var cmd: String
        var room: String?
        var body: String?
        var limit: Int?
        var name: String?
        var replyTo: String?
        var id: String?
        var to: String?
        var passphrase: String?
        var code: String?
        var confirmation: String?
        var mentions: [MentionSpan]?
        var since: String?
    }

    /// A line that is not an object of well-typed fields throws a `DecodingError` (the daemon answers
    /// `bad_json`); a well-formed line the daemon cannot act on throws a `ControlFailure` with its code.
    public init(from decoder: any Decoder) throws {
        try self.init(try Fields(from: decoder))
    }

    init(_ fields: Fields) throws(ControlFailure) {
        switch fields.cmd {
        case "send":
            guard let body = fields.body else { throw ControlFailure(.badRequest, "send needs a body") }
            self = .send(body: body, room: fields.room, replyTo: fields.replyTo, mentions: fields.mentions)
        case "delete":
            guard let id = fields.id else { throw ControlFailure(.badRequest, "delete needs an id") }
            self = .delete(id: id)
        case "edit":
            guard let id = fields.id, let body = fields.body else { throw ControlFailure(.badRequest, "edit needs an id and a body") }
            self = .edit(id: id, body: body)
        case "history": self = .history(room: fields.room, limit: fields.limit)
        case "follow": self = .follow(room: fields.room)
        case "name": self = .name(fields.name)
        case "whoami": self = .whoami
        case "who": self = .who
        case "rooms": self = .rooms
        case "markRead":
            guard (fields.room == nil) != (fields.to == nil) else { throw ControlFailure(.badRequest, "markRead needs a room or to, not both") }
            self = .markRead(room: fields.room, with: fields.to)
        case "dm":
            guard let to = fields.to, let body = fields.body else { throw ControlFailure(.badRequest, "dm needs to and a body") }
            self = .dm(to: to, body: body)
        case "conversation":
            guard let to = fields.to else { throw ControlFailure(.badRequest, "conversation needs to") }
            self = .conversation(with: to, limit: fields.limit)
        case "dms": self = .dms
        case "exportIdentity":
            guard let passphrase = fields.passphrase else { throw ControlFailure(.badRequest, "exportIdentity needs a passphrase") }
            self = .exportIdentity(passphrase: passphrase)
        case "linkInvite": self = .linkInvite
        case "linkJoin":
            guard let code = fields.code else { throw ControlFailure(.badRequest, "linkJoin needs a code") }
            self = .linkJoin(code: code)
        case "linkConfirm":
            guard let confirmation = fields.confirmation else { throw ControlFailure(.badRequest, "linkConfirm needs a confirmation") }
            self = .linkConfirm(confirmation: confirmation)
        case "unlink":
            guard let id = fields.id else { throw ControlFailure(.badRequest, "unlink needs an id") }
            self = .unlink(device: id)
        case "mute": self = .mute(id: fields.id)
        case "alias": self = .alias(id: fields.id, name: fields.name)
        case "unmute":
            guard let id = fields.id else { throw ControlFailure(.badRequest, "unmute needs an id") }
            self = .unmute(id: id)
        case "status": self = .status
        case "peers": self = .peers
        case "doctor": self = .doctor
        case "export": self = .export(room: fields.room, since: fields.since)
        default: throw ControlFailure(.unknownCommand, "unknown command '\(fields.cmd)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try fields.encode(to: encoder)
    }

    var fields: Fields {
        switch self {
        case .send(let body, let room, let replyTo, let mentions): Fields(cmd: "send", room: room, body: body, replyTo: replyTo, mentions: mentions)
        case .delete(let id): Fields(cmd: "delete", id: id)
        case .edit(let id, let body): Fields(cmd: "edit", body: body, id: id)
        case .history(let room, let limit): Fields(cmd: "history", room: room, limit: limit)
        case .follow(let room): Fields(cmd: "follow", room: room)
        case .name(let name): Fields(cmd: "name", name: name)
        case .whoami: Fields(cmd: "whoami")
        case .who: Fields(cmd: "who")
        case .rooms: Fields(cmd: "rooms")
        case .markRead(let room, let with): Fields(cmd: "markRead", room: room, to: with)
        case .dm(let to, let body): Fields(cmd: "dm", body: body, to: to)
        case .conversation(let with, let limit): Fields(cmd: "conversation", limit: limit, to: with)
        case .dms: Fields(cmd: "dms")
        case .exportIdentity(let passphrase): Fields(cmd: "exportIdentity", passphrase: passphrase)
        case .linkInvite: Fields(cmd: "linkInvite")
        case .linkJoin(let code): Fields(cmd: "linkJoin", code: code)
        case .linkConfirm(let confirmation): Fields(cmd: "linkConfirm", confirmation: confirmation)
        case .unlink(let device): Fields(cmd: "unlink", id: device)
        case .mute(let id): Fields(cmd: "mute", id: id)
        case .unmute(let id): Fields(cmd: "unmute", id: id)
        case .alias(let id, let name): Fields(cmd: "alias", name: name, id: id)
        case .status: Fields(cmd: "status")
        case .peers: Fields(cmd: "peers")
        case .doctor: Fields(cmd: "doctor")
        case .export(let room, let since): Fields(cmd: "export", room: room, since: since)
        }
    }
}
