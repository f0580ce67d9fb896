import Foundation
import LanChatControl
import Testing

/// A direct message on the virtual office LAN, on an open network (no key): its text is on no wire
/// and in no file but the recipient's and the sender's views, while every host stores and relays it.
@Suite("direct messages on the virtual LAN", .serialized)
struct DirectMessageLANTests {
    @Test("a direct message is read by its recipient, and by nobody on the switch or the third host")
    func onlyTheRecipientReadsIt() async throws {
        let directory = try KeyDirectory()
        defer { directory.remove() }
        try await VirtualLAN.with(3, prefix: "lt8") { lan in
            let capture = try Capture(lan: lan, path: "\(directory.path)/switch.pcap")
            defer { capture.stop() }
            let hosts = try await lan.startMeshed(3)
            for (host, name) in zip(hosts, ["Alice", "Bob", "Carol"]) { try await host.rename(to: name) }
            try await wait(until: {
                Set(try await hosts[0].withControlClient { try $0.request(.who).identities ?? [] }.map(\.name)) == ["Alice", "Bob", "Carol"]
            }, "h1 to know everyone's name")
            // A room message too: the capture must show that text does cross the wire in clear on an open network.
            try await hosts[0].send("a public canary")
            let sent = try await hosts[0].withControlClient { try $0.request(.dm(to: "Bob", body: "a private canary")) }
            #expect(sent.ok, "\(sent)")
            try await wait(until: {
                try await hosts[1].withControlClient { try $0.request(.conversation(with: "Alice")).messages ?? [] }
                    .contains { $0.body == "a private canary" }
            }, "Bob to read Alice's direct message")
            let total = try await hosts[0].status().entries
            try await wait(until: { try await hosts[2].status().entries == total }, "Carol to hold every entry")
            #expect(try await hosts[2].withControlClient { try $0.request(.dms).conversations ?? [] }.isEmpty)
            try await wait(until: { Capture.find(Array("a public canary".utf8), in: capture.bytes) }, timeout: .seconds(5),
                           "the capture to hold the room message")
            capture.stop()
            #expect(!Capture.find(Array("private canary".utf8), in: capture.bytes), "the direct message crossed the wire in clear")
            let carolState = hosts[2].stateDir
            for file in ["lanchat.sqlite", "lanchat.sqlite-wal"] {
                let bytes = FileManager.default.contents(atPath: "\(carolState)/\(file)") ?? Data()
                #expect(!Capture.find(Array("private canary".utf8), in: bytes), "the text is in Carol's \(file)")
            }
        }
    }
}
