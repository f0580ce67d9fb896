import Foundation
import LanChatControl
import Testing

/// A LAN where one host has IPv4 alone, one IPv6 alone (link-local), one both: the two single-family
/// hosts cannot reach each other, and their messages still reach each other through the third.
@Suite("virtual office LAN of mixed families", .serialized)
struct MixedFamilyLANTests {
    @Test("an IPv4-only host and an IPv6-only host chat through a dual-stack one")
    func singleFamilyHostsMeetThroughADualStackOne() async throws {
        try await VirtualLAN.with(3, family: "v4,v6,dual", prefix: "lt7") { lan in
            var hosts: [VirtualLAN.Host] = []
            for number in 1...3 { hosts.append(try await lan.startDaemon(number)) }
            let (v4, v6, dual) = (hosts[0], hosts[1], hosts[2])
            try await wait(until: { try await dual.verifiedPeers().count == 2 }, timeout: .seconds(5),
                           "the dual-stack host to find both others over mDNS (log:\n\(dual.log))")
            // Each single-family host reaches the dual-stack one over its own family: IPv4, or link-local IPv6.
            try await wait(until: { try await v4.verifiedPeers().map(\.address) == ["\(dual.ip):7420"] }, timeout: .seconds(5),
                           "the IPv4-only host to find the dual-stack one at its IPv4 address")
            try await wait(until: {
                let addresses = try await v6.verifiedPeers().map(\.address)
                return addresses.count == 1 && addresses.allSatisfy { $0.hasPrefix("[fe80::") && $0.hasSuffix("%eth0]:7420") }
            }, timeout: .seconds(5), "the IPv6-only host to find the dual-stack one at its link-local address")

            var ids: Set<String> = []
            for host in hosts { ids.insert(try await host.send("hello from \(host.name)").id ?? "") }
            try await VirtualLAN.expectEverywhere(hosts, hold: ids)
            // The single-family hosts never took each other's address from the dual-stack one.
            #expect(try await v4.peers().count == 1)
            #expect(try await v6.peers().count == 1)
            // doctor says where the IPv6-only host listens and how it reaches its peer.
            let families = try await lan.lanchat(2, "doctor", "--json").decoded(DoctorCheck.self).first { $0.check == "families" }
            #expect(families?.status == .ok)
            #expect(families?.detail.hasPrefix("listening on [::]:7420, over IPv4 and IPv6: fe80::") == true)
            #expect(families?.items?.count == 1 && families?.items?.first?.hasSuffix("over IPv6, link-local on eth0") == true)
        }
    }
}
