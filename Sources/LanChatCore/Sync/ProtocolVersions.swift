/// The protocol versions a node speaks, as a hello and a hello reply list them first: how two nodes
/// agree on one, and the list's wire form, which every version must go on reading (PROTOCOL.md §5.2).
public enum ProtocolVersions {
    /// What this build speaks, ascending.
    public static let spoken: [UInt8] = [Datagram.protocolVersion]
    /// A node speaks a handful of versions at most; a longer list is refused.
    public static let maxListed = 8

    /// The version two nodes use: the highest both speak; nil when they share none.
    public static func agreed(_ mine: [UInt8], _ theirs: [UInt8]) -> UInt8? {
        Set(mine).intersection(theirs).max()
    }

    /// Whether this build reads what follows a list: only a version it speaks defines that.
    static func readable(_ versions: [UInt8]) -> Bool {
        agreed(spoken, versions) != nil
    }

    static func encode(_ versions: [UInt8], into writer: inout ByteWriter) {
        writer.u8(UInt8(versions.count))
        writer.raw(versions)
    }

    /// A count of 1…`maxListed`, then the versions: none is 0, and they rise strictly, so none repeats.
    static func decode(from reader: inout ByteReader) throws(DecodeError) -> [UInt8] {
        let count = Int(try reader.u8("protocol version count"))
        guard (1...maxListed).contains(count) else {
            throw .invalid(field: "protocol version count", reason: "must be 1 to \(maxListed), is \(count)")
        }
        let versions = try reader.raw(count, "protocol versions")
        guard versions[0] > 0, zip(versions, versions.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .invalid(field: "protocol versions", reason: "must be above 0 and rise strictly")
        }
        return versions
    }
}
