import Foundation
import LanChatCore

/// The daemon's private directory: the key file, the database and the lock that keeps a second
/// daemon off the same state.
struct StateDirectory {
    let path: String
    private let lockDescriptor: Int32

    var databasePath: String { "\(path)/lanchat.sqlite" }
    /// Present from an import until the imported identity's first sync (`WriteGate.Importing`).
    private var importMarkPath: String { "\(path)/identity.imported" }

    var wasImported: Bool { access(importMarkPath, F_OK) == 0 }

    func clearImportMark() { unlink(importMarkPath) }
    private var keyPath: String { "\(path)/identity.key" }

    /// Creates the directory (0700) and takes its lock, or fails if another daemon holds it.
    init(path: String) throws(DaemonError) {
        self.path = path
        try Self.makeDirectory(path, mode: 0o700)
        let lockPath = "\(path)/lanchatd.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io("cannot open \(lockPath): \(errnoText())") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .alreadyRunning("another lanchatd is already using \(path) (lock \(lockPath) is held)")
        }
        lockDescriptor = descriptor
    }

    func releaseLock() {
        close(lockDescriptor)
    }

    /// Loads this node's identity, creating it on first start. The key file is written to a temporary
    /// name with mode 0600 and renamed, so it is never visible half-written or with wider permissions.
    /// A key path that exists but is not a readable regular file (a directory, a dangling link, no
    /// permission) is an error: a new identity is made only where there is nothing at all, and on any
    /// failure no key is left behind in the temporary file.
    func loadOrCreateIdentity() throws(DaemonError) -> (identity: LocalIdentity, created: Bool) {
        var info = stat()
        if stat(keyPath, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG else { throw .io("\(keyPath) is not a regular file; move it away") }
            guard let data = FileManager.default.contents(atPath: keyPath) else { throw .io("cannot read \(keyPath): \(errnoText())") }
            if info.st_mode & 0o077 != 0 {
                throw .insecure("\(keyPath) is readable by others; run: chmod 600 \(keyPath)")
            }
            do {
                return (try LocalIdentity(seed: Array(data)), false)
            } catch {
                throw .io("\(keyPath) is not a valid key file (\(error))")
            }
        } else if errno != ENOENT || lstat(keyPath, &info) == 0 {
            throw .io("cannot read \(keyPath): \(errnoText())")
        }
        let identity = LocalIdentity.generate()
        try writeKey(of: identity)
        return (identity, true)
    }

    /// Writes the key file to a temporary name with mode 0600 and renames it over the old one.
    private func writeKey(of identity: LocalIdentity) throws(DaemonError) {
        let temporary = "\(keyPath).tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw .io("cannot create \(temporary): \(errnoText())") }
        let seed = identity.seed
        let written = seed.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == seed.count, synced == 0, rename(temporary, keyPath) == 0 else {
            let reason = errnoText()
            unlink(temporary)
            throw .io("cannot write \(keyPath): \(reason)")
        }
    }

    /// Makes `identity` this directory's identity (`lanchatd --import-identity`). The key it replaces,
    /// if any, is kept beside it as `identity.key.replaced-<unix time>`; returns that path. The database
    /// stays: the replaced identity's entries are another author's from now on.
    func importIdentity(_ identity: LocalIdentity) throws(DaemonError) -> String? {
        var info = stat()
        guard lstat(keyPath, &info) == 0 else {
            try markImport()
            try writeKey(of: identity)
            return nil
        }
        if let current = try? LocalIdentity(seed: Array(FileManager.default.contents(atPath: keyPath) ?? Data())), current.id == identity.id {
            throw .configuration("\(path) already holds identity \(identity.id.text)")
        }
        let kept = "\(keyPath).replaced-\(Int(Date().timeIntervalSince1970))"
        guard link(keyPath, kept) == 0 else { throw .io("cannot keep the current key as \(kept): \(errnoText())") }
        try markImport()
        try writeKey(of: identity)
        return kept
    }

    /// Written before the key: a daemon never runs the imported key without the mark.
    private func markImport() throws(DaemonError) {
        let descriptor = open(importMarkPath, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0, fsync(descriptor) == 0 else { throw .io("cannot write \(importMarkPath): \(errnoText())") }
        close(descriptor)
    }

    static func makeDirectory(_ path: String, mode: mode_t) throws(DaemonError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw .io("cannot create \(path): \(error.localizedDescription)")
        }
        // An existing directory keeps what its owner (or systemd's RuntimeDirectoryMode=) chose for the
        // group; only access for everyone else is taken away.
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o007 != 0, getuid() == info.st_uid {
            chmod(path, info.st_mode & 0o770)
        }
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }

public enum DaemonError: Error, CustomStringConvertible {
    case alreadyRunning(String)
    case io(String)
    case insecure(String)
    case configuration(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let text), .io(let text), .insecure(let text), .configuration(let text): text
        }
    }
}
