import Foundation
import LanChatClient
import LanChatControl
import LanChatCore
import Testing

@Suite("control socket protocol", .timeLimit(.minutes(1)))
struct ControlProtocolTests {
    /// What a line of the daemon's reply says.
    struct Reply: Sendable {
        let ok: Bool?
        let code: String?
        let raw: String

        init(_ line: String?) throws {
            guard let line else { throw HarnessError("the daemon closed the connection instead of answering") }
            let object = try jsonObject(line)
            ok = object["ok"] as? Bool
            code = (object["error"] as? [String: Any])?["code"] as? String
            raw = line
        }
    }

    static let whoami = Array("{\"cmd\":\"whoami\"}\n".utf8)
    static let someID = LocalIdentity.generate().id.text

    @Test("malformed requests get an error reply and leave the connection usable")
    func malformedRequests() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let daemon = try await sandbox.startDaemon()

        let cases: [(name: String, bytes: [UInt8], code: String)] = [
            ("not JSON", Array("not json\n".utf8), "bad_json"),
            ("unknown command", Array("{\"cmd\":\"nope\"}\n".utf8), "unknown_command"),
            ("70 KiB line", [UInt8](repeating: UInt8(ascii: "x"), count: 70 * 1024) + [UInt8(ascii: "\n")], "too_large"),
            ("70 KiB of valid JSON", Array("{\"cmd\":\"send\",\"body\":\"\(String(repeating: "y", count: 70 * 1024))\"}\n".utf8), "too_large"),
            ("cmd not a string", Array("{\"cmd\":42}\n".utf8), "bad_json"),
            ("a JSON array", Array("[1,2,3]\n".utf8), "bad_json"),
            ("an empty line", Array("\n".utf8), "bad_json"),
            ("invalid UTF-8", [0xff, 0xfe, 0x80, UInt8(ascii: "\n")], "invalid"),
            // Never repaired into U+FFFD and stored: refused, and the history below stays empty.
            ("a body with invalid UTF-8", Array("{\"cmd\":\"send\",\"body\":\"a".utf8) + [0xff, 0xc3] + Array("b\"}\n".utf8), "invalid"),
            ("a body with a lone surrogate", Array("{\"cmd\":\"send\",\"body\":\"a\\ud800b\"}\n".utf8), "invalid"),
            ("a body with a lone low surrogate", Array("{\"cmd\":\"send\",\"body\":\"\\udc00\"}\n".utf8), "invalid"),
            ("a room with invalid UTF-8", Array("{\"cmd\":\"send\",\"body\":\"x\",\"room\":\"r".utf8) + [0xe2, 0x82] + Array("\"}\n".utf8), "invalid"),
            ("send without a body", Array("{\"cmd\":\"send\"}\n".utf8), "bad_request"),
            ("history limit 0", Array("{\"cmd\":\"history\",\"limit\":0}\n".utf8), "bad_request"),
            // Every number and name in a request is range-checked where it is decoded.
            ("history limit -1", Array("{\"cmd\":\"history\",\"limit\":-1}\n".utf8), "bad_request"),
            ("history limit 10001", Array("{\"cmd\":\"history\",\"limit\":10001}\n".utf8), "bad_request"),
            ("history limit 2^63", Array("{\"cmd\":\"history\",\"limit\":9223372036854775808}\n".utf8), "bad_json"),
            ("history limit 1e300", Array("{\"cmd\":\"history\",\"limit\":1e300}\n".utf8), "bad_json"),
            ("history limit 1.5", Array("{\"cmd\":\"history\",\"limit\":1.5}\n".utf8), "bad_json"),
            ("history room with a space", Array("{\"cmd\":\"history\",\"room\":\"Bad Room\"}\n".utf8), "invalid"),
            ("history room of 65 bytes", Array("{\"cmd\":\"history\",\"room\":\"\(String(repeating: "r", count: 65))\"}\n".utf8), "invalid"),
            ("history room empty", Array("{\"cmd\":\"history\",\"room\":\"\"}\n".utf8), "invalid"),
            ("send room uppercase", Array("{\"cmd\":\"send\",\"body\":\"x\",\"room\":\"Dev\"}\n".utf8), "invalid"),
            ("send empty body", Array("{\"cmd\":\"send\",\"body\":\"\"}\n".utf8), "invalid"),
            ("reply seq 0", Array("{\"cmd\":\"send\",\"body\":\"x\",\"replyTo\":\"\(Self.someID)/0\"}\n".utf8), "bad_request"),
            ("reply seq 2^63", Array("{\"cmd\":\"send\",\"body\":\"x\",\"replyTo\":\"\(Self.someID)/9223372036854775808\"}\n".utf8), "bad_request"),
            ("reply seq 2^64", Array("{\"cmd\":\"send\",\"body\":\"x\",\"replyTo\":\"\(Self.someID)/18446744073709551616\"}\n".utf8), "bad_request"),
            ("name of 65 characters", Array("{\"cmd\":\"name\",\"name\":\"\(String(repeating: "n", count: 65))\"}\n".utf8), "invalid"),
            ("name empty", Array("{\"cmd\":\"name\",\"name\":\"\"}\n".utf8), "invalid"),
            ("bad reply id", Array("{\"cmd\":\"send\",\"body\":\"x\",\"replyTo\":\"nope\"}\n".utf8), "bad_request"),
            ("body over the limit", Array("{\"cmd\":\"send\",\"body\":\"\(String(repeating: "z", count: Limits.maxBodyBytes + 1))\"}\n".utf8), "invalid"),
        ]

        // Everything on ONE connection: each bad request, then a good one.
        let replies = try await daemon.withControlClient { client in
            try cases.map { testCase in
                let bad = try Reply(try client.exchangeRaw(testCase.bytes))
                let good = try Reply(try client.exchangeRaw(Self.whoami))
                return (bad, good)
            }
        }
        for (testCase, (bad, good)) in zip(cases, replies) {
            #expect(bad.ok == false, "\(testCase.name): \(bad.raw)")
            #expect(bad.code == testCase.code, "\(testCase.name): \(bad.raw)")
            #expect(good.ok == true, "whoami after \(testCase.name): \(good.raw)")
            #expect(good.raw.contains("\"identity\""), "whoami after \(testCase.name): \(good.raw)")
        }

        // The daemon still serves new connections, raw and through the CLI.
        let fresh = try await daemon.withControlClient { try $0.request(.whoami) }
        #expect(fresh.ok)
        #expect(fresh.identity.map { Shapes.isAuthorID($0.id) } == true)
        #expect(try await sandbox.lanchat("whoami").succeeded)
        #expect(daemon.isRunning)

        // Nothing malformed was stored.
        let history = try await sandbox.lanchat("history", "--json")
        #expect(history.succeeded && history.stdout.isEmpty, "\(history)")
    }

    /// Alone on its connection: were it accepted, the connection would become a stream.
    @Test("follow with an invalid room is refused, not streamed")
    func followWithAnInvalidRoom() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let daemon = try await sandbox.startDaemon()
        let reply = try await daemon.withControlClient { client in
            try Reply(try client.exchangeRaw(Array("{\"cmd\":\"follow\",\"room\":\"a/b\"}\n".utf8)))
        }
        #expect(reply.ok == false && reply.code == "invalid", "\(reply.raw)")
    }

    @Test("several requests in one write are answered in order")
    func pipelinedRequests() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let daemon = try await sandbox.startDaemon()

        let batch = Array(("{\"cmd\":\"send\",\"body\":\"p1\"}\nnot json\n{\"cmd\":\"send\",\"body\":\"p2\",\"room\":\"dev\"}\n" + "{\"cmd\":\"whoami\"}\n").utf8)
        let lines = try await daemon.withControlClient { client in
            var lines = [try client.exchangeRaw(batch)]
            for _ in 0..<3 { lines.append(try client.exchangeRaw([])) }
            return lines
        }
        let replies = try lines.map(Reply.init)
        #expect(replies.map(\.ok) == [true, false, true, true], "\(replies.map(\.raw))")
        #expect(replies[1].code == "bad_json")
        #expect(replies[0].raw.contains("\"p1\""))
        #expect(replies[2].raw.contains("\"p2\""))
    }

    @Test("clients that vanish mid-request do not disturb the daemon")
    func abandonedConnections() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let daemon = try await sandbox.startDaemon()

        // Half a line and an oversized half line, each then closed; then a follow nobody reads.
        for bytes in [Array("{\"cmd\":\"who".utf8), [UInt8](repeating: 0x41, count: 100 * 1024)] {
            let path = daemon.socketPath
            try await DedicatedThread.run {
                let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                guard descriptor >= 0 else { throw HarnessError("socket() failed") }
                defer { close(descriptor) }
                var address = sockaddr_un()
                address.sun_family = sa_family_t(AF_UNIX)
                withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
                guard connected == 0 else { throw HarnessError("connect failed: \(String(cString: strerror(errno)))") }
                _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
        let follower = try await daemon.withControlClient { client in
            try client.exchangeRaw(Array("{\"cmd\":\"follow\"}\n".utf8))
        }
        #expect(follower.map { $0.contains("\"ok\":true") } == true, "\(follower ?? "nil")")

        #expect(try await sandbox.lanchat("send", "still here").succeeded)
        let history = try await sandbox.lanchat("history", "--json")
        #expect(try history.decoded(ChatEvent.self).compactMap(\.body) == ["still here"], "\(history)")
        #expect(daemon.isRunning)
    }
}
