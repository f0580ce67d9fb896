import LanChatCore
import Testing

@Suite("VersionVector")
struct VersionVectorTests {
    let a: AuthorID, b: AuthorID, c: AuthorID

    init() throws {
        (a, b, c) = (try identity(1).id, try identity(2).id, try identity(3).id)
    }

    private func encode(_ vector: VersionVector) -> [UInt8] {
        var writer = ByteWriter()
        vector.encode(into: &writer)
        return writer.bytes
    }

    private func decode(_ bytes: [UInt8]) throws(DecodeError) -> VersionVector {
        var reader = ByteReader(bytes)
        let vector = try VersionVector.decode(from: &reader)
        try reader.finish()
        return vector
    }

    @Test func encodeDecodeRoundTrip() throws {
        for vector in [VersionVector(), VersionVector([a: 1]), VersionVector([a: 5, b: .max, c: 300])] {
            let bytes = encode(vector)
            #expect(bytes.count == 4 + vector.heads.count * (AuthorID.byteCount + 8))
            #expect(try decode(bytes) == vector)
        }
    }

    @Test func encodingIsCanonical() {
        // Built in different orders, the same vector encodes to the same bytes (authors sorted).
        var first = VersionVector()
        first.advance(c, to: 3); first.advance(a, to: 1); first.advance(b, to: 2)
        let second = VersionVector([a: 1, b: 2, c: 3])
        #expect(encode(first) == encode(second))
        let sorted = [a, b, c].sorted()
        #expect(Array(encode(second)[4..<36]) == sorted[0].bytes)
    }

    @Test func digest() {
        let vector = VersionVector([a: 4, b: 9])
        #expect(vector.digest == VersionVector([b: 9, a: 4]).digest)
        #expect(vector.digest != VersionVector([a: 4, b: 10]).digest)
        #expect(vector.digest != VersionVector([a: 4]).digest)
        #expect(vector.digest != VersionVector([a: 4, c: 9]).digest)
        #expect(vector.digest != VersionVector([a: 9, b: 4]).digest)
        #expect(VersionVector().digest == VersionVector([a: 0]).digest)  // a zero head is no head
    }

    @Test func advanceOnlyMovesForward() {
        var vector = VersionVector([a: 5])
        vector.advance(a, to: 3)
        #expect(vector[a] == 5)
        vector.advance(a, to: 6)
        vector.advance(b, to: 1)
        #expect(vector == VersionVector([a: 6, b: 1]))
        #expect(vector[c] == 0)
        #expect(vector.total == 7)
    }

    @Test func behind() {
        let ours = VersionVector([a: 5, b: 2])
        let theirs = VersionVector([a: 3, b: 7, c: 1])
        let wanted = ours.behind(theirs)
        let expected = [(b, 2 as UInt64), (c, 0)].sorted { $0.0 < $1.0 }
        #expect(wanted.map(\.author) == expected.map(\.0))
        #expect(wanted.map(\.after) == expected.map(\.1))
        #expect(ours.behind(ours).isEmpty)
        #expect(theirs.behind(ours).map(\.author) == [a])
        #expect(theirs.behind(ours).map(\.after) == [3])
    }

    @Test func decodeRejectsADuplicateAuthor() {
        let bytes = bigEndian(UInt32(2)) + a.bytes + bigEndian(UInt64(1)) + a.bytes + bigEndian(UInt64(2))
        #expect(throws: DecodeError.invalid(field: "vector", reason: "author listed twice")) { try decode(bytes) }
    }

    @Test func decodeRejectsAnOversizedCountBeforeReading() {
        let count = UInt32(VersionVector.maxAuthors + 1)
        #expect(throws: DecodeError.oversized(field: "vector", size: Int(count), limit: VersionVector.maxAuthors)) {
            try decode(bigEndian(count))
        }
        #expect(throws: DecodeError.oversized(field: "vector", size: Int(UInt32.max), limit: VersionVector.maxAuthors)) {
            try decode(bigEndian(UInt32.max))
        }
    }

    @Test func decodeRejectsTruncatedInput() {
        let bytes = encode(VersionVector([a: 1, b: 2]))
        #expect(throws: DecodeError.truncated(field: "vector size")) { try decode([0, 0]) }
        #expect(throws: DecodeError.truncated(field: "vector author")) { try decode(Array(bytes.prefix(20))) }
        #expect(throws: DecodeError.truncated(field: "vector seq")) { try decode(Array(bytes.dropLast())) }
        #expect(throws: DecodeError.trailingBytes(count: 1)) { try decode(bytes + [0]) }
    }
}
