/// Reading the generated tables: words of `KEY:VALUE`, code points in hex.
extension UnicodeTables {
    static func entries(of table: String) -> [(key: Substring, value: Substring)] {
        table.split(whereSeparator: \.isWhitespace).map { word in
            let colon = word.firstIndex(of: ":")!
            return (word[..<colon], word[word.index(after: colon)...])
        }
    }

    static func codePoint(_ hex: Substring) -> UInt32 { UInt32(hex, radix: 16)! }

    static func scalar(_ hex: Substring) -> Unicode.Scalar { Unicode.Scalar(codePoint(hex))! }
}
