import Foundation
import Testing

@testable import LanChatDaemon

/// The identity key: made only where nothing is, and never left behind half-made.
@Suite("state directory: the identity key")
struct StateDirectoryTests {
    enum Obstacle: String, CaseIterable, Sendable {
        case directory, danglingLink, fifo
    }

    private func withDirectory(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/lanchat-state-XXXXXX".utf8CString)
        let root = try #require(mkdtemp(&template).map { String(cString: $0) })
        defer { try? FileManager.default.removeItem(atPath: root) }
        try body(root)
    }

    /// Something at the key's path that is not a key file: refused, and no fresh key left in `identity.key.tmp`.
    @Test(arguments: Obstacle.allCases)
    func aKeyPathThatIsNotAFileIsRefusedAndLeavesNoKey(_ obstacle: Obstacle) throws {
        try withDirectory { root in
            let key = "\(root)/identity.key"
            switch obstacle {
            case .directory: try FileManager.default.createDirectory(atPath: key, withIntermediateDirectories: false)
            case .danglingLink: try FileManager.default.createSymbolicLink(atPath: key, withDestinationPath: "\(root)/nowhere")
            case .fifo: #expect(mkfifo(key, 0o600) == 0)
            }
            let state = try StateDirectory(path: root)
            defer { state.releaseLock() }
            #expect(throws: DaemonError.self) { try state.loadOrCreateIdentity() }
            #expect(!FileManager.default.fileExists(atPath: "\(key).tmp"))
            #expect(!FileManager.default.fileExists(atPath: "\(root)/nowhere"))
        }
    }

    @Test func aMissingKeyIsCreatedOnceAndLoadedAfter() throws {
        try withDirectory { root in
            let state = try StateDirectory(path: root)
            defer { state.releaseLock() }
            let first = try state.loadOrCreateIdentity()
            let second = try state.loadOrCreateIdentity()
            #expect(first.created && !second.created)
            #expect(first.identity.id == second.identity.id)
            #expect(!FileManager.default.fileExists(atPath: "\(root)/identity.key.tmp"))
        }
    }
}
