/// Hard limits of format version 1. Decoders enforce them, so no peer can make a node allocate more.
public enum Limits {
    public static let maxBodyBytes = 16 * 1024
    public static let maxNameCharacters = 64
    public static let maxNameBytes = 255
    public static let maxRoomBytes = 64
    /// Room for today's kinds plus future ones (device links, direct messages) without a format change.
    public static let maxPayloadBytes = 20 * 1024
    public static let maxEntryBytes = Entry.headerBytes + maxPayloadBytes + Entry.signatureBytes
}
