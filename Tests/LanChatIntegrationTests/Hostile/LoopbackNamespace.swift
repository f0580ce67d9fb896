import Foundation
import LanChatCore
import Testing

/// A network namespace with nothing but loopback, for tests that feed daemons crafted input: whatever
/// they make a daemon send (broadcasts included) cannot leave it. Needs root. Daemons run in it through
/// `launcher`; the test's own sockets are made in it by `socket(_:bindingTo:)`. The control sockets are
/// files, so the test reaches the daemons as usual.
struct LoopbackNamespace: Sendable {
    let name: String
    var path: String { "/run/netns/\(name)" }
    /// Runs a command in the namespace (nsenter executes it, so the process is the command itself).
    var launcher: [String] { ["/usr/bin/nsenter", "--net=\(path)", "--"] }

    /// Starts a daemon in the namespace, with its own state and socket in the sandbox (`nodePaths(name)`);
    /// `wrapper` runs it (an environment, say). The harness binds 127.0.0.1; a `--bind` in `arguments` takes
    /// its place.
    func startDaemon(
        _ name: String, in sandbox: Sandbox, _ arguments: [String] = [], defaultPort: Bool = false, wrapper: [String] = []
    ) async throws -> Daemon {
        let paths = sandbox.nodePaths(name)
        return try await sandbox.startDaemon(
            stateDir: paths.stateDir, socket: paths.socket, extraArguments: arguments, launcher: launcher + wrapper, defaultPort: defaultPort)
    }

    /// Makes a namespace, runs `body`, and deletes the namespace whether `body` succeeded or threw.
    /// `body` must end the processes it started in it (a `Sandbox` cleaned up inside `body` does).
    static func with(_ body: (LoopbackNamespace) async throws -> Void) async throws {
        guard getuid() == 0 else {
            throw HarnessError("the hostile-input tests need root (a network namespace): run `make test` as root")
        }
        let namespace = LoopbackNamespace(name: "lanchat-hostile-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try await namespace.ip("netns", "add", namespace.name)
        do {
            try await namespace.ip("-n", namespace.name, "link", "set", "lo", "up")
            try await body(namespace)
        } catch {
            _ = try? await namespace.ip("netns", "delete", namespace.name)
            throw error
        }
        try await namespace.ip("netns", "delete", namespace.name)
    }

    @discardableResult
    private func ip(_ arguments: String...) async throws -> ProcessResult {
        let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/sbin/ip"), arguments)
        guard result.succeeded else { throw HarnessError("ip \(arguments.joined(separator: " ")) failed: \(result)") }
        return result
    }

    /// Gives loopback one more address (a global IPv6 one, say), usable at once.
    func addLoopbackAddress(_ address: String) async throws {
        try await ip("-n", name, "address", "add", address, "dev", "lo", "nodad")
    }

    /// A link inside the namespace (a veth pair: `name` and `name`p), and the IPv6 link-local address its end
    /// `name` has, usable at once (duplicate address detection off): an IPv6 network with no DHCP and no router.
    func linkLocalAddress(onNewLink name: String) async throws -> String {
        try await ip("netns", "exec", self.name, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0")
        try await ip("-n", self.name, "link", "add", name, "type", "veth", "peer", "name", "\(name)p")
        for end in [name, "\(name)p"] { try await ip("-n", self.name, "link", "set", end, "up") }
        var address: String?
        try await wait(until: {
            // "3: v0    inet6 fe80::…/64 scope link …"
            let shown = try await ip("-n", self.name, "-6", "-o", "addr", "show", "dev", name, "scope", "link").stdout
            address = shown.split(separator: " ").first { $0.hasPrefix("fe80:") }.map { String($0.prefix { $0 != "/" }) }
            return address != nil
        }, "\(name) to have its link-local address")
        return address!
    }

    /// A socket of `type` (SOCK_DGRAM, SOCK_STREAM) made inside the namespace and bound to `host`:0. A socket
    /// stays in the namespace it was made in, so any thread may use it; only the thread that makes it
    /// enters the namespace, and that thread ends at once.
    func socket(_ type: __socket_type, bindingTo host: String) throws -> Int32 {
        final class Outcome: @unchecked Sendable {
            var descriptor: Result<Int32, HarnessError> = .failure(HarnessError("the namespace thread did not run"))
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let path = self.path
        let thread = Thread {
            defer { done.signal() }
            let namespace = open(path, O_RDONLY | O_CLOEXEC)
            guard namespace >= 0, Self.setns(namespace, Self.cloneNewNet) == 0 else {
                outcome.descriptor = .failure(HarnessError("cannot enter \(path): \(String(cString: strerror(errno)))"))
                return
            }
            close(namespace)
            outcome.descriptor = Result { try Self.boundSocket(type, host) }.mapError { HarnessError("\($0)") }
        }
        thread.start()
        done.wait()
        return try outcome.descriptor.get()
    }

    /// setns(2): Glibc's Swift module does not export it (it needs _GNU_SOURCE), so it is looked up.
    private static let setns: @convention(c) (Int32, Int32) -> Int32 = {
        guard let symbol = dlsym(nil, "setns") else { fatalError("libc has no setns") }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    }()
    private static let cloneNewNet: Int32 = 0x4000_0000

    /// A socket bound to `host`:`port` (0: any free one) in the calling thread's own network namespace;
    /// IPv4 or IPv6 as `host` is.
    static func boundSocket(_ type: __socket_type, _ host: String, port: Int = 0) throws -> Int32 {
        var (address, length) = try socketAddress(host, port: port)
        let descriptor = Glibc.socket(Int32(address.ss_family), Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0 else {
            close(descriptor)
            throw HarnessError("bind \(host): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    /// An IPv4 or IPv6 socket address, and its length.
    static func socketAddress(_ host: String, port: Int) throws -> (sockaddr_storage, socklen_t) {
        var storage = sockaddr_storage()
        guard host.contains(":") else {
            let v4 = try inet(host, port: port)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v4, as: sockaddr_in.self) }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 else { throw HarnessError("not an IPv6 address: \(host)") }
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v6, as: sockaddr_in6.self) }
        return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
    }

    static func inet(_ host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw HarnessError("not an IPv4 address: \(host)") }
        return address
    }
}

/// Crafted datagrams and bare TCP connections, from sockets made where the daemon under test listens.
enum Crafted {
    /// A ping as a peer would send it, with whatever it claims.
    static func ping(total: UInt64 = 0, digest: UInt64 = 0, hints: [PeerHint] = [], network: String = "lanchat") -> [UInt8] {
        Datagram(
            network: network, sender: LocalIdentity.generate().id,
            body: .ping(Datagram.Probe(id: 1, digest: digest, total: total, hints: hints))
        ).encoded()
    }

    static func datagram(_ body: Datagram.Body, network: String = "lanchat") -> [UInt8] {
        Datagram(network: network, sender: LocalIdentity.generate().id, body: body).encoded()
    }

    static func send(_ bytes: [UInt8], from descriptor: Int32, to port: Int, host: String = "127.0.0.1") throws {
        var (address, length) = try LoopbackNamespace.socketAddress(host, port: port)
        let sent = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, length) }
            }
        }
        guard sent == bytes.count else { throw HarnessError("sendto: \(String(cString: strerror(errno)))") }
    }

    /// Sends one sync frame (type and body) on a connected TCP socket, behind its length.
    static func sendFrame(_ frame: [UInt8], on descriptor: Int32) throws {
        let bytes = withUnsafeBytes(of: UInt32(frame.count).bigEndian, Array.init) + frame
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw HarnessError("send: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads one sync frame (type and body) from a connected TCP socket, waiting at most `timeout` seconds.
    static func receiveFrame(on descriptor: Int32, timeout: Int = 10) throws -> [UInt8] {
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        func read(_ count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            guard recv(descriptor, &bytes, count, Int32(MSG_WAITALL)) == count else {
                throw HarnessError("recv of \(count) bytes: \(String(cString: strerror(errno)))")
            }
            return bytes
        }
        let length = try read(4).reduce(0) { $0 << 8 | Int($1) }
        return try read(length)
    }

    /// Connects a TCP socket (already bound) to `host:port` and leaves it idle.
    static func connect(_ descriptor: Int32, to port: Int, host: String = "127.0.0.1") throws {
        var address = try LoopbackNamespace.inet(host, port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessError("connect to \(host):\(port): \(String(cString: strerror(errno)))") }
    }
}
