import LanChatControl
import Testing

/// Lazy push between real daemons: host 2 drops everything from host 1, so host 1's push of a message never
/// reaches it; host 3's pings and acks name the message, host 2 asks host 3 for it (`want`), and host 3 reads it
/// from its store and pushes it. Host 2 also drops TCP from host 3: the digest host 3's pings carry differs too,
/// and a sync it opens 150 ms later (`mismatchGrace`) would otherwise race the want, which on a loaded machine it
/// can win; nor can a sync with host 1 bring the message.
@Suite("lazy push on the virtual LAN", .serialized)
struct LazyPushLANTests {
    @Test("a push lost on its way is asked of a peer that names it, and that peer sends it")
    func aLostPushIsPulled() async throws {
        try await VirtualLAN.with(3, prefix: "lt11") { lan in
            let hosts = try await lan.startMeshed(3)
            try await lan.run(2, [
                "sh", "-c",
                "nft add table inet lazypush && nft add chain inet lazypush in '{ type filter hook input priority 0; }' "
                    + "&& nft add rule inet lazypush in ip saddr \(hosts[0].ip) drop "
                    + "&& nft add rule inet lazypush in ip saddr \(hosts[2].ip) ip protocol tcp drop",
            ])
            let before = (two: try await hosts[1].status().counters, three: try await hosts[2].status().counters)
            let sent = try #require(try await hosts[0].send("past a lost push").id)
            try await VirtualLAN.expectEverywhere(hosts, hold: [sent])
            let after = (two: try await hosts[1].status().counters, three: try await hosts[2].status().counters)
            #expect(after.two.wantsOut > before.two.wantsOut, "host 2 asked for nothing: \(after.two)")
            #expect(after.three.entriesServed > before.three.entriesServed, "host 3 sent nothing it was asked for: \(after.three)")
            // Host 1's push never arrived, and 3 nodes push directly (no relays): a push of it that host 2 took in
            // is host 3's answer.
            #expect(after.two.entriesPushedIn > before.two.entriesPushedIn, "host 2 took in no push: \(after.two)")
        }
    }
}
