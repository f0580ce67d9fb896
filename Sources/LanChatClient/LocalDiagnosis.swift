import FoundationEssentials
import Glibc
import LanChatControl

/// The checks `lanchat doctor` makes on this machine itself, without the daemon.
public enum LocalDiagnosis {
    public static func daemonUnreachable(_ error: ClientError) -> DoctorCheck {
        DoctorCheck(
            check: "daemon", status: .problem, detail: error.description,
            fix: "start it: lanchatd (or systemctl --user start lanchatd, or sudo systemctl start lanchatd)")
    }

    public static func daemonRunning(_ status: StatusInfo) -> DoctorCheck {
        DoctorCheck(
            check: "daemon", status: .ok,
            detail: "lanchatd \(status.version) runs as \(status.name) on network \(status.network), port \(status.port)")
    }

    /// Whether avahi-daemon runs here, from its pid file: for when the daemon cannot be asked.
    public static func avahiProcess() -> DoctorCheck {
        let words = (try? String(contentsOfFile: "/run/avahi-daemon/pid", encoding: .utf8))?.split(whereSeparator: \.isWhitespace)
        if let words, words.count == 1, let pid = pid_t(words[0]), kill(pid, 0) == 0 || errno == EPERM {
            return DoctorCheck(check: "avahi", status: .ok, detail: "avahi-daemon is running (pid \(pid))")
        }
        return DoctorCheck(
            check: "avahi", status: .problem, detail: "avahi-daemon is not running, so mDNS discovery cannot work",
            fix: "sudo systemctl enable --now avahi-daemon (install it with: sudo apt install avahi-daemon)")
    }

    /// Interfaces that are up, not loopback, and can do multicast, with their IPv4 addresses.
    public static func interfaces() -> DoctorCheck {
        var found: [String: [String]] = [:]
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else {
            return DoctorCheck(check: "interfaces", status: .warning, detail: "cannot list network interfaces")
        }
        defer { freeifaddrs(list) }
        for pointer in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let entry = pointer.pointee
            let flags = Int32(entry.ifa_flags)
            guard flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0,
                flags & Int32(IFF_MULTICAST) != 0, let address = entry.ifa_addr,
                address.pointee.sa_family == sa_family_t(AF_INET)
            else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            found[String(cString: entry.ifa_name), default: []].append(text)
        }
        let items = found.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: ", "))" }
        if items.isEmpty {
            return DoctorCheck(
                check: "interfaces", status: .problem, detail: "no network interface is up with multicast and an IPv4 address",
                fix: "connect to the office network; check `ip addr` and that the interface has MULTICAST")
        }
        return DoctorCheck(check: "interfaces", status: .ok, detail: "multicast-capable interfaces: \(items.count)", items: items)
    }
}
