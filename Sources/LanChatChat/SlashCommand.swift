/// A line starting with `/`, parsed. `/help` lists them (`ChatModel.help`).
enum SlashCommand: Equatable {
    case join(String)
    case name(String)
    case dm(String)
    case who
    case alias(id: String, name: String)
    case edit(String?)
    case delete
    case help
    case quit

    static let names = ["/alias", "/delete", "/dm", "/edit", "/help", "/join", "/name", "/quit", "/who"]

    /// The command, or why the line is not one (shown in the pane, nothing is sent).
    static func parse(_ line: String) -> Result<SlashCommand, Refusal> {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingSpaces() : ""
        switch parts.first ?? "" {
        case "/join":
            let room = (argument.hasPrefix("#") ? String(argument.dropFirst()) : argument).lowercased()
            guard !room.isEmpty else { return .failure(Refusal("usage: /join ROOM")) }
            // The daemon's rule for room names, checked here so that no room that cannot exist is listed.
            guard room.utf8.count <= 64, room.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".contains($0) }) else {
                return .failure(Refusal("a room name is 1 to 64 of a-z, 0-9, '-', '_' and '.'"))
            }
            return .success(.join(room))
        case "/name": return argument.isEmpty ? .failure(Refusal("usage: /name NEW NAME")) : .success(.name(argument))
        case "/dm": return argument.isEmpty ? .failure(Refusal("usage: /dm NAME")) : .success(.dm(argument))
        case "/who": return .success(.who)
        case "/alias":
            let words = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2 else { return .failure(Refusal("usage: /alias ID NAME")) }
            return .success(.alias(id: words[0], name: words[1].trimmingSpaces()))
        case "/edit": return .success(.edit(argument.isEmpty ? nil : argument))
        case "/delete": return .success(.delete)
        case "/help": return .success(.help)
        case "/quit", "/exit": return .success(.quit)
        default: return .failure(Refusal("unknown command \(parts.first ?? line): /help lists them"))
        }
    }

    struct Refusal: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
