import Foundation

/// Gives the pages of this executable's code back to the page cache, once the daemon has started.
///
/// Start-up runs much code that an idle daemon never runs again (argument parsing, the store's migrations,
/// the key, the first syncs), and the kernel maps the 64 KB around each page it faults in: an idle daemon
/// kept about 19 MB of its code mapped, most of it for nothing. `MADV_DONTNEED` drops this process's
/// mappings of those pages, not the pages: the ones it runs again fault back in from the page cache, which
/// shares them with every process of the binary.
///
/// Only the executable's read-and-execute mapping: it is never written, so dropping it loses nothing. A
/// writable or relocated mapping (RELRO is read-only after start but holds private copies) would lose its
/// contents, and is left alone.
public enum CodePages {
    /// Returns the bytes of mappings released; 0 where `/proc` could not tell which they are.
    @discardableResult
    public static func release() -> Int {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        else { return 0 }
        var released = 0
        for (start, end) in codeMappings(in: maps, of: executable) where madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, MADV_DONTNEED) == 0 {
            released += end - start
        }
        return released
    }

    /// The address ranges of `/proc/self/maps` lines that map `path` readable and executable, and private.
    static func codeMappings(in maps: String, of path: String) -> [(start: Int, end: Int)] {
        maps.split(separator: "\n").compactMap { line in
            // start-end perms offset dev inode path: the path may hold spaces, so it is what follows the inode.
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1] == "r-xp", fields[5].trimmingCharacters(in: .whitespaces) == path else { return nil }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = Int(bounds[0], radix: 16), let end = Int(bounds[1], radix: 16), start < end else { return nil }
            return (start, end)
        }
    }
}
