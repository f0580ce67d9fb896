import LanChatCore
import Testing

/// The vector exchanged at the start of a sync: its one canonical encoding, what its decoder refuses,
/// and what two vectors say about each other.
@Suite("SyncVector")
struct SyncVectorTests {
    static let a = try! identity(1).id, b = try! identity(2).id, c = try! identity(3).id
    /// The three authors in byte order, for hand-built encodings.
    static let sorted = [a, b, c].sorted()

    static let vectors: [SyncVector] = [
        SyncVector(),
        SyncVector(heads: [a: tip(1)]),
        SyncVector(heads: [a: tip(5), b: tip((1 << 63) - 1), c: tip(300, hash: 1)]),
        SyncVector([a: [tip(3, hash: 1), tip(3, hash: 2), tip(9)]]),
        SyncVector([b: (1...UInt64(SyncVector.maxTipsPerAuthor)).map { tip($0) }]),
    ]

    @Test(arguments: vectors)
    func roundTrip(_ vector: SyncVector) throws {
        let bytes = encoded(vector)
        let tips = vector.tips.values.map(\.count).reduce(0, +)
        #expect(bytes.count == 4 + vector.tips.count * (AuthorID.byteCount + 1) + tips * (8 + EntryHash.byteCount))
        #expect(try decodeVector(bytes) == vector)
    }

    @Test func theEncodingIsCanonical() {
        // Tips given in any order, repeated, or empty lists: one vector, one encoding.
        let first = SyncVector([Self.c: [tip(3)], Self.a: [tip(2, hash: 9), tip(1), tip(2, hash: 9)], Self.b: []])
        let second = SyncVector([Self.a: [tip(1), tip(2, hash: 9)], Self.c: [tip(3)]])
        #expect(first == second)
        #expect(encoded(first) == encoded(second))
        #expect(Array(encoded(first)[4..<36]) == [Self.a, Self.c].sorted()[0].bytes)
    }

    /// One author's entry in the wire layout: author, tip count, then (seq, hash) per tip.
    static func author(_ id: AuthorID, tips: [(UInt64, UInt8)]) -> [UInt8] {
        id.bytes + [UInt8(truncatingIfNeeded: tips.count)] + tips.flatMap { bigEndian($0.0) + [UInt8](repeating: $0.1, count: 32) }
    }

    static func vectorBytes(_ authors: [[UInt8]], count: UInt32? = nil) -> [UInt8] {
        bigEndian(count ?? UInt32(authors.count)) + authors.flatMap { $0 }
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]
        let error: DecodeError
    }

    static let malformed: [Malformed] = {
        let (low, mid) = (sorted[0], sorted[1])
        let valid = vectorBytes([author(low, tips: [(1, 1)]), author(mid, tips: [(2, 1)])])
        let tooMany = UInt32(SyncVector.maxAuthors + 1)
        return [
            Malformed(testDescription: "authors out of order", bytes: vectorBytes([author(mid, tips: [(1, 1)]), author(low, tips: [(1, 1)])]),
                      error: .invalid(field: "vector", reason: "authors must be strictly ascending")),
            Malformed(testDescription: "an author twice", bytes: vectorBytes([author(low, tips: [(1, 1)]), author(low, tips: [(2, 1)])]),
                      error: .invalid(field: "vector", reason: "authors must be strictly ascending")),
            Malformed(testDescription: "no tips", bytes: vectorBytes([author(low, tips: [])]),
                      error: .invalid(field: "tip count", reason: "must be at least 1")),
            Malformed(testDescription: "too many tips", bytes: vectorBytes([author(low, tips: (1...9).map { ($0, 1) })]),
                      error: .oversized(field: "tips", size: 9, limit: SyncVector.maxTipsPerAuthor)),
            Malformed(testDescription: "tips out of order", bytes: vectorBytes([author(low, tips: [(2, 1), (1, 1)])]),
                      error: .invalid(field: "tips", reason: "must be strictly ascending")),
            Malformed(testDescription: "a tip twice", bytes: vectorBytes([author(low, tips: [(2, 1), (2, 1)])]),
                      error: .invalid(field: "tips", reason: "must be strictly ascending")),
            Malformed(testDescription: "seq 0", bytes: vectorBytes([author(low, tips: [(0, 1)])]),
                      error: .invalid(field: "tip seq", reason: "must be 1 to 2^63-1")),
            Malformed(testDescription: "seq 2^63", bytes: vectorBytes([author(low, tips: [(1 << 63, 1)])]),
                      error: .invalid(field: "tip seq", reason: "must be 1 to 2^63-1")),
            Malformed(testDescription: "seq 2^64-1", bytes: vectorBytes([author(low, tips: [(.max, 1)])]),
                      error: .invalid(field: "tip seq", reason: "must be 1 to 2^63-1")),
            Malformed(testDescription: "too many authors, before reading them", bytes: bigEndian(tooMany),
                      error: .oversized(field: "vector", size: Int(tooMany), limit: SyncVector.maxAuthors)),
            Malformed(testDescription: "a count larger than the bytes", bytes: vectorBytes([author(low, tips: [(1, 1)])], count: 2),
                      error: .truncated(field: "vector author")),
            Malformed(testDescription: "no count", bytes: [0, 0], error: .truncated(field: "vector size")),
            Malformed(testDescription: "cut in a hash", bytes: Array(valid.dropLast()), error: .truncated(field: "tip hash")),
            Malformed(testDescription: "cut in a seq", bytes: Array(valid.dropLast(33)), error: .truncated(field: "tip seq")),
            Malformed(testDescription: "no tip count", bytes: Array(valid.prefix(4 + 32)), error: .truncated(field: "tip count")),
            Malformed(testDescription: "trailing bytes", bytes: valid + [0], error: .trailingBytes(count: 1)),
        ]
    }()

    @Test(arguments: malformed)
    func decodeRejects(_ input: Malformed) {
        #expect(throws: input.error) { try decodeVector(input.bytes) }
    }

    @Test func decodeAcceptsTheLargestVector() throws {
        let bytes = Self.vectorBytes([Self.author(Self.sorted[0], tips: [(1, 1), ((1 << 63) - 1, 1)])])
        #expect(try decodeVector(bytes).highestSeq(of: Self.sorted[0]) == (1 << 63) - 1)
    }

    struct MissingCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let mine: SyncVector
        let theirs: SyncVector
        let missing: [(AuthorID, UInt64)]
    }

    /// What the other side lacks: authors whose highest seq here is beyond theirs, with theirs, in author order.
    @Test(arguments: [
        MissingCase(testDescription: "identical", mine: SyncVector(heads: [a: tip(3)]), theirs: SyncVector(heads: [a: tip(3)]), missing: []),
        MissingCase(testDescription: "they are ahead", mine: SyncVector(heads: [a: tip(3)]), theirs: SyncVector(heads: [a: tip(5)]), missing: []),
        MissingCase(testDescription: "they are behind", mine: SyncVector(heads: [a: tip(5)]), theirs: SyncVector(heads: [a: tip(3)]), missing: [(a, 3)]),
        MissingCase(testDescription: "they lack the author", mine: SyncVector(heads: [b: tip(2)]), theirs: SyncVector(), missing: [(b, 0)]),
        MissingCase(testDescription: "a fork at the same seq is not missing", mine: SyncVector(heads: [a: tip(3, hash: 1)]),
                    theirs: SyncVector(heads: [a: tip(3, hash: 2)]), missing: []),
        MissingCase(testDescription: "the highest of several tips counts", mine: SyncVector([a: [tip(2), tip(7, hash: 1)]]),
                    theirs: SyncVector([a: [tip(4), tip(6)]]), missing: [(a, 6)]),
        MissingCase(testDescription: "several authors, sorted", mine: SyncVector(heads: [a: tip(4), b: tip(4), c: tip(4)]),
                    theirs: SyncVector(heads: [b: tip(9)]), missing: [a, c].sorted().map { ($0, 0) }),
    ])
    func missing(_ scenario: MissingCase) {
        let missing = scenario.mine.missing(in: scenario.theirs)
        #expect(missing.map(\.author) == scenario.missing.map(\.0))
        #expect(missing.map(\.after) == scenario.missing.map(\.1))
    }

    /// New tips replace every tip of their author (a fork merged, a log grown, a branch added), and only
    /// of that author; none removes the author.
    @Test(arguments: [
        (SyncVector(heads: [a: tip(3)]), a, [tip(4)], SyncVector(heads: [a: tip(4)])),
        (SyncVector([a: [tip(3, hash: 1), tip(3, hash: 2)]]), a, [tip(4)], SyncVector(heads: [a: tip(4)])),
        (SyncVector(heads: [a: tip(3, hash: 1)]), a, [tip(3, hash: 1), tip(3, hash: 2)], SyncVector([a: [tip(3, hash: 1), tip(3, hash: 2)]])),
        (SyncVector(heads: [b: tip(2)]), a, [tip(4)], SyncVector(heads: [a: tip(4), b: tip(2)])),
        (SyncVector(heads: [a: tip(3), b: tip(2)]), a, [], SyncVector(heads: [b: tip(2)])),
        (SyncVector(), a, (1...20).map { tip($0) }, SyncVector([a: (13...20).map { tip($0) }])),
    ] as [(SyncVector, AuthorID, [AuthorTip], SyncVector)])
    func setTips(from start: SyncVector, author: AuthorID, to tips: [AuthorTip], expected: SyncVector) throws {
        var vector = start
        vector.setTips(of: author, to: tips.reversed())
        #expect(vector == expected)
        #expect(try decodeVector(encoded(vector)) == expected)
    }

    /// The digest in every ping tells vectors apart, also by a hash alone (a fork); the total sums highest seqs.
    @Test func digestAndTotal() {
        let vector = SyncVector(heads: [Self.a: tip(4), Self.b: tip(9)])
        #expect(vector.digest == SyncVector(heads: [Self.b: tip(9), Self.a: tip(4)]).digest)
        for other in [
            SyncVector(heads: [Self.a: tip(4), Self.b: tip(10)]), SyncVector(heads: [Self.a: tip(4)]),
            SyncVector(heads: [Self.a: tip(4), Self.c: tip(9)]), SyncVector(heads: [Self.a: tip(9), Self.b: tip(4)]),
            SyncVector(heads: [Self.a: tip(4), Self.b: tip(9, hash: 1)]), SyncVector([Self.a: [tip(4)], Self.b: [tip(9), tip(9, hash: 1)]]),
        ] {
            #expect(vector.digest != other.digest)
        }
        #expect(vector.total == 13)
        #expect(SyncVector([Self.a: [tip(3, hash: 1), tip(3, hash: 2), tip(5)]]).total == 5)
        #expect(SyncVector().total == 0)
    }

    /// However many tips it is given, a vector keeps the highest ones within the bound, so it always encodes.
    @Test func tipsBeyondTheBoundAreCut() throws {
        let many = SyncVector([Self.a: (1...300).map { tip(UInt64($0)) }])
        #expect(many.tips[Self.a]?.count == SyncVector.maxTipsPerAuthor)
        #expect(many.highestSeq(of: Self.a) == 300)
        #expect(try decodeVector(encoded(many)) == many)
    }
}
