import Foundation
import LanChatControl
import LanChatCore

/// `lanchatd --import-identity FILE`: makes a backup's identity the state directory's, while no daemon
/// runs (the state directory's lock says so), then exits. The daemon started next waits for its peers'
/// copy of this identity's log before it writes (an existing identity, known peers: the write gate).
public enum IdentityImport {
    public static func run(file: String, stateDirectory: String) throws(DaemonError) -> String {
        guard let data = FileManager.default.contents(atPath: file), let text = String(bytes: data, encoding: .utf8) else {
            throw .io("cannot read \(file): \(errnoText())")
        }
        let passphrase: String
        do {
            passphrase = try PassphraseReader.read(prompt: "passphrase of the backup: ", confirm: false)
        } catch {
            throw .configuration(error.description)
        }
        let identity: LocalIdentity
        do {
            identity = try IdentityBackup.open(text, passphrase: passphrase)
        } catch {
            throw .configuration("\(file): \(error)")
        }
        let state: StateDirectory
        do {
            state = try StateDirectory(path: stateDirectory)
        } catch .alreadyRunning {
            throw .alreadyRunning("lanchatd is running on \(stateDirectory): stop it first, then import")
        }
        defer { state.releaseLock() }
        let kept = try state.importIdentity(identity)
        return [
            "imported identity \(identity.id.text) into \(stateDirectory)"
                + (kept.map { "; the key it replaces is kept as \($0)" } ?? ""),
            "warning: never run lanchatd with this identity on the old machine again: two machines with one identity fork its log (lanchat doctor would say so); to use one identity on two devices, link them (lanchat link)",
            "start lanchatd: it fetches this identity's messages from its peers before it writes",
        ].joined(separator: "\n")
    }
}
