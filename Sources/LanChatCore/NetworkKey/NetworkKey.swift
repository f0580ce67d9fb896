import Crypto

/// The shared secret of a closed network: 32 random bytes every member holds. It never leaves the
/// node: packets carry only its fingerprint, and everything is sealed under per-session subkeys
/// derived from it (`SessionKeys`). Text form: `lanchat-network-key-v1:` and 64 lowercase hex digits.
public struct NetworkKey: Sendable, CustomStringConvertible {
    public static let byteCount = 32
    public static let textPrefix = "lanchat-network-key-v1:"

    let key: Subkey
    public let fingerprint: KeyFingerprint

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        key = Subkey(SymmetricKey(data: bytes))
        fingerprint = KeyFingerprint(of: bytes)
    }

    public init?(text: String) {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasPrefix(Self.textPrefix), let bytes = Hex.decode(trimmed.dropFirst(Self.textPrefix.count)) else { return nil }
        self.init(bytes: bytes)
    }

    /// Never the key itself: logs and error messages may print a key by accident.
    public var description: String { "network key \(fingerprint)" }

    /// The subkey for one sending session: HKDF-SHA256 with the session ID as salt, so no two sessions
    /// share a key and counter nonces never repeat under one (PROTOCOL.md, "Network key").
    func subkey(session: SessionID, purpose: SealPurpose, network: String) -> Subkey {
        Subkey(HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key.key, salt: session.bytes, info: Array(purpose.label.utf8) + [0] + Array(network.utf8), outputByteCount: 32))
    }
}

/// Eight bytes that name a network key without revealing it: the first eight of
/// SHA-256("lanchat network key fingerprint v1" || key). Shown as 16 hex digits.
public struct KeyFingerprint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 8
    public let value: UInt64

    init(of key: [UInt8]) {
        let digest = Array(SHA256.hash(data: Array("lanchat network key fingerprint v1".utf8) + key))
        value = digest.prefix(Self.byteCount).reduce(0) { $0 << 8 | UInt64($1) }
    }

    public init(value: UInt64) {
        self.value = value
    }

    public init?(text: String) {
        guard text.utf8.count == 16, let bytes = Hex.decode(Substring(text)) else { return nil }
        value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var description: String { Hex.encode(withUnsafeBytes(of: value.bigEndian) { Array($0) }) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// What a subkey seals: datagrams and each direction of a sync stream get keys of their own.
enum SealPurpose {
    case datagram
    case stream

    var label: String {
        switch self {
        case .datagram: "lanchat v2 datagram"
        case .stream: "lanchat v2 stream"
        }
    }
}

/// A key of swift-crypto, which does not declare `Sendable`: it wraps copy-on-write bytes that are
/// never changed once made, so sharing one between tasks is safe.
struct Subkey: @unchecked Sendable {
    let key: SymmetricKey

    init(_ key: SymmetricKey) {
        self.key = key
    }
}
