import LanChatControl
import NIOCore

extension ControlServer {
    /// `export`: one event line per message, written a page at a time (each write waits while the client
    /// is behind, so nothing piles up here), then the one response line, which counts them. The
    /// connection then takes requests again.
    static func export(room: String?, since: String?, _ node: Node, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        var response = ControlResponse()
        do {
            var export = try await node.beginExport(room: room, since: since)
            var exported = 0
            while true {
                let page = try await node.continueExport(export)
                if !page.events.isEmpty {
                    try await outbound.write(ByteBuffer(string: page.events.map { ControlJSON.encode($0) + "\n" }.joined()))
                }
                exported += page.events.count
                guard let rest = page.rest else { break }
                export = rest
            }
            response.exported = exported
        } catch let failure as ControlFailure {
            response = ControlResponse(failure)
        }
        try await send(response, outbound)
    }
}
