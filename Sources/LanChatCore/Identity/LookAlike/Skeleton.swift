import Foundation

/// The form look-alike texts share: Unicode TR39's skeleton (§4). `Аlice` (Cyrillic А), `A1ice` and
/// `Alice` all have the skeleton `Alice`; texts with equal skeletons are confusable.
public enum Skeleton {
    /// TR39's steps: NFD, without Default_Ignorable_Code_Point scalars, each scalar replaced by its
    /// prototype, NFD again. Stricter than TR39, nonspacing marks (Mn) go too, those written and those a
    /// prototype brings (`ɗ` is `d` and a hook), so that no accent or stack of combining marks sets a
    /// name apart: names that differ only there are taken for look-alikes, which costs them a short ID.
    public static func of(_ text: String) -> String {
        var mapped = String.UnicodeScalarView()
        for scalar in decomposed(text) { mapped.append(contentsOf: prototypes[scalar] ?? [scalar]) }
        return String(decomposed(String(mapped)))
    }

    /// NFD (Foundation's: the standard library's is not public), less default ignorables and nonspacing marks.
    private static func decomposed(_ text: String) -> String.UnicodeScalarView {
        String.UnicodeScalarView(text.decomposedStringWithCanonicalMapping.unicodeScalars.filter { scalar in
            !scalar.properties.isDefaultIgnorableCodePoint && scalar.properties.generalCategory != .nonspacingMark
        })
    }

    private static let prototypes: [Unicode.Scalar: [Unicode.Scalar]] = Dictionary(
        uniqueKeysWithValues: UnicodeTables.entries(of: UnicodeTables.confusables).map { entry in
            (UnicodeTables.scalar(entry.key), entry.value.split(separator: ".").map(UnicodeTables.scalar))
        })
}
