/// The body of a `fetch` frame: entries the sender holds without their payload (it came header-only
/// from a relay that had dropped it), asked for whole. A missing payload is never taken as deleted:
/// only a signed delete is, so a relay cannot censor a message by dropping its text.
public enum PayloadFetch {
    /// Entries asked for in one session at most; a larger backlog is asked for over later sessions.
    public static let maxRefs = 256

    /// Strictly ascending refs (author, then seq, then hash), so a list has one encoding.
    static func encode(_ refs: [EntryRef], into writer: inout ByteWriter) {
        writer.u16(UInt16(refs.count))
        for ref in refs { ref.encode(into: &writer) }
    }

    static func decode(from reader: inout ByteReader) throws(DecodeError) -> [EntryRef] {
        let count = Int(try reader.u16("fetch count"))
        guard count <= maxRefs else { throw .oversized(field: "fetch", size: count, limit: maxRefs) }
        var refs: [EntryRef] = []
        refs.reserveCapacity(count)
        for _ in 0..<count {
            let ref = try EntryRef.decode(from: &reader, "fetch")
            if let last = refs.last, !(last < ref) { throw .invalid(field: "fetch", reason: "entries must be strictly ascending") }
            refs.append(ref)
        }
        return refs
    }

    /// What a side asks for: at most `maxRefs`, each once, in wire order.
    static func request(_ missing: [EntryRef]) -> [EntryRef] {
        Array(Set(missing).sorted().prefix(maxRefs))
    }
}

extension EntryRef: Comparable {
    public static func < (lhs: EntryRef, rhs: EntryRef) -> Bool {
        (lhs.author, lhs.seq, lhs.hash) < (rhs.author, rhs.seq, rhs.hash)
    }
}
