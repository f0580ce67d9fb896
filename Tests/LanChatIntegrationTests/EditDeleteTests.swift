import Foundation
import LanChatControl
import Testing

/// `lanchat edit` and `lanchat delete` write signed entries; every node shows the new text, or drops
/// the deleted text from its database file, and nobody can edit or delete another's message.
@Suite("edit and delete", .timeLimit(.minutes(1)))
struct EditDeleteTests {
    private func databaseHolds(_ text: String, in stateDir: String) -> Bool {
        let needle = Data(text.utf8)
        return ["lanchat.sqlite", "lanchat.sqlite-wal"].contains { name in
            (FileManager.default.contents(atPath: "\(stateDir)/\(name)") ?? Data()).range(of: needle) != nil
        }
    }

    private func message(_ id: String, on node: Daemon) async throws -> ChatEvent? {
        try await node.history().first { $0.id == id }
    }

    @Test("an edit shows everywhere, marked; a delete drops the text from every node's file")
    func editThenDelete() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let a = try await sandbox.startNode("a")
        let b = try await sandbox.startNode("b", peers: [a])
        let original = "the plan is tuesday 0x51A7"
        let sent = try await a.send(original)
        let id = try #require(sent.id)
        try await wait(until: { try await message(id, on: b)?.body == original }, timeout: .seconds(10), "b to get the message")

        let edited = try await sandbox.lanchat(["edit", "--json", id, "the plan is wednesday 0x9E1D"], socket: a.socketPath)
        #expect(edited.succeeded, "\(edited)")
        try await wait(
            until: { try await message(id, on: b)?.body == "the plan is wednesday 0x9E1D" }, timeout: .seconds(10), "b to show the edit")
        #expect(try await message(id, on: b)?.editedAt != nil)

        // The texts are in b's file now: the check below can see them.
        #expect(databaseHolds("0x51A7", in: b.stateDir) && databaseHolds("0x9E1D", in: b.stateDir))

        let refused = try await sandbox.lanchat(["delete", id], socket: b.socketPath)
        #expect(refused.status == 4 && refused.stderr.contains("only your own"), "\(refused)")

        let deleted = try await sandbox.lanchat(["delete", id], socket: a.socketPath)
        #expect(deleted.succeeded, "\(deleted)")
        try await wait(until: { try await message(id, on: b)?.deleted == true }, timeout: .seconds(10), "b to see the delete")
        #expect(try await message(id, on: b)?.body == nil)
        for node in [a, b] {
            try await wait(
                until: { !databaseHolds("0x51A7", in: node.stateDir) && !databaseHolds("0x9E1D", in: node.stateDir) },
                timeout: .seconds(10), "the deleted text to leave \(node.stateDir)")
        }
        let again = try await sandbox.lanchat(["edit", id, "too late"], socket: a.socketPath)
        #expect(again.status == 5, "a deleted message cannot be edited: \(again)")
    }
}
