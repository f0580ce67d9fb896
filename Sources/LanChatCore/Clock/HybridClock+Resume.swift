extension HybridClock {
    /// The clock of a node starting again, whose own latest stored entry is stamped `stored`. The same
    /// rule as `observe`: a timestamp further ahead of the wall clock than `maxForwardJumpMillis` is not
    /// adopted, so one entry from the future in the node's own log (a clock that was wrong once, an entry
    /// of its own pushed back to it) does not date every later message of the node there, for good.
    public init(resuming stored: HybridTimestamp, wallMillis: UInt64) {
        let (ceiling, overflow) = wallMillis.addingReportingOverflow(Self.maxForwardJumpMillis)
        self.init(last: overflow || stored.wallMillis <= ceiling ? stored : HybridTimestamp(rawValue: 0))
    }
}
