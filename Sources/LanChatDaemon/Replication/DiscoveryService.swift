import LanChatCore
import LanChatNet
import Logging
import ServiceLifecycle

/// Feeds DNS-SD discoveries of this network's nodes into replication, and keeps this node's
/// announcement named after its current display name.
struct DiscoveryService: Service {
    let discovery: ServiceDiscovery
    let replication: ReplicationShell
    let network: String
    /// Fingerprints of the network keys this node holds; empty on an open network.
    let keys: Set<KeyFingerprint>
    let logger: Logger

    func run() async throws {
        discovery.start()
        defer { discovery.stop() }
        try await untilShutdown { [discovery, replication, network, keys, logger] in
            for await event in discovery.events {
                switch event {
                case .found(let instance, let address, let advert):
                    // A closed network's node shows only its key; an open one's, its network.
                    let ours = if let key = advert.key { keys.contains(key) } else { keys.isEmpty && advert.network == network }
                    guard ours, advert.protocolVersion == Datagram.protocolVersion else {
                        logger.debug("ignoring \(instance): network \(advert.network ?? "closed"), protocol \(advert.protocolVersion)")
                        continue
                    }
                    logger.debug("mDNS found \(instance) at \(address)")
                    await replication.mdnsFound(instance, at: address)
                case .lost(let instance):
                    await replication.mdnsLost(instance)
                case .stateChanged(let state) where state == "active":
                    logger.info("mDNS active: announcing and browsing \(ServiceAdvert.serviceType)")
                case .stateChanged(let state):
                    logger.warning("mDNS \(state); peers stay reachable with --peer and peer exchange; retrying in the background")
                }
            }
        }
    }
}
