import Glibc
import LanChatControl
import NIOCore

/// Who may use the control socket: the daemon's own user, root, and, where the socket's mode lets its
/// group in (the system service, 0660), members of that group. The socket file's mode keeps others
/// out already; asking the kernel who connected (`SO_PEERCRED`, `SO_PEERGROUPS`, no user or group
/// look-up per call) keeps them out too where that mode or its directory was loosened by hand.
struct CallerPolicy: Sendable {
    /// What the kernel says about the process at the other end of a connection.
    struct Caller: Sendable {
        let uid: uid_t
        let gid: gid_t
        /// Supplementary groups, as far as the kernel reported them (see `credentials(of:)`).
        let groups: [gid_t]
    }

    let owner: uid_t
    /// The socket's group, where its mode gives that group access.
    let group: gid_t?
    /// That group's name, looked up once, for the error that tells a refused user the fix.
    let groupName: String?

    init(owner: uid_t, group: gid_t?, groupName: String?) {
        self.owner = owner
        self.group = group
        self.groupName = groupName
    }

    /// The policy for a socket just bound at `path` with `mode`, served by this process's user.
    init(socketPath path: String, mode: UInt16) {
        var info = stat()
        let group = mode & 0o060 != 0 && stat(path, &info) == 0 ? info.st_gid : nil
        self.init(owner: geteuid(), group: group, groupName: group.flatMap { getgrgid($0).map { String(cString: $0.pointee.gr_name) } })
    }

    /// The daemon's own user and root: the only callers that may act on the identity itself (export its
    /// key, link or unlink devices). The group shares the identity's voice, not its key.
    func isOwner(_ caller: Caller) -> Bool {
        caller.uid == owner || caller.uid == 0
    }

    func allows(_ caller: Caller) -> Bool {
        caller.uid == owner || caller.uid == 0 || group.map { caller.gid == $0 || caller.groups.contains($0) } ?? false
    }

    /// The one line a refused caller reads, with the fix.
    func refusal(of caller: Caller) -> ControlFailure {
        let fix =
            groupName.map { "add the user to the group `\($0)` (`usermod -aG \($0) USER`, then log in again)" }
            ?? "run `lanchat` as the daemon's user, or start your own `lanchatd`"
        return ControlFailure(.noPermission, "uid \(caller.uid) may not use this daemon's control socket (it serves uid \(owner)); \(fix)")
    }

    /// Reads the caller's credentials from a Unix socket connection; nil where the kernel does not say.
    static func caller(of channel: any Channel) async -> Caller? {
        guard let provider = channel as? SocketOptionProvider else { return nil }
        let level = SocketOptionLevel(SOL_SOCKET)
        // struct ucred (pid, uid, gid), which Glibc's module does not export.
        guard let credentials: InlineArray<3, UInt32> = try? await provider.unsafeGetSocketOption(
            level: level, name: SocketOptionName(SO_PEERCRED)).get()
        else { return nil }
        // The kernel fills what fits and says how much in a length NIO does not return: unused slots stay
        // zero, so gid 0 counts only as the primary group. More groups than fit fail the call: then only
        // the primary group counts.
        let listed: InlineArray<64, gid_t>? = try? await provider.unsafeGetSocketOption(
            level: level, name: SocketOptionName(SO_PEERGROUPS)).get()
        var groups: [gid_t] = []
        if let listed {
            for index in listed.indices where listed[index] != 0 { groups.append(listed[index]) }
        }
        return Caller(uid: credentials[1], gid: credentials[2], groups: groups)
    }
}
