import LanChatFuzzChecks

/// libFuzzer's entry point: `FuzzTarget.syncFrame.check` on each input, trapping when an invariant breaks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzTarget.syncFrame.fuzz(start, count)
}
