/// 16 random bytes that name one sending session (a daemon's datagrams since its start, or one
/// direction of one sync connection). It is sent in clear and salts the session's subkey.
public struct SessionID: Hashable, Sendable {
    public static let byteCount = 16
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    /// From the system's CSPRNG: two sessions under one key must never draw the same ID.
    public static func random() -> SessionID {
        SessionID(bytes: SecureRandom.bytes(byteCount))!
    }
}
