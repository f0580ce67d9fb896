import Foundation

/// Gives the pages of this executable's code back to the page cache, once the daemon has started.
///
/// Start-up runs much code that an idle daemon never runs again (argument parsing, the store's migrations,
/// the key, the first syncs), and the kernel maps the 64 KB around each page it faults in: an idle daemon
/// kept about 19 MB of its code mapped, most of it for nothing. `MADV_DONTNEED` drops this process's
/// mappings of those pages, not the pages: the ones it runs again fault back in from the page cache, which
/// shares them with every process of the binary.
///
/// Only the executable's private read-and-execute mapping, and only while none of its pages is a private
/// copy (`Anonymous: 0 kB` in `/proc/self/smaps`): a page written there (a debugger's breakpoint, a text
/// relocation) would be lost. Not at all while a tracer is attached, whose breakpoints are such pages.
public enum CodePages {
    /// One mapping of `/proc/self/smaps`: its range and its fields in kB (`Rss`, `Anonymous`, …).
    struct Mapping {
        let start: Int
        let end: Int
        var kilobytes: [String: Int] = [:]
    }

    /// Returns the bytes of mappings released; 0 where `/proc` could not tell which they are.
    @discardableResult
    public static func release() -> Int {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8), !isTraced(status),
            let smaps = try? String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        else { return 0 }
        var released = 0
        for mapping in codeMappings(inSmaps: smaps, of: executable) where mapping.kilobytes["Anonymous"] == 0 {
            if madvise(UnsafeMutableRawPointer(bitPattern: mapping.start), mapping.end - mapping.start, MADV_DONTNEED) == 0 {
                released += mapping.end - mapping.start
            }
        }
        return released
    }

    /// The mappings of `/proc/self/smaps` that map `path` private, readable and executable, with their fields.
    static func codeMappings(inSmaps smaps: String, of path: String) -> [Mapping] {
        var mappings: [Mapping] = []
        var current: Mapping?
        for line in smaps.split(separator: "\n") {
            // A mapping's header is its maps line: start-end perms offset dev inode path, where the path may hold
            // spaces; the fields that follow it read "Name:   value kB".
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            if let first = fields.first, !first.hasSuffix(":") {
                if let done = current { mappings.append(done) }
                current = nil
                let bounds = first.split(separator: "-")
                guard fields.count == 6, fields[1] == "r-xp", fields[5].trimmingCharacters(in: .whitespaces) == path,
                    bounds.count == 2, let start = Int(bounds[0], radix: 16), let end = Int(bounds[1], radix: 16), start < end
                else { continue }
                current = Mapping(start: start, end: end)
            } else if fields.count >= 2, let value = Int(fields[1]) {
                current?.kilobytes[String(fields[0].dropLast())] = value
            }
        }
        if let done = current { mappings.append(done) }
        return mappings
    }

    /// Whether `/proc/self/status` names a tracer (a debugger, strace).
    static func isTraced(_ status: String) -> Bool {
        status.split(separator: "\n").contains { line in
            line.hasPrefix("TracerPid:") && line.dropFirst("TracerPid:".count).trimmingCharacters(in: .whitespaces) != "0"
        }
    }
}
