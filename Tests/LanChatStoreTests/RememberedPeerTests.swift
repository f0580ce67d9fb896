import LanChatCore
import LanChatStore
import Testing

/// The peers this node synced with, tried again after a restart: each family, and a link-local address
/// with the interface it is on (without it the address names no host at all).
@Suite("EntryStore: remembered peers")
struct RememberedPeerTests {
    @Test func addressesOfEitherFamilyComeBackAsTheyWereKept() async throws {
        try await withStore { store in
            let addresses = [
                PeerAddress(host: "10.0.0.2", port: 7420), PeerAddress(host: "2001:db8::2", port: 7421),
                PeerAddress(host: "fe80::2%eth0", port: 7422),
            ]
            for (index, address) in addresses.enumerated() {
                try await store.rememberPeer(address, id: try identity(UInt8(index + 2)).id, seenAtMillis: UInt64(1_000 + index))
            }
            #expect(try await store.rememberedPeers() == addresses.reversed())
        }
    }
}
