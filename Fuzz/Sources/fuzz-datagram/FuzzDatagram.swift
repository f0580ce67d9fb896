import LanChatFuzzChecks

/// libFuzzer's entry point: `FuzzTarget.datagram.check` on each input, trapping when an invariant breaks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzTarget.datagram.fuzz(start, count)
}
