import FoundationEssentials
import LanChatControl
import Testing

/// Clients write requests with `ControlCommand.jsonLine` and the daemon its plainest answers with
/// `ControlResponse.jsonLine`; each side reads them directly, and with `JSONDecoder` whatever the direct
/// reader leaves. Both must agree with `JSONEncoder` byte for byte and with `JSONDecoder` value for value.
@Suite("control JSON: requests and plain answers without JSONEncoder")
struct ControlJSONLineTests {
    /// Every command, its texts drawn from the awkward characters, from a fixed seed.
    static func command(_ random: inout RandomEvents.Generator) -> ControlCommand {
        func text() -> String { random.text() }
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { random.coin() ? value() : nil }
        func number() -> Int { Int(truncatingIfNeeded: random.next()) >> Int(random.next() % 64) }
        let mentions = maybe((0..<Int(random.next() % 3)).map { _ in MentionSpan(offset: number(), length: number(), id: text()) })
        let commands: [ControlCommand] = [
            .send(body: text(), room: maybe(text()), replyTo: maybe(text()), mentions: mentions),
            .delete(id: text()), .edit(id: text(), body: text()), .history(room: maybe(text()), limit: maybe(number())),
            .follow(room: maybe(text())), .name(maybe(text())), .whoami, .who, .rooms,
            random.coin() ? .markRead(room: text()) : .markRead(with: text()),
            .dm(to: text(), body: text()), .conversation(with: text(), limit: maybe(number())), .dms,
            .exportIdentity(passphrase: text()), .linkInvite, .linkJoin(code: text()), .linkConfirm(confirmation: text()),
            .unlink(device: text()), .mute(id: maybe(text())), .unmute(id: text()), .alias(id: maybe(text()), name: maybe(text())),
            .status, .peers, .doctor, .export(room: maybe(text()), since: maybe(text())),
        ]
        return commands[Int(random.next() % UInt64(commands.count))]
    }

    private static func encoderLine(_ value: some Encodable) -> [UInt8] { Array((ControlJSON.encode(value) + "\n").utf8) }

    private static func text(_ line: [UInt8]) -> String { String(decoding: line.dropLast(), as: UTF8.self) }

    @Test func manyRequestsAreWrittenAsJSONEncoderWritesThemAndReadBack() throws {
        var random = RandomEvents.Generator(seed: 20261204)
        var verbs = Set<String>()
        for _ in 0..<3000 {
            let command = Self.command(&random), line = command.jsonLine
            #expect(line == Self.encoderLine(command), "JSONEncoder wrote \(ControlJSON.encode(command))")
            let read = try ControlCommand(jsonLine: Self.text(line))
            // Bytes too: strings that differ only in how an accent is composed compare equal.
            #expect(read == command && read == (try? ControlJSON.decode(ControlCommand.self, from: Self.text(line))) && read?.jsonLine == line)
            if read != command { break }
            verbs.insert(Self.text(line).split(separator: #""cmd":""#)[1].prefix { $0 != "\"" }.description)
        }
        #expect(verbs.count == 25)
    }

    @Test func theSendLineAClientWrites() throws {
        let command = ControlCommand.send(body: "hi \"you\"\n", room: "dev", mentions: [MentionSpan(offset: 0, length: 2, id: "k3j4")])
        let line = #"{"body":"hi \"you\"\n","cmd":"send","mentions":[{"id":"k3j4","length":2,"offset":0}],"room":"dev"}"#
        #expect(String(decoding: command.jsonLine, as: UTF8.self) == line + "\n")
        #expect(try ControlCommand(jsonLine: line) == command)
    }

    /// A line in the direct form that the daemon cannot act on fails as it fails through `JSONDecoder`.
    @Test(arguments: [
        (#"{"cmd":"nope"}"#, ControlErrorCode.unknownCommand),
        (#"{"cmd":"send","room":"dev"}"#, .badRequest),
        (#"{"cmd":"markRead","room":"dev","to":"k3j4"}"#, .badRequest),
    ])
    func wellFormedButUnusable(line: String, code: ControlErrorCode) {
        let direct = #expect(throws: ControlFailure.self) { try ControlCommand(jsonLine: line) }
        let decoded = #expect(throws: ControlFailure.self) { try ControlJSON.decode(ControlCommand.self, from: line) }
        #expect(direct?.code == code && direct == decoded)
    }

    /// What clients other than `lanchat` may write is left to JSONDecoder, which reads most of it.
    @Test(arguments: [
        #"{"cmd": "whoami"}"#, // a space
        #"{"room":"dev","cmd":"history"}"#, // keys out of order
        #"{"cmd":"whoami","extra":1}"#, // a key this release does not know
        #"{"cmd":"history","room":null}"#, // a null
        #"{"cmd":"history","limit":5.0}"#, // a fraction
        #"{"cmd":"history","limit":05}"#, // a leading zero
        #"{"cmd":"history","limit":99999999999999999999}"#, // beyond Int
        #"{"body":"\ud83d\ude00","cmd":"send"}"#, // a surrogate pair
        #"{"cmd":"send","cmd":"send","body":"x"}"#, // a key twice
        #"{"body":"x"}"#, // no command
        #"{"cmd":"whoami"} "#, // more after the object
        #"["cmd","whoami"]"#,
        "",
    ])
    func leavesWhatLanchatDoesNotWrite(line: String) throws {
        #expect(try ControlCommand(jsonLine: line) == nil)
    }

    @Test func plainAnswersAreWrittenAsJSONEncoderWritesThemAndReadBack() {
        var random = RandomEvents.Generator(seed: 20261205)
        var responses = [ControlResponse(), ControlResponse(ok: false)]
        for _ in 0..<1000 {
            var response = ControlResponse()
            response.message = RandomEvents.event(&random)
            responses.append(response)
        }
        for response in responses {
            let line = response.jsonLine
            #expect(line == Self.encoderLine(response), "JSONEncoder wrote \(ControlJSON.encode(response))")
            let read = ControlResponse(jsonLine: Self.text(line))
            #expect(read == response && read == (try? ControlJSON.decode(ControlResponse.self, from: Self.text(line))) && read?.jsonLine == line)
            if read != response { break }
        }
    }

    /// Any other answer goes through `JSONEncoder` and is read by `JSONDecoder`.
    @Test func otherAnswersAreLeftToFoundation() throws {
        var rooms = ControlResponse()
        rooms.rooms = [RoomInfo(name: "dev", messages: 3, lastAt: nil, unread: 1)]
        for response in [ControlResponse(ControlFailure(.badRequest, "no")), rooms] {
            #expect(response.jsonLine == Self.encoderLine(response))
            #expect(ControlResponse(jsonLine: Self.text(response.jsonLine)) == nil)
        }
        #expect(ControlResponse(jsonLine: #"{"ok": true}"#) == nil)
        #expect(ControlResponse(jsonLine: #"{"ok":true}"#) == ControlResponse())
    }
}
