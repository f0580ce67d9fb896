import Foundation
import LanChatClient
import LanChatControl
import Testing

/// One person on two devices, on the virtual office LAN: link with a code and a confirmation number,
/// show as one person everywhere, rename from the second device, read a direct message on both, and
/// unlink the second device (its later messages are its own).
@Suite("linked devices on the virtual LAN", .serialized)
struct LinkedDevicesLANTests {
    @Test("link, rename from the second device, a DM on both devices, unlink")
    func linkRenameMessageUnlink() async throws {
        try await VirtualLAN.with(4, prefix: "lt9") { lan in
            let hosts = try await lan.startMeshed(4)
            let (desktop, laptop, bob, carol) = (hosts[0], hosts[1], hosts[2], hosts[3])
            // The laptop keeps its default name: of a person's devices, the newest profile names the person.
            for (host, name) in [(desktop, "Alice"), (bob, "Bob"), (carol, "Carol")] { try await host.rename(to: name) }
            let desktopID = try await desktop.whoami().id, laptopID = try await laptop.whoami().id
            try await wait(until: { try await laptop.who().count == 4 }, "the laptop to know everyone")
            try await desktop.send("from the desktop")

            // Linking: the code from the desktop, typed on the laptop; a wrong number is refused first.
            let code = try #require(try await desktop.request(.linkInvite).link?.code)
            let joined = try await laptop.request(.linkJoin(code: code))
            let number = try #require(joined.link?.confirmation)
            let wrong = number == "000 000" ? "111 111" : "000 000"
            // Until the laptop's request arrives the desktop says nobody asked; then a wrong number costs an attempt.
            try await wait(until: {
                try await desktop.failure(of: .linkConfirm(confirmation: wrong))?.status == .noPermission
            }, "the desktop to refuse a wrong number once the laptop asked")
            #expect(try await desktop.request(.linkConfirm(confirmation: number)).link?.device?.id == laptopID)
            for host in hosts {
                try await wait(until: {
                    try await host.who().filter { $0.devices == [desktopID, laptopID] }.map(\.name) == ["Alice"]
                }, "\(host.name) to show Alice once, with both devices")
            }

            // A rename from the laptop renames the person, old messages of the desktop included.
            try await laptop.rename(to: "Alice Smith")
            try await wait(until: {
                try await bob.history().first { $0.body == "from the desktop" }?.author.name == "Alice Smith"
            }, "Bob to show the desktop's message under the name given on the laptop")
            try await laptop.send("from the laptop")

            // A direct message to the person reaches both devices, and nobody else reads it.
            let sent = try await bob.request(.dm(to: "Alice Smith", body: "for both of your devices"))
            #expect(sent.ok, "\(sent)")
            for device in [desktop, laptop] {
                try await wait(until: {
                    try await device.request(.conversation(with: "Bob")).messages?.contains { $0.body == "for both of your devices" } == true
                }, "\(device.name) to read Bob's direct message")
            }
            let total = try await bob.status().entries
            try await wait(until: { try await carol.status().entries == total }, "Carol to hold every entry")
            #expect(try await carol.request(.dms).conversations?.isEmpty == true)
            for file in ["lanchat.sqlite", "lanchat.sqlite-wal"] {
                let bytes = FileManager.default.contents(atPath: "\(carol.stateDir)/\(file)") ?? Data()
                #expect(!Capture.find(Array("both of your devices".utf8), in: bytes), "the text is in Carol's \(file)")
            }

            // The laptop is lost: unlinked from the desktop. What it wrote stays Alice's; what it writes now is its own.
            let after = try await desktop.request(.unlink(device: laptopID))
            #expect(after.identity?.devices == nil, "\(after)")
            try await wait(until: {
                try await bob.who().first { $0.id == desktopID }?.devices == nil
            }, "Bob to see the laptop unlinked")
            try await laptop.send("after the unlink")
            try await wait(until: {
                let history = try await bob.history()
                guard let before = history.first(where: { $0.body == "from the laptop" }),
                    let later = history.first(where: { $0.body == "after the unlink" })
                else { return false }
                return before.author.name == "Alice" && later.author.name == "Alice Smith"
            }, "Bob to show the laptop's old message as Alice's and its new one as its own")
        }
    }
}

extension ControlEndpoint {
    func request(_ command: ControlCommand) async throws -> ControlResponse {
        try await withControlClient { try $0.request(command) }
    }

    /// How the daemon refused `command`, or nil if it did not.
    func failure(of command: ControlCommand) async throws -> ClientError? {
        do {
            _ = try await request(command)
            return nil
        } catch let error as ClientError {
            return error
        }
    }

    func who() async throws -> [IdentityInfo] {
        try await request(.who).identities ?? []
    }
}
