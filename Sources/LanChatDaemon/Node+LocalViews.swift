import LanChatControl
import LanChatCore

/// What this machine alone says about people: whose messages its views hide (`lanchat mute`: history,
/// follow and the list of conversations leave them out; the node stores and relays their entries as
/// before) and the names it gives them (`lanchat alias`: shown instead of theirs, marked `~`).
extension Node {
    /// Every device of the muted people: what history leaves out.
    var hiddenAuthors: Set<AuthorID> {
        Set(muted.flatMap { directory.links.devices(of: $0) })
    }

    func isMuted(_ author: AuthorID, seq: UInt64? = nil) -> Bool {
        muted.contains(directory.person(of: author, seq: seq))
    }

    /// Whether the views leave out `event`, made of `entry`: a muted author's, or a direct message with a
    /// muted person. A rename always shows.
    func hides(_ event: ChatEvent, of entry: Entry) -> Bool {
        let other = event.with.flatMap { AuthorID(text: $0.id) }
        return event.type != .profile && (isMuted(entry.author, seq: entry.seq) || other.map { isMuted($0) } == true)
    }

    /// Mutes (or, with `false`, unmutes) the one person `text` names; answers everyone muted now.
    func setMuted(_ text: String, _ mute: Bool) async throws(ControlFailure) -> [IdentityInfo] {
        let person = try someoneElse(text)
        do {
            try await store.setMuted(person, mute)
        } catch {
            throw ControlFailure(.storage, "could not save the mute: \(error)")
        }
        if mute { muted.insert(person) } else { muted.remove(person) }
        return mutedPeople()
    }

    func mutedPeople() -> [IdentityInfo] {
        muted.map { person in
            var info = IdentityInfo(author: person, directory: directory)
            info.muted = true
            return info
        }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    }

    /// Names `text`'s person `name` here, or with nil takes the name back; answers every name given.
    func setAlias(_ text: String, _ name: String?) async throws(ControlFailure) -> [IdentityInfo] {
        let person = try someoneElse(text)
        if let name {
            do {
                try EntryContent.validate(name: name)
            } catch {
                throw ControlFailure(.invalid, describe(error))
            }
        }
        do {
            try await store.setAlias(name, for: person)
        } catch {
            throw ControlFailure(.storage, "could not save the name: \(error)")
        }
        directory.setAlias(name, for: person)
        return aliases()
    }

    func aliases() -> [IdentityInfo] {
        directory.aliases.keys.map { IdentityInfo(author: $0, directory: directory) }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    }

    /// The one person `text` names, not this one.
    private func someoneElse(_ text: String) throws(ControlFailure) -> AuthorID {
        let found = directory.find(text)
        guard found.count == 1, let person = found.first else {
            throw ControlFailure(
                found.isEmpty ? .notFound : .badRequest,
                found.isEmpty ? "nobody here is called or has the ID '\(text)' (see lanchat who)" : "'\(text)' could be several people: give the ID")
        }
        guard person != directory.person(of: identity.id) else { throw ControlFailure(.badRequest, "that is you") }
        return person
    }
}
