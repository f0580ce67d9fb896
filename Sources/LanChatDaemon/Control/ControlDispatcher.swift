import LanChatCore

/// Answers one control request. Every failure becomes an error response; nothing here ends the connection.
struct ControlDispatcher: Sendable {
    let node: Node
    let networkStatus: @Sendable () async -> NetworkStatus
    let peers: @Sendable () async -> [PeerInfo]
    let diagnose: @Sendable () async -> [DoctorCheck]

    func handle(_ request: ControlRequest) async -> ControlResponse {
        do {
            return try await respond(to: request)
        } catch let failure as ControlFailure {
            return ControlResponse.failure(failure.code, failure.message)
        } catch {
            return ControlResponse.failure("internal", "\(error)")
        }
    }

    private func respond(to request: ControlRequest) async throws -> ControlResponse {
        var response = ControlResponse()
        switch request.cmd {
        case "send":
            guard let body = request.body else { throw ControlFailure(code: "bad_request", message: "send needs a body") }
            response.message = try await node.send(
                room: request.room ?? "general", body: body, replyTo: request.replyTo)
        case "history":
            let limit = request.limit ?? ControlLimits.defaultHistory
            guard (1...ControlLimits.maxHistory).contains(limit) else {
                throw ControlFailure(code: "bad_request", message: "limit must be 1 to \(ControlLimits.maxHistory)")
            }
            response.messages = try await node.history(room: request.room ?? "general", limit: limit)
        case "name":
            if let name = request.name {
                response.identity = try await node.rename(to: name)
            } else {
                response.identity = await node.whoami()
            }
        case "whoami":
            response.identity = await node.whoami()
        case "who":
            let online = Set(await peers().filter { $0.state == "alive" }.compactMap(\.id))
            response.identities = try await node.who().map { info in
                var info = info
                info.online = info.isSelf == true || online.contains(info.id)
                return info
            }
        case "rooms":
            response.rooms = try await node.rooms()
        case "status":
            response.status = try await node.status(network: networkStatus())
        case "peers":
            response.peers = await peers()
        case "doctor":
            response.checks = await diagnose()
        default:
            throw ControlFailure(code: "unknown_command", message: "unknown command '\(request.cmd)'")
        }
        return response
    }
}
