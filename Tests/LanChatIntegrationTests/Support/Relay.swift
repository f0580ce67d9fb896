import Foundation
import LanChatControl
import Synchronization

/// A node in the middle: it listens on `host` (UDP and TCP, one port, as lanchatd does) and forwards
/// everything to a daemon on 127.0.0.1, answers included. It serves one UDP client (the first to send)
/// and any number of TCP connections. Blocking sockets with a short receive timeout, so `stop()` ends
/// every thread within a fraction of a second.
final class Relay: Sendable {
    let port: Int
    private let stopping = Atomic<Bool>(false)
    private let group = DispatchGroup()
    private let sockets: [Int32]

    init(host: String, to target: Int) throws {
        let listener = try Self.socket(SOCK_STREAM, host, port: 0)
        guard listen(listener, 16) == 0 else { throw HarnessError("listen: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        let front = try Self.socket(SOCK_DGRAM, host, port: port), back = try Self.socket(SOCK_DGRAM, host, port: 0)
        sockets = [listener, front, back]
        let client = Mutex<sockaddr_in?>(nil)
        run { [self] in
            var buffer = [UInt8](repeating: 0, count: 2048)
            while !self.stopping.load(ordering: .relaxed) {
                var from = sockaddr_in()
                var fromLength = socklen_t(MemoryLayout<sockaddr_in>.size)
                let count = withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(front, &buffer, buffer.count, 0, $0, &fromLength) }
                }
                guard count > 0 else { continue }
                client.withLock { $0 = from }
                Self.send(Array(buffer[..<count]), from: back, to: try? LoopbackNamespace.inet("127.0.0.1", port: target))
            }
        }
        run { [self] in
            var buffer = [UInt8](repeating: 0, count: 2048)
            while !self.stopping.load(ordering: .relaxed) {
                let count = recv(back, &buffer, buffer.count, 0)
                guard count > 0 else { continue }
                Self.send(Array(buffer[..<count]), from: front, to: client.withLock { $0 })
            }
        }
        run { [self] in
            while !self.stopping.load(ordering: .relaxed) {
                let accepted = accept(listener, nil, nil)
                guard accepted >= 0 else { continue }
                guard let upstream = try? Self.socket(SOCK_STREAM, host, port: 0),
                    (try? Crafted.connect(upstream, to: target)) != nil
                else {
                    close(accepted)
                    continue
                }
                pump(from: accepted, to: upstream)
                pump(from: upstream, to: accepted)
            }
        }
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        _ = group.wait(timeout: .now() + 5)
        for descriptor in sockets { close(descriptor) }
    }

    /// Each loop blocks for as long as the relay runs: on a thread of its own.
    private func run(_ work: @escaping @Sendable () -> Void) {
        group.enter()
        DedicatedThread.start { [group] in
            work()
            group.leave()
        }
    }

    /// Copies one direction until it ends, then ends the other's sending half.
    private func pump(from source: Int32, to destination: Int32) {
        run { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !self.stopping.load(ordering: .relaxed) {
                let count = recv(source, &buffer, buffer.count, 0)
                if count < 0, errno == EAGAIN || errno == EWOULDBLOCK { continue }
                guard count > 0, Glibc.send(destination, buffer, count, Int32(MSG_NOSIGNAL)) == count else { break }
            }
            shutdown(destination, Int32(SHUT_WR))
        }
    }

    /// Bound, with a short receive timeout so that every loop sees `stop()` soon.
    private static func socket(_ type: __socket_type, _ host: String, port: Int) throws -> Int32 {
        let descriptor = try LoopbackNamespace.boundSocket(type, host, port: port)
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    private static func send(_ bytes: [UInt8], from descriptor: Int32, to address: sockaddr_in?) {
        guard var address else { return }
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }
}
