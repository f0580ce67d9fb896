import LanChatFuzzChecks

/// libFuzzer's entry point: `FuzzTarget.sealedDatagram.check` on each input, trapping when an invariant breaks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    FuzzTarget.sealedDatagram.fuzz(start, count)
}
