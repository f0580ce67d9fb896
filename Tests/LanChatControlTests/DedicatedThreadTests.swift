import Dispatch
import Glibc
import LanChatControl
import Synchronization
import Testing

@Suite("blocking work on threads of its own")
struct DedicatedThreadTests {
    struct Refused: Error {}

    final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test func theWorksResultOrErrorComesBack() async throws {
        #expect(await DedicatedThread.run { 6 * 7 } == 42)
        let caller = UInt(pthread_self())
        #expect(await DedicatedThread.run { UInt(pthread_self()) } != caller, "the work runs beside the caller, not on its thread")
        await #expect(throws: Refused.self) { try await DedicatedThread.run { () throws -> Int in throw Refused() } }
    }

    /// 64 waits that each end only once all 64 have begun: on Dispatch's global queue, whose pool grows by
    /// about a thread a second while its threads block, the last would begin about a minute later.
    @Test func manyWaitsAtOnceEachHaveAThread() async {
        let parties = 64
        let arrived = Count()
        let everyone = DispatchSemaphore(value: 0)
        let met = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<parties {
                group.addTask {
                    await DedicatedThread.run {
                        if arrived.value.add(1, ordering: .sequentiallyConsistent).newValue == parties {
                            for _ in 0..<parties { everyone.signal() }
                        }
                        return everyone.wait(timeout: .now() + 20) == .success
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(met == parties)
    }
}
