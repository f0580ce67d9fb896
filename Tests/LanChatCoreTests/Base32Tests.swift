import LanChatCore
import Testing

@Suite("Base32")
struct Base32Tests {
    /// RFC 4648 section 10, lowercased and without padding.
    @Test(arguments: [
        ("", ""), ("f", "my"), ("fo", "mzxq"), ("foo", "mzxw6"), ("foob", "mzxw6yq"), ("fooba", "mzxw6ytb"),
        ("foobar", "mzxw6ytboi"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
    }

    @Test func roundTripOfRandomBytes() {
        var random = SplitMix64(seed: 32)
        for count in 0...70 {
            let bytes = random.bytes(count: count)
            let text = Base32.encode(bytes)
            #expect(text.count == (count * 8 + 4) / 5)
            #expect(Base32.decode(text) == bytes)
        }
    }

    @Test func uppercaseIsReadAsLowercase() {
        #expect(Base32.decode("MZXW6YTBOI") == Array("foobar".utf8))
    }

    @Test(arguments: [
        "mzxw6=",  // padding is not written, so not read either
        "mzxw1",  // 0, 1, 8 and 9 are not in the alphabet
        "mzx 6",
        "m",  // 5 bits: not a whole byte
        "mzx",  // 15 bits: one byte and 7 stray bits
        "mz",  // the 2 padding bits of "my" must be zero; "z" sets one
        "mzxw7",  // likewise for the last padding bit
        "é",
    ])
    func rejects(text: String) {
        #expect(Base32.decode(text) == nil)
    }
}
