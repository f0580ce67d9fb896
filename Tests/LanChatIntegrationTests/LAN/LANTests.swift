import Foundation
import LanChatClient
import LanChatControl
import LanChatCore
import Testing

/// lanchatd on a virtual office LAN (scripts/lan): real mDNS through each host's own Avahi, no `--peer`.
/// One LAN per test, one test at a time: each brings its hosts up and always tears them down.
@Suite("virtual office LAN", .serialized)
struct LANTests {
    /// On IPv6 alone, the hosts have no IPv4 address at all: only link-local IPv6, as a switch with no DHCP gives.
    @Test("three hosts find each other within 3 s and chat; a late fourth gets everything; renames spread", arguments: ["v4", "v6"])
    func discoveryAndHistory(family: String) async throws {
        try await VirtualLAN.with(4, family: family, prefix: "lt1\(family)") { lan in
            let clock = ContinuousClock()
            let start = clock.now
            var hosts: [VirtualLAN.Host] = []
            for number in 1...3 { hosts.append(try await lan.startDaemon(number)) }
            for host in hosts {
                try await wait(until: { try await host.verifiedPeers().count == 2 }, timeout: .seconds(3),
                               "\(host.name) to find both others over mDNS (log:\n\(host.log))")
            }
            print("3 hosts discovered each other over \(family) \(clock.now - start) after the first daemon started")
            if family == "v6" {
                for host in hosts {
                    #expect(try await host.verifiedPeers().allSatisfy { $0.address.hasPrefix("[fe80::") && $0.address.hasSuffix("%eth0]:7420") })
                }
            }

            var ids: Set<String> = []
            for host in hosts { ids.insert(try await host.send("hello from \(host.name)").id ?? "") }
            try await VirtualLAN.expectEverywhere(hosts, hold: ids)

            let renamedID = try await hosts[1].whoami().id
            try await hosts[1].rename(to: "Bob")
            for host in hosts {
                try await wait(until: {
                    try await host.history().filter { $0.author.id == renamedID }.map(\.author.name) == ["Bob"]
                }, timeout: .seconds(5), "\(host.name) to show h2's old message under its new name")
            }
            // The mDNS announcement is renamed too: people browsing the LAN see "Bob (<short id>)".
            let announced = "Bob (\(renamedID.prefix(AuthorID.shortLength)))"
            try await wait(until: {
                let doctor = try await lan.lanchat(1, "doctor", "--json")
                return try doctor.decoded(DoctorCheck.self).first { $0.check == "services" }?.items?.contains { $0.hasPrefix(announced) } == true
            }, timeout: .seconds(10), "h1 to see h2's service announced as \(announced)")

            let late = try await lan.startDaemon(4)
            try await wait(until: { try await late.verifiedPeers().count == 3 }, timeout: .seconds(5),
                           "the late host to discover the other three")
            try await VirtualLAN.expectEverywhere([late], hold: ids)
            #expect(try await late.history().filter { $0.author.id == renamedID }.map(\.author.name) == ["Bob"])
        }
    }

    @Test("with 20% loss on every link, all of 200 messages arrive everywhere")
    func lossyLinks() async throws {
        try await VirtualLAN.with(3, prefix: "lt2") { lan in
            let hosts = try await lan.startMeshed(3)
            for number in 1...3 { try await lan.netem(number, "loss", "20%") }
            var ids: Set<String> = []
            for index in 0..<200 {
                ids.insert(try await hosts[index % 3].send("lossy \(index)").id ?? "")
            }
            try await VirtualLAN.expectEverywhere(hosts, hold: ids, timeout: .seconds(30))
            let lost = try await hosts[0].status().counters
            print("20% loss: host 1 counters \(ControlJSON.encode(lost))")
        }
    }

    @Test("a host cut off for 20 s has everything within 5 s of reconnecting, and its own news spreads")
    func partitionHeals() async throws {
        try await VirtualLAN.with(3, prefix: "lt3") { lan in
            let hosts = try await lan.startMeshed(3)
            try await lan.cut(3)
            let clock = ContinuousClock()
            let cutAt = clock.now
            var ids: Set<String> = []
            var index = 0
            // Others keep talking for 20 s; the cut-off host talks to itself.
            while clock.now - cutAt < .seconds(20) {
                ids.insert(try await hosts[index % 2].send("during the cut \(index)").id ?? "")
                if index % 5 == 0 { ids.insert(try await hosts[2].send("alone \(index)").id ?? "") }
                index += 1
                try await Task.sleep(for: .milliseconds(200))  // pacing of the conversation, not a wait for a condition
            }
            #expect(try await hosts[2].history(limit: 1000).count < ids.count)
            try await lan.reconnect(3)
            let reconnectedAt = clock.now
            try await VirtualLAN.expectEverywhere(hosts, hold: ids, timeout: .seconds(5))
            print("partition healed: all \(ids.count) messages everywhere \(clock.now - reconnectedAt) after reconnecting")
        }
    }

    @Test("with Avahi stopped the daemon runs and says unavailable; Avahi back brings discovery back")
    func avahiComesAndGoes() async throws {
        try await VirtualLAN.with(2, prefix: "lt4") { lan in
            try await lan.avahi(2, "stop")
            let one = try await lan.startDaemon(1)
            let two = try await lan.startDaemon(2)
            try await wait(until: { try await two.status().mdns.description.hasPrefix("unavailable") }, timeout: .seconds(5),
                           "h2 to report mDNS unavailable")
            #expect(try await two.send("still works").body == "still works")
            let doctor = try await lan.lanchat(2, "doctor", "--json")
            #expect(doctor.failedCleanly)
            let checks = try doctor.decoded(DoctorCheck.self)
            #expect(checks.first { $0.check == "avahi" }?.status == .problem)
            #expect(checks.first { $0.check == "avahi" }?.detail.contains("avahi-daemon") == true)

            try await lan.avahi(2, "start")
            try await wait(until: { try await two.status().mdns == .active }, timeout: .seconds(10),
                           "h2 to pick Avahi up again without a restart (log:\n\(two.log))")
            try await wait(until: { try await two.verifiedPeers().count == 1 }, timeout: .seconds(10), "h2 to discover h1")
            try await wait(until: { try await one.history().contains { $0.body == "still works" } }, timeout: .seconds(10),
                           "h1 to receive what h2 wrote while Avahi was down")
            // h2's announcement needs its probing time after Avahi comes back before h1 can list it.
            try await wait(until: {
                let healthy = try await lan.lanchat(1, "doctor", "--json")
                let services = try healthy.decoded(DoctorCheck.self).first { $0.check == "services" }
                return healthy.succeeded && services?.status == .ok && services?.items?.contains { $0.contains(two.ip) } == true
            }, timeout: .seconds(10), "doctor on h1 to report h2 as a visible lanchat node")
        }
    }

    @Test("two networks on one LAN never see each other's messages")
    func networksStayApart() async throws {
        try await VirtualLAN.with(4, prefix: "lt5") { lan in
            let red = [try await lan.startDaemon(1, ["--network", "red"]), try await lan.startDaemon(2, ["--network", "red"])]
            let blue = [try await lan.startDaemon(3, ["--network", "blue"]), try await lan.startDaemon(4, ["--network", "blue"])]
            for group in [red, blue] {
                for host in group {
                    try await wait(until: { try await host.verifiedPeers().count == 1 }, timeout: .seconds(10),
                                   "\(host.name) to find the one peer of its network")
                }
            }
            let redID = try await red[0].send("red only").id ?? ""
            let blueID = try await blue[0].send("blue only").id ?? ""
            try await VirtualLAN.expectEverywhere(red, hold: [redID])
            try await VirtualLAN.expectEverywhere(blue, hold: [blueID])
            // Each side sees the other's mDNS services (so the test really shares one LAN) and ignores them.
            let doctor = try await lan.lanchat(1, "doctor", "--json")
            let items = try doctor.decoded(DoctorCheck.self).first { $0.check == "services" }?.items ?? []
            #expect(items.contains { $0.contains("network blue") })
            for host in red { #expect(try await !host.history().contains { $0.id == blueID }) }
            for host in blue { #expect(try await !host.history().contains { $0.id == redID }) }
            for host in red + blue { #expect(try await host.verifiedPeers().count == 1) }
        }
    }
}
