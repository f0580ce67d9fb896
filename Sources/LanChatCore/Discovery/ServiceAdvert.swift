/// What a node announces over DNS-SD: the `_lanchat._tcp` instance name people see, and the TXT
/// record that lets others skip services of other networks, keys or versions before they connect.
///
/// On an open network the TXT record names the network and the node's ID, and the instance is called
/// `Name (short ID)`. On a closed one (a network key) mDNS is still plaintext multicast, so it says
/// nothing of either: an opaque instance name, and only the protocol version and the key's fingerprint.
public struct ServiceAdvert: Equatable, Sendable {
    public static let serviceType = "_lanchat._tcp"
    /// DNS labels hold at most 63 bytes.
    static let maxInstanceBytes = 63

    public let protocolVersion: UInt8
    /// An open network's node: its network and ID. Nil for a closed network's.
    public let network: String?
    public let id: AuthorID?
    /// A closed network's node: the fingerprint of its sending key. Nil for an open network's.
    public let key: KeyFingerprint?

    public init(protocolVersion: UInt8 = Datagram.protocolVersion, network: String, id: AuthorID) {
        self.protocolVersion = protocolVersion
        self.network = network
        self.id = id
        key = nil
    }

    public init(protocolVersion: UInt8 = Datagram.protocolVersion, key: KeyFingerprint) {
        self.protocolVersion = protocolVersion
        self.key = key
        network = nil
        id = nil
    }

    /// `Alice (k3j4m2)`: the display name, shortened on a character boundary to fit one DNS label.
    public static func instanceName(displayName: String, id: AuthorID) -> String {
        let suffix = " (\(id.short))"
        var name = displayName
        while name.utf8.count + suffix.utf8.count > maxInstanceBytes { name.removeLast() }
        return name + suffix
    }

    /// `lanchat 3f9a2c1e07bd`: random at each start, so it names no one and links no two starts.
    public static func opaqueInstanceName() -> String {
        "lanchat " + Hex.encode(SecureRandom.bytes(6))
    }

    /// DNS-SD TXT record data: length-prefixed `key=value` strings.
    public var txtRecord: [UInt8] {
        var items = ["v=\(protocolVersion)"]
        if let key { items.append("kf=\(key)") }
        if let network, let id { items += ["net=\(network)", "id=\(id.text)"] }
        var bytes: [UInt8] = []
        for item in items {
            bytes.append(UInt8(item.utf8.count))
            bytes += item.utf8
        }
        return bytes
    }

    /// Parses a TXT record; nil when a field lanchat needs is missing or malformed. As RFC 6763 §6.4
    /// says, keys are case-insensitive and only the first occurrence of a key counts; a string that is
    /// not UTF-8 counts as absent. The version is 1 to 3 decimal digits of a `u8`. A key fingerprint
    /// (`kf`) makes it a closed network's, whatever else the record holds.
    public init?(txtRecord bytes: [UInt8]) {
        var fields: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            let length = Int(bytes[index])
            let end = index + 1 + length
            guard end <= bytes.count else { return nil }
            if let item = String(validating: bytes[(index + 1)..<end], as: UTF8.self), let equals = item.firstIndex(of: "="),
                equals != item.startIndex
            {
                let key = String(item[..<equals]).lowercased()
                if fields[key] == nil { fields[key] = String(item[item.index(after: equals)...]) }
            }
            index = end
        }
        guard let versionText = fields["v"], (1...3).contains(versionText.utf8.count),
            versionText.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let version = UInt8(versionText)
        else { return nil }
        if let keyText = fields["kf"] {
            guard let key = KeyFingerprint(text: keyText) else { return nil }
            self.init(protocolVersion: version, key: key)
            return
        }
        guard let network = fields["net"], NetworkName.isValid(network), let idText = fields["id"], let id = AuthorID(text: idText)
        else { return nil }
        self.init(protocolVersion: version, network: network, id: id)
    }
}
