/// Whether a name mixes scripts within one word, as `Аlice` does (a Cyrillic А among Latin letters):
/// a word read as one script that is not one. TR39's resolved script set (§5.1), word by word: a
/// word mixes scripts when no script holds all its letters.
public enum MixedScript {
    /// Words are what spaces separate: `Alice Иванова` mixes none.
    public static func inSomeWord(of name: String) -> Bool {
        name.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).contains { word in
            var resolved: Set<String>?
            for scalar in word {
                guard let scripts = scripts(of: scalar) else { continue }
                resolved = resolved?.intersection(scripts) ?? scripts
            }
            return resolved?.isEmpty ?? false
        }
    }

    /// The scripts a scalar may be read in: its own, and the writing systems TR39 lets Han share with
    /// Hiragana and Katakana (Japanese), Hangul (Korean) and Bopomofo. Nil for one that goes with any:
    /// Common (digits, punctuation), Inherited (marks), and none (unassigned in the table's Unicode).
    /// Its Script stands for its Script_Extensions: the few signs several scripts share count for one.
    private static func scripts(of scalar: Unicode.Scalar) -> Set<String>? {
        let script = script(of: scalar)
        guard !["Zyyy", "Zinh", "Zzzz"].contains(script) else { return nil }
        return Set([script]).union(writingSystems[script] ?? [])
    }

    private static let writingSystems: [String: Set<String>] = [
        "Hani": ["Jpan", "Kore", "Hanb"], "Hira": ["Jpan"], "Kana": ["Jpan"], "Hang": ["Kore"], "Bopo": ["Hanb"],
    ]

    /// The script of the last run that starts at or before the scalar.
    private static func script(of scalar: Unicode.Scalar) -> String {
        var low = 0, high = runs.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if runs[middle].first <= scalar.value { low = middle } else { high = middle }
        }
        return runs[low].script
    }

    private static let runs = UnicodeTables.entries(of: UnicodeTables.scripts).map { entry in
        (first: UnicodeTables.codePoint(entry.key), script: String(entry.value))
    }
}
