import Foundation
import LanChatControl
import LanChatCore
import LanChatNet
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The Unix socket through which `lanchat` acts as this identity. Only its owner (and, for the
/// system service, the `lanchat` group) may connect: the socket's mode is set right after bind,
/// inside a runtime directory nobody else can enter, and each caller's credentials are checked
/// (`CallerPolicy`) before anything it sends is read.
struct ControlServer: Service {
    private let path: String
    typealias Connection = InboundConnection<ControlLine, ByteBuffer>
    typealias Listener = NIOAsyncChannel<Connection, Never>
    private let channel: Listener
    private let dispatcher: ControlDispatcher
    private let policy: CallerPolicy
    private let logger: Logger

    static func bind(path: String, mode: UInt16) async throws -> Listener {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .acceptingUnread()
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineFrameDecoder(maxLength: ControlLimits.maxRequestBytes)))
                    return Connection(channel: child)
                }
            }
        guard chmod(path, mode_t(mode)) == 0 else {
            throw DaemonError.io("cannot set the mode of \(path): \(errnoText())")
        }
        return channel
    }

    init(
        path: String, channel: Listener,
        dispatcher: ControlDispatcher, policy: CallerPolicy, logger: Logger
    ) {
        self.path = path
        self.channel = channel
        self.dispatcher = dispatcher
        self.policy = policy
        self.logger = logger
    }

    func run() async throws {
        defer { unlink(path) }
        try await untilShutdown { [channel, dispatcher, policy, logger] in
            try await withThrowingDiscardingTaskGroup { group in
                try await channel.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask {
                            let caller = await CallerPolicy.caller(of: connection.channel)
                            guard let opened = try? await connection.open() else { return await connection.refuse() }
                            guard let caller, policy.allows(caller) else {
                                let failure = caller.map(policy.refusal(of:))
                                    ?? ControlFailure(.noPermission, "the caller's credentials could not be read")
                                await Self.refuse(opened, failure, logger: logger)
                                return
                            }
                            await Self.serve(
                                opened, dispatcher: dispatcher, caller: .init(uid: caller.uid, isOwner: policy.isOwner(caller)), logger: logger)
                        }
                    }
                }
            }
        }
    }

    /// One line saying why and what to do, then the connection closes, whatever was asked. The request
    /// is read first (for a few seconds at most): a client still writing it when the connection closed
    /// would see a broken pipe instead of the reason.
    private static func refuse(_ connection: NIOAsyncChannel<ControlLine, ByteBuffer>, _ failure: ControlFailure, logger: Logger) async {
        logger.notice("refused a control connection: \(failure.message)")
        try? await connection.executeThenClose { inbound, outbound in
            _ = try? await withDeadline(.seconds(2)) {
                var lines = inbound.makeAsyncIterator()
                _ = try await lines.next()
            }
            try await send(ControlResponse(failure), outbound)
        }
    }

    private static func serve(
        _ connection: NIOAsyncChannel<ControlLine, ByteBuffer>, dispatcher: ControlDispatcher, caller: ControlDispatcher.Caller,
        logger: Logger
    ) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var lines = inbound.makeAsyncIterator()
                while let line = try await lines.next() {
                    let command: ControlCommand
                    do throws(ControlFailure) {
                        command = try decode(line)
                    } catch {
                        try await send(ControlResponse(error), outbound)
                        continue
                    }
                    if case .follow(let room) = command {
                        try await follow(room: room, dispatcher.node, outbound: outbound) {
                            // The client sends nothing more; its closing the socket ends the stream.
                            while try await lines.next() != nil {}
                        }
                        return
                    }
                    if case .export(let room, let since) = command {
                        try await export(room: room, since: since, dispatcher.node, outbound: outbound)
                        continue
                    }
                    try await send(await dispatcher.handle(command, caller: caller), outbound)
                }
            }
        } catch {
            logger.debug("control connection ended: \(error)")
        }
    }

    private static func decode(_ line: ControlLine) throws(ControlFailure) -> ControlCommand {
        switch line {
        case .oversized:
            throw ControlFailure(.tooLarge, "request longer than \(ControlLimits.maxRequestBytes) bytes")
        case .notUTF8:
            throw ControlFailure(.invalid, "request is not valid UTF-8")
        case .text(let text):
            do {
                let command = try ControlCommand(requestLine: text)
                try checkRoom(of: command)
                return command
            } catch let failure as ControlFailure {
                throw failure
            } catch {
                // Foundation refuses a lone surrogate escape as bad JSON; say what is wrong with it.
                if ControlJSON.escapesLoneSurrogate(text) {
                    throw ControlFailure(.invalid, "request escapes a lone UTF-16 surrogate (\\ud800 to \\udfff): not text")
                }
                throw ControlFailure(.badJSON, "request is not a JSON object with a \"cmd\" string and well-typed fields")
            }
        }
    }

    /// Rooms read from (history, follow, export) follow the rule for rooms written to, which `send` checks.
    private static func checkRoom(of command: ControlCommand) throws(ControlFailure) {
        switch command {
        case .history(let room?, _), .follow(let room?), .export(let room?, _):
            do {
                try EntryContent.Message.validate(room: room)
            } catch {
                throw ControlFailure(.invalid, describe(error))
            }
        default: break
        }
    }

    private static func follow(
        room: String?, _ node: Node, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        untilClientCloses drain: () async throws -> Void
    ) async throws {
        let events = node.subscribe(room: room)
        defer { events.finish() }
        try await send(ControlResponse(), outbound)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await batch in events {
                    var lines = ByteBuffer()
                    for event in batch { lines.writeBytes(event.jsonLine) }
                    try await outbound.write(lines)
                }
            }
            try await drain()
            group.cancelAll()
        }
    }

    static func send(_ response: ControlResponse, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        try await outbound.write(ByteBuffer(bytes: response.jsonLine))
    }
}
