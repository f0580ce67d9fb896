/// Hard limits of format version 2. Decoders enforce them, so no peer can make a node allocate more.
public enum Limits {
    public static let maxBodyBytes = 16 * 1024
    public static let maxNameCharacters = 64
    public static let maxNameBytes = 255
    public static let maxRoomBytes = 64
    /// Room for today's kinds plus future ones (device links, direct messages) without a format change.
    public static let maxPayloadBytes = 20 * 1024
    /// version, author, seq, timestamp, kind, links, payload length and hash, extensions, signature, payload flag.
    public static let maxHeaderBytes = 1 + AuthorID.byteCount + 8 + 8 + 1 + 1 + Entry.maxLinks * 40 + 4 + EntryHash.byteCount
        + 2 + Entry.maxExtensionBytes + Entry.signatureBytes
    public static let maxEntryBytes = maxHeaderBytes + 1 + maxPayloadBytes
}
