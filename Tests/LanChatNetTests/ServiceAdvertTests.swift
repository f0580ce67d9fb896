import LanChatCore
import Testing

@Suite("DNS-SD announcement")
struct ServiceAdvertTests {
    private let id = try! LocalIdentity(seed: Array(repeating: 3, count: 32)).id

    @Test func txtRecordRoundTrips() {
        let advert = ServiceAdvert(network: "lanchat", id: id)
        #expect(ServiceAdvert(txtRecord: advert.txtRecord) == advert)
    }

    private func txt(_ items: String...) -> [UInt8] {
        items.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    /// A node of another protocol version is still found (so `peers` and `doctor` can say so), with its version.
    @Test func theProtocolVersionIsAdvertised() {
        let advert = ServiceAdvert(network: "lanchat", id: id)
        #expect(advert.protocolVersion == Datagram.protocolVersion)
        #expect(ServiceAdvert(txtRecord: txt("v=\(Datagram.protocolVersion)", "net=lanchat", "id=\(id.text)")) == advert)
        #expect(ServiceAdvert(txtRecord: txt("v=1", "net=lanchat", "id=\(id.text)"))
            == ServiceAdvert(protocolVersion: 1, network: "lanchat", id: id))
    }

    @Test func malformedOrIncompleteRecordsAreRefused() {
        #expect(ServiceAdvert(txtRecord: [5, 0x76, 0x3d, 0x31]) == nil)  // the length runs past the end
        #expect(ServiceAdvert(txtRecord: txt("v=1", "net=lanchat")) == nil)
        #expect(ServiceAdvert(txtRecord: txt("v=1", "net=Bad Net", "id=\(id.text)")) == nil)
        #expect(ServiceAdvert(txtRecord: txt("v=x", "net=lanchat", "id=\(id.text)")) == nil)
        #expect(ServiceAdvert(txtRecord: txt("v=1", "net=lanchat", "id=notanid")) == nil)
    }

    @Test func instanceNamesFitOneDNSLabelAndCarryTheShortID() {
        let long = String(repeating: "é", count: 64)
        let name = ServiceAdvert.instanceName(displayName: long, id: id)
        #expect(name.utf8.count <= 63)
        #expect(name.hasSuffix(" (\(id.short))"))
        #expect(ServiceAdvert.instanceName(displayName: "Alice", id: id) == "Alice (\(id.short))")
    }
}
