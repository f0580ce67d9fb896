import FoundationEssentials
import LanChatControl
#if canImport(Glibc)
import Glibc
#endif

/// Why the control socket could not be reached, in words that say what to do: no daemon runs there,
/// this user may not use it, or the path is not a daemon's socket at all.
enum ConnectFailure {
    static let startHint = "start it with `lanchatd`, `systemctl --user start lanchatd` (your own) or `sudo systemctl start lanchatd` (the system service)"

    /// `code`: connect(2)'s errno.
    static func error(connecting path: String, errno code: Int32) -> ClientError {
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ENOENT: return ClientError("daemon not running (no socket at \(path)); \(startHint)", status: .noDaemon)
            case EACCES:
                // Its directory is closed to this user: whose it is says who may (the system service's is the lanchat group's).
                var directory = stat()
                let parent = stat(String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]), &directory) == 0
                return ClientError(
                    permissionDenied(path, owner: parent ? userName(directory.st_uid) : nil, group: parent ? groupName(directory.st_gid) : nil),
                    status: .noPermission)
            default: return wrongSocket(path, "\(String(cString: strerror(errno)))")
            }
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            return wrongSocket(path, info.st_mode & S_IFMT == S_IFDIR ? "it is a directory" : "it is a file, not a socket")
        }
        switch code {
        case EACCES, EPERM:
            return ClientError(permissionDenied(path, owner: userName(info.st_uid), group: groupName(info.st_gid)), status: .noPermission)
        case ECONNREFUSED:
            return ClientError("daemon not running (its socket is left at \(path), but nothing listens: it stopped or crashed); \(startHint)", status: .noDaemon)
        default:
            return ClientError("cannot connect to \(path): \(String(cString: strerror(code)))", status: .noDaemon)
        }
    }

    /// The system service's socket is for the lanchat group; anyone else's is its owner's and its group's.
    /// `owner` and `group`: of the socket, or of the directory that is closed to this user.
    static func permissionDenied(_ path: String, owner: String?, group: String?, user: String = userName(getuid())) -> String {
        if group == "lanchat" || path == DefaultPaths.systemSocket {
            return "permission denied on \(path): the system daemon's socket is for members of the lanchat group; "
                + "add yourself with `sudo usermod -aG lanchat \(user)` and log in again"
        }
        return "permission denied on \(path): it belongs to \(owner ?? "another user")\(group.map { " and group \($0)" } ?? ""); "
            + "use your own daemon (`lanchatd`, or `systemctl --user start lanchatd`), or ask its owner to add you to its group"
    }

    private static func wrongSocket(_ path: String, _ why: String) -> ClientError {
        ClientError("\(path) is not a lanchat daemon's socket (\(why)); check --socket or LANCHAT_SOCKET", status: .usage)
    }

    /// The user's name, else its number.
    private static func userName(_ uid: uid_t) -> String {
        getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? String(uid)
    }

    private static func groupName(_ gid: gid_t) -> String {
        getgrgid(gid).map { String(cString: $0.pointee.gr_name) } ?? String(gid)
    }
}
