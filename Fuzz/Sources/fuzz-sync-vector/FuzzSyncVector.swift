import LanChatFuzzChecks

/// libFuzzer's entry point: `FuzzTarget.syncVector.check` on each input, trapping when an invariant breaks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzTarget.syncVector.fuzz(start, count)
}
