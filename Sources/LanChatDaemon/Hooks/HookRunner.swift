import LanChatControl
import Logging
import ServiceLifecycle

/// Runs `--on-mention` and `--on-dm` through `/bin/sh -c`, the event's JSON line (as `follow --json`
/// prints it) on standard input, for what the node commits while the daemon runs. A hook never holds
/// anything up: the node hands events over as to any follower, at most `HookCommands.parallelRuns`
/// hooks run at once, `queuedRuns` more wait (beyond that an event is dropped, counted and logged), and
/// each run is stopped after its time limit. How a failed run ended is logged; nothing it does reaches
/// the daemon.
struct HookRunner: Service {
    let commands: HookCommands
    let node: Node
    let logger: Logger

    private struct Job: Sendable {
        let trigger: HookCommands.Trigger
        let command: String
        let event: ChatEvent
    }

    func run() async throws {
        try await untilShutdown { [self] in
            let (jobs, queue) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(HookCommands.queuedRuns))
            await withDiscardingTaskGroup { group in
                group.addTask {
                    await enqueue(into: queue)
                    queue.finish()
                }
                group.addTask { await runAll(jobs) }
            }
        }
    }

    /// Follows the node (all rooms), queueing the events that call for a hook; ends with the node.
    private func enqueue(into queue: AsyncStream<Job>.Continuation) async {
        var dropped = 0
        var droppedInARow = 0
        let events = node.subscribe(room: nil)
        defer { events.finish() }
        for await batch in events {
            for event in batch {
                guard HookCommands.mayCall(for: event),
                    let (trigger, command) = commands.command(for: event, writtenHere: await node.isOwn(event))
                else { continue }
                switch queue.yield(Job(trigger: trigger, command: command, event: event)) {
                case .enqueued:
                    if droppedInARow > 0 {
                        logger.notice("hooks: the queue has room again; \(droppedInARow) events were dropped while it was full (\(dropped) since the start)")
                        droppedInARow = 0
                    }
                case .dropped:
                    if droppedInARow == 0 {
                        logger.warning("hooks: \(HookCommands.queuedRuns) runs are waiting; dropping events until one has started")
                    }
                    dropped += 1
                    droppedInARow += 1
                case .terminated:
                    return
                @unknown default:
                    return
                }
            }
        }
    }

    /// At most `parallelRuns` at once, in the order they came.
    private func runAll(_ jobs: AsyncStream<Job>) async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await job in jobs {
                if running == HookCommands.parallelRuns {
                    await group.next()
                    running -= 1
                }
                group.addTask { await run(job) }
                running += 1
            }
        }
    }

    private func run(_ job: Job) async {
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess(["/bin/sh", "-c", job.command], input: Array((ControlJSON.encode(job.event) + "\n").utf8))
        } catch {
            logger.error("hook \(job.trigger.rawValue) \(error)")
            return
        }
        let timeout = Duration.seconds(commands.timeoutSeconds)
        // Waiting blocks a thread: one of its own, never one of the few the actors run on, nor Dispatch's, which
        // checks signatures: hooks that hang must not slow the node down.
        let outcome = await withTaskCancellationHandler {
            await DedicatedThread.run { process.wait(timeout: timeout) }
        } onCancel: {
            process.stop()
        }
        switch outcome {
        case .exited(0):
            logger.debug("hook \(job.trigger.rawValue) (pid \(process.pid)) exited with status 0")
        case .stopped where Task.isCancelled:
            logger.notice("hook \(job.trigger.rawValue) (pid \(process.pid)) was stopped: the daemon is stopping")
        case .stopped:
            logger.warning("hook \(job.trigger.rawValue) (pid \(process.pid)) ran longer than \(commands.timeoutSeconds) s: \(outcome)")
        default:
            logger.warning("hook \(job.trigger.rawValue) (pid \(process.pid)) \(outcome)")
        }
    }
}
