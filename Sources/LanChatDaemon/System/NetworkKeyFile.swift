import Foundation
import LanChatCore

/// Reads the network keys from the files `--network-key-file` names (on the system service, a
/// credential systemd passes with `LoadCredential=`). The first key of the first file is the one this
/// node seals with; every key of every file opens. No file, no key: the network is open.
enum NetworkKeyFile {
    static func load(_ paths: [String]) throws(DaemonError) -> NetworkKeyRing? {
        var keys: [NetworkKey] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else { throw .configuration("cannot read network key file \(path): \(errnoText())") }
            guard info.st_mode & S_IFMT == S_IFREG else { throw .configuration("network key file \(path) is not a regular file") }
            // Anyone who reads the key reads the network: it must not be open to every user of the machine.
            guard info.st_mode & 0o006 == 0 else {
                throw .insecure("network key file \(path) is open to every user; run: chmod 600 \(path)")
            }
            guard let data = FileManager.default.contents(atPath: path), let text = String(bytes: data, encoding: .utf8) else {
                throw .configuration("cannot read network key file \(path): \(errnoText())")
            }
            do {
                keys += try NetworkKeyRing.parse(text)
            } catch {
                throw .configuration("network key file \(path): \(error)")
            }
        }
        guard keys.count <= NetworkKeyRing.maxKeys else {
            throw .configuration("\(keys.count) network keys in all; at most \(NetworkKeyRing.maxKeys)")
        }
        return NetworkKeyRing(keys)
    }
}
