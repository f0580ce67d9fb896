import LanChatCore
import Testing

/// Inbound syncs per host: one address cannot take every slot (slowloris), other hosts still get in.
@Suite("replicator rules: inbound syncs per host")
struct ReplicatorInboundHostTests {
    @Test func oneHostGetsAtMostItsShareAndOthersStillGetIn() throws {
        var node = try makeReplicator()
        let perHost = node.configuration.maxInboundSessionsPerHost
        let answers = (0..<40).map { _ in node.admitInbound(from: "127.0.0.2") }
        #expect(answers.filter { $0 }.count == perHost)
        #expect(node.counters.inboundSyncsRefused == UInt64(40 - perHost))
        let other = node.admitInbound(from: "127.0.0.1")
        #expect(other)
        #expect(node.footprint.inboundHosts == 2)
    }

    @Test func anEndedConnectionFreesItsHostsSlot() throws {
        var node = try makeReplicator { $0.maxInboundSessionsPerHost = 2 }
        let first = [node.admitInbound(from: "10.0.0.2"), node.admitInbound(from: "10.0.0.2"), node.admitInbound(from: "10.0.0.2")]
        #expect(first == [true, true, false])
        node.inboundSyncEnded(from: "10.0.0.2", result: nil, now: 10)
        let again = node.admitInbound(from: "10.0.0.2")
        #expect(again)
        node.inboundSyncEnded(from: "10.0.0.2", result: nil, now: 10)
        node.inboundSyncEnded(from: "10.0.0.2", result: nil, now: 10)
        #expect(node.footprint.inboundHosts == 0 && node.footprint.inboundSessions == 0)
        // Ending more than was admitted frees nothing that is not held.
        node.inboundSyncEnded(from: "10.0.0.2", result: nil, now: 10)
        #expect(node.footprint.inboundHosts == 0 && node.footprint.inboundSessions == 0)
    }

    /// The total bound holds across hosts too.
    @Test func theTotalBoundHoldsAcrossHosts() throws {
        var node = try makeReplicator { $0.sync.maxInboundSessions = 6 }
        let admitted = (0..<10).filter { node.admitInbound(from: "10.0.0.\($0)") }
        #expect(admitted.count == 6)
        #expect(node.footprint.inboundHosts == 6)
    }
}
