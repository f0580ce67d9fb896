import LanChatControl
import LanChatCore
import LanChatStore

/// One person, several devices: linking a new device with a one-time code and a confirmation number
/// both screens show, and unlinking a lost one (`DeviceLinks` says who is whom).
extension Node {
    /// An open `lanchat link` on this device: the code it showed, until when, and wrong numbers typed.
    struct LinkInvitation {
        let code: LinkCode
        let expires: ContinuousClock.Instant
        var wrongConfirmations = 0
    }

    static let invitationLifetime = Duration.seconds(600)
    static let maxWrongConfirmations = 3

    func linkInvite() -> LinkInfo {
        let code = LinkCode.generate(for: identity.id)
        invitation = LinkInvitation(code: code, expires: .now + Self.invitationLifetime)
        return LinkInfo(code: code.description)
    }

    /// On the new device: signs a link entry naming the inviting device and answers the number to check.
    func linkJoin(_ text: String) async throws(ControlFailure) -> LinkInfo {
        guard let code = LinkCode(text: text) else { throw ControlFailure(.badRequest, "'\(text)' is not a link code (like k3j4m2xq7p-7qxm)") }
        let inviters = directory.records.keys.filter { $0.text.hasPrefix(code.inviterPrefix) && $0 != identity.id }
        guard inviters.count == 1, let inviter = inviters.first else {
            throw ControlFailure(
                .notFound, "no device whose ID starts with \(code.inviterPrefix) is known here yet: wait until lanchat who lists it, then try again")
        }
        guard directory.person(of: inviter) != directory.person(of: identity.id) else {
            throw ControlFailure(.badRequest, "this device is already linked with \(directory.displayName(of: inviter))")
        }
        if !directory.links.hasLinked(identity.id, to: inviter) { _ = try await appendLocalEntry(.link(device: inviter, role: .joined)) }
        return LinkInfo(confirmation: code.confirmation(inviter: inviter, joiner: identity.id), device: ref(inviter))
    }

    /// On the inviting device: links the device that asked and shows this number.
    func linkConfirm(_ typed: String) async throws(ControlFailure) -> LinkInfo {
        guard var open = invitation, open.expires > .now else {
            invitation = nil
            throw ControlFailure(.notFound, "no link invitation is open on this device: start one with lanchat link")
        }
        let digits = typed.filter(\.isNumber)
        let asking = directory.records.keys.filter { directory.links.hasLinked($0, to: identity.id) && !directory.links.hasLinked(identity.id, to: $0) }
        let matching = asking.filter { open.code.confirmation(inviter: identity.id, joiner: $0).filter(\.isNumber) == digits }
        // Two devices showing one number: one of them is a flood of requests that got lucky; link neither.
        guard matching.count <= 1 else {
            invitation = nil
            throw ControlFailure(.noPermission, "more than one device asking to link shows \(typed); the invitation is void: start again with lanchat link")
        }
        guard let joiner = matching.first else {
            guard !asking.isEmpty else {
                throw ControlFailure(.notFound, "no device has asked to link yet: run lanchat link \(open.code) on it (its request arrives in a second)")
            }
            open.wrongConfirmations += 1
            let left = Self.maxWrongConfirmations - open.wrongConfirmations
            invitation = left > 0 ? open : nil
            throw ControlFailure(
                .noPermission,
                "no device asking to link shows \(typed)" + (left > 0 ? " (\(left) attempt(s) left)" : "; the invitation is void: start again with lanchat link"))
        }
        invitation = nil
        _ = try await appendLocalEntry(.link(device: joiner, role: .invited))
        return LinkInfo(device: ref(joiner))
    }

    /// Removes a device of this person (lost or stolen): what it wrote up to now stays the person's.
    func unlinkDevice(_ text: String) async throws(ControlFailure) -> IdentityInfo {
        let lowered = text.lowercased()
        let others = directory.links.devices(of: identity.id).filter {
            $0 != identity.id && ($0.text == lowered || (lowered.count >= AuthorID.shortLength && $0.text.hasPrefix(lowered)))
        }
        guard others.count == 1, let device = others.first else {
            throw ControlFailure(.notFound, "no other device of yours has an ID starting with '\(text)' (lanchat whoami lists them)")
        }
        let lastSeq: UInt64
        do {
            lastSeq = try await store.syncVector().highestSeq(of: device)
        } catch {
            throw ControlFailure(.storage, "could not read \(device.short)'s log: \(error)")
        }
        _ = try await appendLocalEntry(.unlink(device: device, lastSeq: lastSeq))
        return whoami()
    }

    func ref(_ author: AuthorID) -> AuthorRef {
        AuthorRef(id: author.text, name: directory.displayName(of: author))
    }
}
