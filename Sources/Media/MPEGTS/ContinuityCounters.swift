/// The 4-bit continuity_counter of every PID of one output stream. One muxer keeps one set for its whole life,
/// so that counters run on across track table changes (and, with `TSMuxer.closeSegment`, across segments each
/// written by a muxer of its own).
///
/// A flat table of all 8192 PIDs (8 KB): no hashing and no allocation per packet.
struct ContinuityCounters: Sendable {
    private var counters = [UInt8](repeating: 0, count: 8192)

    /// The counter for the next packet with a payload on `pid`, advancing it.
    @inline(__always)
    mutating func next(_ pid: Int) -> UInt8 {
        let i = pid & 0x1FFF
        let value = counters[i]
        counters[i] = (value + 1) & 0x0F
        return value
    }

    /// The counter the next packet with a payload on `pid` will get, without advancing it.
    @inline(__always)
    func peek(_ pid: Int) -> UInt8 { counters[pid & 0x1FFF] }

    /// The counter for a packet without payload on `pid` (an adaptation field only), which repeats the last one.
    @inline(__always)
    func current(_ pid: Int) -> UInt8 { (counters[pid & 0x1FFF] &+ 0x0F) & 0x0F }
}
