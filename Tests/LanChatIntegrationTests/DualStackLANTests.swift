import Foundation
import LanChatControl
import LanChatCore
import Testing

/// IPv4 and IPv6 on one machine, inside a network namespace of its own (root; runs with the LAN tests):
/// daemons on `::` (the default), on IPv4 alone, on IPv6 alone, and on a link-local address with its zone.
@Suite("dual stack, in a namespace of its own", .serialized, .timeLimit(.minutes(2)))
struct DualStackLANTests {
    @Test("a daemon on [::] is reached over IPv4 and IPv6, keeps an IPv4 peer as plain IPv4, and carries messages between the families")
    func bothFamiliesMeetAtADualStackNode() async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let dual = try await namespace.startDaemon("dual", in: sandbox, ["--bind", "::"])
            let port = try await dual.port()
            let v4 = try await namespace.startDaemon("v4", in: sandbox, ["--peer", "127.0.0.1:\(port)"])
            let v6 = try await namespace.startDaemon("v6", in: sandbox, ["--bind", "::1", "--peer", "[::1]:\(port)"])
            try await wait(until: { try await dual.verifiedPeers().count == 2 }, "the dual-stack daemon to verify both")
            let expected = ["127.0.0.1:\(try await v4.port())", "[::1]:\(try await v6.port())"]
            #expect(try await dual.peers().map(\.address).sorted() == expected)

            let overIPv4 = try #require(try await v4.send("over IPv4").id), overIPv6 = try #require(try await v6.send("over IPv6").id)
            try await wait(until: { try await v6.holds([overIPv4]) }, "the IPv4-only daemon's message on the IPv6-only one")
            try await wait(until: { try await v4.holds([overIPv6]) }, "the IPv6-only daemon's message on the IPv4-only one")
            // Neither single-family daemon took the other's address from the dual-stack one's hints.
            #expect(try await v4.peers().map(\.address) == ["127.0.0.1:\(port)"])
            #expect(try await v6.peers().map(\.address) == ["[::1]:\(port)"])
        }
    }

    @Test("a link-local address with its zone binds, names a peer in --peer, and shows with its zone in peers")
    func linkLocalPeersKeepTheirZone() async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let local = try await namespace.linkLocalAddress(onNewLink: "v0")
            let first = try await namespace.startDaemon("first", in: sandbox, ["--bind", "\(local)%v0"])
            let port = try await first.port()
            let second = try await namespace.startDaemon("second", in: sandbox, ["--bind", "\(local)%v0", "--peer", "[\(local)%v0]:\(port)"])
            for (node, other) in [(first, second), (second, first)] {
                let expected = "[\(local)%v0]:\(try await other.port())"
                try await wait(until: { try await node.verifiedPeers().map(\.address) == [expected] }, "\(expected) verified with its zone")
            }
            let message = try #require(try await second.send("on the link").id)
            try await wait(until: { try await first.holds([message]) }, "the message over the link-local address")
            let shown = try await sandbox.lanchat(["peers", "--json"], socket: sandbox.nodePaths("first").socket)
            #expect(shown.succeeded && shown.stdout.contains("%v0]:"))
        }
    }

    /// A link-local address named by a peer at a global address is on the link the datagram came in on
    /// (IPV6_RECVPKTINFO): within one namespace, everything comes in over loopback.
    @Test("a link-local hint from a global address takes the interface it came in on")
    func aLinkLocalHintTakesTheInterfaceItCameInOn() async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            try await namespace.addLoopbackAddress("2001:db8::1/128")
            let daemon = try await namespace.startDaemon("dual", in: sandbox, ["--bind", "::"])
            let peer = try namespace.socket(SOCK_DGRAM, bindingTo: "2001:db8::1")
            defer { close(peer) }
            let hint = PeerHint(id: LocalIdentity.generate().id, address: PeerAddress(host: "fe80::99", port: 7420))
            try Crafted.send(Crafted.ping(hints: [hint]), from: peer, to: try await daemon.port(), host: "::1")
            try await wait(until: { try await daemon.peers().contains { $0.address == "[fe80::99%lo]:7420" } }, "the hinted address with its link")
        }
    }

    /// A kernel without IPv6 refuses every IPv6 socket: a library loaded before libc makes it so for one daemon.
    @Test("where the system has no IPv6, the wildcard (the default) listens on IPv4 alone and says so, however it is spelt",
        arguments: ["::", "::0"])
    func withoutIPv6TheDefaultFallsBackToIPv4(wildcard: String) async throws {
        try await LoopbackNamespace.with { namespace in
            let sandbox = try Sandbox()
            defer { sandbox.cleanup() }
            let shim = try await Self.compileNoIPv6Library(in: sandbox.root)
            let daemon = try await namespace.startDaemon("v4", in: sandbox, ["--bind", wildcard], wrapper: ["/usr/bin/env", "LD_PRELOAD=\(shim)"])
            let port = try await daemon.port()
            #expect(daemon.log.contains("IPv6 is not available here"))
            #expect(daemon.log.contains("peers on 0.0.0.0:\(port)"))
            let peer = try await namespace.startDaemon("peer", in: sandbox, ["--peer", "127.0.0.1:\(port)"])
            for node in [daemon, peer] {
                try await wait(until: { try await node.verifiedPeers().count == 1 }, "the two to verify each other")
            }
        }
    }

    /// socket(AF_INET6, …) fails with EAFNOSUPPORT, as on a kernel booted with ipv6.disable=1.
    private static func compileNoIPv6Library(in directory: String) async throws -> String {
        let source = "\(directory)/no-ipv6.c", library = "\(directory)/no-ipv6.so"
        try """
            #define _GNU_SOURCE
            #include <dlfcn.h>
            #include <errno.h>
            #include <sys/socket.h>
            int socket(int domain, int type, int protocol) {
                static int (*real)(int, int, int);
                if (!real) real = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
                if (domain == AF_INET6) { errno = EAFNOSUPPORT; return -1; }
                return real(domain, type, protocol);
            }
            """.write(toFile: source, atomically: true, encoding: .utf8)
        // The Swift toolchain brings clang wherever these tests can be built.
        let compiler = ["/usr/bin/cc", "/opt/swift/usr/bin/clang"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH", default: ""].split(separator: ":").map { "\($0)/clang" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let compiler else { throw HarnessError("no C compiler (cc or clang) to build the no-IPv6 library") }
        let result = try await ChildProcess.run(URL(fileURLWithPath: compiler), ["-shared", "-fPIC", "-o", library, source, "-ldl"])
        guard result.succeeded else { throw HarnessError("cannot build the no-IPv6 library: \(result)") }
        return library
    }
}
