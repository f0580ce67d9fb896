import LanChatControl

/// Answers one control request. Every failure becomes an error response; nothing here ends the connection.
struct ControlDispatcher: Sendable {
    let node: Node
    let networkStatus: @Sendable () async -> NetworkStatus
    let peers: @Sendable () async -> [PeerInfo]
    let diagnose: @Sendable () async -> [DoctorCheck]

    /// Who called, as the kernel says: read markers are kept per local user, and only the daemon's own
    /// user and root act on the identity itself.
    struct Caller: Sendable {
        let uid: UInt32
        let isOwner: Bool
    }

    func handle(_ command: ControlCommand, caller: Caller) async -> ControlResponse {
        do {
            switch command {
            case .exportIdentity, .linkInvite, .linkJoin, .linkConfirm, .unlink:
                guard caller.isOwner else {
                    throw ControlFailure(
                        .noPermission, "only the daemon's own user or root may export this identity or link and unlink its devices")
                }
            default: break
            }
            return try await respond(to: command, uid: caller.uid)
        } catch let failure as ControlFailure {
            return ControlResponse(failure)
        } catch {
            return ControlResponse(ControlFailure(.internal, "\(error)"))
        }
    }

    private func respond(to command: ControlCommand, uid: UInt32) async throws -> ControlResponse {
        var response = ControlResponse()
        switch command {
        case .send(let body, let room, let replyTo, let mentions):
            response.message = try await node.send(
                room: room ?? ControlLimits.defaultRoom, body: body, replyTo: replyTo, mentions: mentions ?? [])
        case .delete(let id):
            response.message = try await node.delete(id)
        case .edit(let id, let body):
            response.message = try await node.edit(id, body: body)
        case .history(let room, let limit):
            let limit = limit ?? ControlLimits.defaultHistory
            guard (1...ControlLimits.maxHistory).contains(limit) else {
                throw ControlFailure(.badRequest, "limit must be 1 to \(ControlLimits.maxHistory)")
            }
            response.messages = try await node.history(room: room ?? ControlLimits.defaultRoom, limit: limit)
        case .name(let name?):
            response.identity = try await node.rename(to: name)
        case .name(nil), .whoami:
            response.identity = await node.whoami()
        case .who:
            let online = Set(await peers().filter { $0.state == .alive }.compactMap(\.id))
            response.identities = try await node.who().map { info in
                var info = info
                // A person is online when any of its devices is.
                info.online = info.isSelf == true || (info.devices ?? [info.id]).contains(where: online.contains)
                return info
            }
        case .rooms:
            response.rooms = try await node.rooms(uid: uid)
        case .markRead(let room?, _):
            try await node.markRead(room: room, uid: uid)
        case .markRead(nil, let with):
            try await node.markRead(with: with ?? "", uid: uid)
        case .dm(let to, let body):
            response.message = try await node.sendDirect(to: to, body: body)
        case .conversation(let with, let limit):
            let limit = limit ?? ControlLimits.defaultHistory
            guard (1...ControlLimits.maxHistory).contains(limit) else {
                throw ControlFailure(.badRequest, "limit must be 1 to \(ControlLimits.maxHistory)")
            }
            response.messages = try await node.conversation(with: with, limit: limit, uid: uid)
        case .dms:
            response.conversations = try await node.conversations(uid: uid)
        case .exportIdentity(let passphrase):
            response.backup = try await node.exportIdentity(passphrase: passphrase)
        case .linkInvite:
            response.link = await node.linkInvite()
        case .linkJoin(let code):
            response.link = try await node.linkJoin(code)
        case .linkConfirm(let confirmation):
            response.link = try await node.linkConfirm(confirmation)
        case .unlink(let device):
            response.identity = try await node.unlinkDevice(device)
        case .mute(let id?):
            response.identities = try await node.setMuted(id, true)
        case .mute(nil):
            response.identities = await node.mutedPeople()
        case .unmute(let id):
            response.identities = try await node.setMuted(id, false)
        case .alias(let id?, let name):
            response.identities = try await node.setAlias(id, name)
        case .alias(nil, _):
            response.identities = await node.aliases()
        case .status:
            response.status = try await node.status(network: networkStatus())
        case .peers:
            response.peers = await peers()
        case .doctor:
            response.checks = await diagnose()
        case .follow, .export:
            // The server streams these on the connection before they would get here.
            throw ControlFailure(.internal, "follow and export are served by the connection, not as requests")
        }
        return response
    }
}
