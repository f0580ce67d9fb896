import Foundation
import LanChatControl
import LanChatCore
import Testing

/// A network closed by a key, on the virtual office LAN with real Avahi: what someone on the switch
/// sees (nothing), what a host without the key or with another one learns and injects (nothing), and a
/// key rotation with the hosts restarted one by one (no message lost).
@Suite("closed network on the virtual LAN", .serialized)
struct ClosedNetworkLANTests {
    @Test("a capture on the switch and the hosts without the key find no text, no name, no ID")
    func nothingLeaks() async throws {
        let directory = try KeyDirectory()
        defer { directory.remove() }
        let key = try await directory.newKey("office"), other = try await directory.newKey("other")
        let network = "acme-secret-net"
        try await VirtualLAN.with(5, prefix: "lt6") { lan in
            let capture = try Capture(lan: lan, path: "\(directory.path)/switch.pcap")
            defer { capture.stop() }
            let closed = ["--network", network, "--network-key-file", key]
            // h1 and the outsiders point at each other, so datagrams cross the key boundary both ways.
            var insiders = [try await lan.startDaemon(1, closed + ["--peer", "10.77.0.4:7420", "--peer", "10.77.0.5:7420"])]
            for number in 2...3 { insiders.append(try await lan.startDaemon(number, closed)) }
            let keyless = try await lan.startDaemon(4, ["--peer", "10.77.0.1:7420"])
            let stranger = try await lan.startDaemon(5, ["--network", network, "--network-key-file", other, "--peer", "10.77.0.1:7420"])
            for host in insiders {
                try await wait(until: { try await host.verifiedPeers().count == 2 }, timeout: .seconds(10),
                               "\(host.name) to find the other two over mDNS (log:\n\(host.log))")
            }
            let names = ["Alice Quartermain", "Bob Fairweather", "Carol Underhill"]
            var ids: Set<String> = []
            for (host, name) in zip(insiders, names) {
                try await host.rename(to: name)
                ids.insert(try await host.send("canary text of \(name)").id ?? "")
            }
            try await VirtualLAN.expectEverywhere(insiders, hold: ids)
            try await keyless.send("injected without the key")
            try await stranger.send("injected with another key")
            let before = try await insiders[0].status().counters.unauthenticated
            try await wait(until: {
                let refused = try await insiders[0].status().counters.unauthenticated
                let keylessRefused = try await keyless.status().counters.unauthenticated
                let strangerRefused = try await stranger.status().counters.unauthenticated
                return refused >= before + 4 && keylessRefused > 0 && strangerRefused > 0
            }, timeout: .seconds(10), "h1 and the outsiders to refuse each other's datagrams")

            let insiderIDs = try await insiders.asyncMap { try await $0.whoami().id }
            for outsider in [keyless, stranger] {
                #expect(try await outsider.history().allSatisfy { ($0.body ?? "").hasPrefix("injected") })
                #expect(try await outsider.withControlClient { try $0.request(.who).identities ?? [] }.count == 1)
                #expect(try await outsider.verifiedPeers().isEmpty)
            }
            for insider in insiders {
                #expect(try await insider.history().allSatisfy { !($0.body ?? "").contains("injected") })
                try await wait(until: {
                    Set(try await insider.withControlClient { try $0.request(.who).identities ?? [] }.map(\.id)) == Set(insiderIDs)
                }, "\(insider.name) to know the insiders, and nobody else")
            }

            // Something was captured: the sealed packets name the key's fingerprint, and the keyless host's
            // open mDNS announcement carries its ID. Then none of the closed network's secrets.
            let fingerprint = try #require(try await insiders[0].status().networkKeys.first?.fingerprint)
            let keylessID = try await keyless.whoami().id
            let sealedWith = try #require(KeyFingerprint(text: fingerprint)).value.bigEndian
            try await wait(until: { Capture.find(withUnsafeBytes(of: sealedWith, Array.init), in: capture.bytes) }, timeout: .seconds(5),
                           "the capture to hold a sealed packet")
            try await wait(until: { Capture.find(Array(keylessID.utf8), in: capture.bytes) }, timeout: .seconds(10),
                           "the capture to hold the keyless host's mDNS announcement")
            capture.stop()
            let wire = capture.bytes
            let secrets = names + ["canary text", network] + insiderIDs
            for secret in secrets { #expect(!Capture.find(Array(secret.utf8), in: wire), "\(secret) went over the wire in clear") }
            for id in insiderIDs.compactMap(AuthorID.init(text:)) {
                #expect(!Capture.find(id.bytes, in: wire), "\(id.text)'s key went over the wire in clear")
            }
        }
    }

    @Test("rotating from key A to key B, restarting hosts one by one, loses no message")
    func rotation() async throws {
        let directory = try KeyDirectory()
        defer { directory.remove() }
        let a = try await directory.newKey("a"), b = try await directory.newKey("b")
        // Accept both while sending A, then send B while accepting A, then B alone.
        let phases = [[a, b], [b, a], [b]]
        try await VirtualLAN.with(3, prefix: "lt7") { lan in
            var hosts = try await lan.startMeshed(3, ["--network-key-file", a])
            var ids: Set<String> = []
            for phase in phases {
                for number in 1...3 {
                    try await lan.stopDaemon(number)
                    let other = hosts[number % 3]
                    ids.insert(try await other.send("while h\(number) restarts into \(phase.count) key(s)").id ?? "")
                    hosts[number - 1] = try await lan.startDaemon(number, phase.flatMap { ["--network-key-file", $0] })
                    ids.insert(try await hosts[number - 1].send("h\(number) is back").id ?? "")
                    try await VirtualLAN.expectEverywhere(hosts, hold: ids, timeout: .seconds(15))
                }
            }
            let keys = try await hosts[0].status().networkKeys
            let bFingerprint = try #require(keys.first?.fingerprint)
            #expect(keys == [NetworkKeyInfo(fingerprint: bFingerprint, sending: true)])
            for host in hosts {
                try await wait(until: { try await host.verifiedPeers().count == 2 }, timeout: .seconds(10),
                               "\(host.name) to have proven both others under key B alone")
            }
        }
    }
}

/// Key files for the hosts of a virtual LAN (they share the machine's file system), mode 0600.
struct KeyDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/lanchat-keys-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw HarnessError("mkdtemp: \(String(cString: strerror(errno)))") }
        path = String(cString: made)
    }

    func newKey(_ name: String) async throws -> String {
        try await newKeyFile(at: "\(path)/\(name).key")
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
