import Foundation
import LanChatControl
import Testing

@Suite("control commands on the wire")
struct ControlCommandTests {
    /// Every command with its exact line, as docs/CONTROL.md shows it.
    static let wire: [(ControlCommand, String)] = [
        (.send(body: "hi"), #"{"body":"hi","cmd":"send"}"#),
        (.send(body: "a/b", room: "dev", replyTo: "abc/3"), #"{"body":"a/b","cmd":"send","replyTo":"abc/3","room":"dev"}"#),
        (.history(), #"{"cmd":"history"}"#),
        (.history(room: "dev", limit: 5), #"{"cmd":"history","limit":5,"room":"dev"}"#),
        (.follow(), #"{"cmd":"follow"}"#),
        (.follow(room: "dev"), #"{"cmd":"follow","room":"dev"}"#),
        (.name(), #"{"cmd":"name"}"#),
        (.name("Alice Martin"), #"{"cmd":"name","name":"Alice Martin"}"#),
        (.whoami, #"{"cmd":"whoami"}"#),
        (.who, #"{"cmd":"who"}"#),
        (.rooms, #"{"cmd":"rooms"}"#),
        (.status, #"{"cmd":"status"}"#),
        (.peers, #"{"cmd":"peers"}"#),
        (.doctor, #"{"cmd":"doctor"}"#),
        (.export(), #"{"cmd":"export"}"#),
        (.export(room: "dev", since: "2026-11-29T00:00:00.000Z"), #"{"cmd":"export","room":"dev","since":"2026-11-29T00:00:00.000Z"}"#),
    ]

    @Test(arguments: ControlCommandTests.wire.indices)
    func roundTrip(_ index: Int) throws {
        let (command, line) = Self.wire[index]
        #expect(ControlJSON.encode(command) == line)
        #expect(try ControlJSON.decode(ControlCommand.self, from: line) == command)
    }

    @Test func everyCommandIsCovered() throws {
        let verbs = try Self.wire.map { _, line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["cmd"] as? String
        }
        #expect(Set(verbs) == ["send", "history", "follow", "name", "whoami", "who", "rooms", "status", "peers", "doctor", "export"])
    }

    @Test func unknownFieldsAreIgnored() throws {
        #expect(try ControlJSON.decode(ControlCommand.self, from: #"{"cmd":"whoami","body":"x","extra":[1]}"#) == .whoami)
    }

    @Test(arguments: [
        (#"{"cmd":"nope"}"#, ControlErrorCode.unknownCommand),
        (#"{"cmd":"send","room":"dev"}"#, .badRequest),
    ])
    func wellFormedButUnusable(line: String, code: ControlErrorCode) {
        let failure = #expect(throws: ControlFailure.self) { try ControlJSON.decode(ControlCommand.self, from: line) }
        #expect(failure?.code == code)
    }

    @Test(arguments: [#"{"cmd":42}"#, #"[1,2]"#, "", "not json", #"{"cmd":"history","limit":"5"}"#, #"{"room":"dev"}"#])
    func malformedLinesAreDecodingErrors(line: String) {
        #expect(throws: DecodingError.self) { try ControlJSON.decode(ControlCommand.self, from: line) }
    }
}

@Suite("control responses and shapes")
struct ControlShapeTests {
    @Test func failureResponse() throws {
        let line = #"{"error":{"code":"invalid","message":"body is empty"},"ok":false}"#
        #expect(ControlJSON.encode(ControlResponse(ControlFailure(.invalid, "body is empty"))) == line)
        #expect(try ControlJSON.decode(ControlResponse.self, from: line).error?.code == .invalid)
        // A code from a newer daemon still arrives, as internal, with its message.
        let newer = try ControlJSON.decode(ControlResponse.self, from: #"{"error":{"code":"quota","message":"full"},"ok":false}"#)
        #expect(newer.error == ControlFailure(.internal, "full"))
    }

    @Test(arguments: [
        (MDNSState.disabled, "disabled"), (.starting, "starting"), (.active, "active"),
        (.unavailable(reason: "avahi-daemon is not running"), "unavailable: avahi-daemon is not running"),
    ])
    func mdnsStates(state: MDNSState, text: String) throws {
        #expect(ControlJSON.encode([state]) == "[\"\(text)\"]")
        #expect(try ControlJSON.decode([MDNSState].self, from: "[\"\(text)\"]") == [state])
        #expect(MDNSState(text) == state)
    }

    @Test func statusKeepsItsKeys() throws {
        var byState = StatusInfo.PeersByState()
        byState[.alive] = 2
        byState[.offline] = 1
        var counters = StatusInfo.Counters()
        counters.datagramsIn = 51
        counters.otherNetwork = 1
        let status = StatusInfo(
            id: "me", name: "Me", version: "0.1.0", network: "lanchat", port: 7420, entries: 7, authors: 2, rooms: 1,
            peersByState: byState, uptimeSeconds: 1.5, mdns: .disabled, counters: counters)
        let line = ControlJSON.encode(status)
        #expect(line.contains(#""peers":3,"peersByState":{"alive":2,"offline":1,"suspect":0}"#), "\(line)")
        #expect(line.contains(#""mdns":"disabled""#))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let keys = try #require(object["counters"] as? [String: Any]).keys.sorted()
        #expect(keys == StatusInfo.Counters.named.map(\.name))
        #expect(try ControlJSON.decode(StatusInfo.self, from: line) == status)
    }

    /// A daemon of another release may count less or more: what it lacks reads as 0, what this one lacks is ignored.
    @Test func countersOfAnotherReleaseStillRead() throws {
        let counters = try ControlJSON.decode(StatusInfo.Counters.self, from: #"{"datagramsIn":51,"countedByANewerRelease":3}"#)
        var expected = StatusInfo.Counters()
        expected.datagramsIn = 51
        #expect(counters == expected)
    }

    @Test func peerAndEventShapes() throws {
        let peer = PeerInfo(id: nil, name: nil, address: "127.0.0.1:7420", state: .offline, lastSeen: nil, behind: nil, sources: [.configured])
        #expect(ControlJSON.encode(peer) == #"{"address":"127.0.0.1:7420","sources":["configured"],"state":"offline"}"#)
        let event = ChatEvent(type: .profile, author: AuthorRef(id: "abc", name: "Bob"))
        #expect(ControlJSON.encode(event) == #"{"author":{"id":"abc","name":"Bob"},"type":"profile"}"#)
    }

    @Test(arguments: [
        (0 as UInt64, "1970-01-01T00:00:00.000Z"), (1_700_000_000_123, "2023-11-14T22:13:20.123Z"),
        (951_782_400_007, "2000-02-29T00:00:00.007Z"),
    ])
    func timestampsAreRFC3339InUTC(millis: UInt64, text: String) {
        #expect(Timestamps.rfc3339(millis: millis) == text)
    }
}

@Suite("error codes and exit statuses")
struct ExitStatusTests {
    /// The table of docs/CONTROL.md and README.md.
    static let documented: [ControlErrorCode: Int32] = [
        .badJSON: 2, .tooLarge: 2, .unknownCommand: 2, .badRequest: 2, .invalid: 2,
        .notFound: 5, .noPermission: 4, .busy: 6, .unavailable: 6, .storage: 1, .internal: 1,
    ]

    @Test func everyCodeHasItsDocumentedExitStatus() {
        #expect(Set(ControlErrorCode.allCases) == Set(Self.documented.keys))
        for code in ControlErrorCode.allCases {
            #expect(code.exitStatus.rawValue == Self.documented[code], "\(code)")
        }
    }

    @Test func exitStatusesAreFixed() {
        #expect(ClientExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5, 6])
        #expect(ClientExitStatus.noDaemon.rawValue == 3)
    }

    @Test func codesKeepTheirWireNames() {
        #expect(ControlErrorCode.allCases.map(\.rawValue) == [
            "bad_json", "too_large", "unknown_command", "bad_request", "invalid", "not_found", "no_permission", "busy",
            "unavailable", "storage", "internal",
        ])
    }
}
