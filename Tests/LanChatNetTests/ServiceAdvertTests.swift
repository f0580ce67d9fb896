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

/// The TXT record's fields, each with its bad values (issue 9: range checks where decoded).
@Suite("DNS-SD TXT fields")
struct ServiceAdvertFieldTests {
    static let id = try! LocalIdentity(seed: Array(repeating: 3, count: 32)).id

    static func txt(_ items: [String]) -> [UInt8] {
        items.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    static let rows: [([String], Bool)] = [
        (["v=1", "net=lanchat", "id=\(id.text)"], true),
        (["v=255", "net=lanchat", "id=\(id.text)"], true),
        (["V=1", "NET=lanchat", "ID=\(id.text)"], true),  // keys are case-insensitive
        (["v=256", "net=lanchat", "id=\(id.text)"], false),
        (["v=+1", "net=lanchat", "id=\(id.text)"], false),
        (["v=-1", "net=lanchat", "id=\(id.text)"], false),
        (["v=", "net=lanchat", "id=\(id.text)"], false),
        (["v=0001", "net=lanchat", "id=\(id.text)"], false),
        (["v= 1", "net=lanchat", "id=\(id.text)"], false),
        (["v=1", "net=", "id=\(id.text)"], false),
        (["v=1", "net=\(String(repeating: "a", count: 33))", "id=\(id.text)"], false),
        (["v=1", "net=LanChat", "id=\(id.text)"], false),
        (["v=1", "net=lanchat", "id="], false),
        (["v=1", "net=lanchat", "id=\(id.text)x"], false),
        (["v=1", "net=lanchat", "=x", "id=\(id.text)"], true),  // an empty key is ignored
        // Only the first occurrence of a key counts (RFC 6763 §6.4).
        (["v=1", "net=lanchat", "id=\(id.text)", "net=Bad Net", "v=x"], true),
        (["v=x", "v=1", "net=lanchat", "id=\(id.text)"], false),
    ]

    @Test(arguments: rows)
    func parses(items: [String], valid: Bool) {
        let advert = ServiceAdvert(txtRecord: Self.txt(items))
        #expect((advert != nil) == valid)
        if valid { #expect(advert == ServiceAdvert(protocolVersion: advert?.protocolVersion ?? 0, network: "lanchat", id: Self.id)) }
    }

    /// A string that is not UTF-8 counts as absent: never repaired into U+FFFD.
    @Test func aFieldThatIsNotUTF8IsAbsent() {
        let bad = [UInt8(6)] + Array("net=".utf8) + [0xff, 0xfe]
        #expect(ServiceAdvert(txtRecord: Self.txt(["v=1"]) + bad + Self.txt(["id=\(Self.id.text)"])) == nil)
        #expect(ServiceAdvert(txtRecord: Self.txt(["v=1"]) + bad + Self.txt(["net=lanchat", "id=\(Self.id.text)"])) != nil)
    }
}
