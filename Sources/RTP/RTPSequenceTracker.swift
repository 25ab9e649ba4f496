/// Puts the RTP packets of one source back in sequence order (RFC 3550 sequence numbers, unwrapped to 64 bits)
/// through a small reorder window, and tells the depacketizer where packets are missing.
///
/// A packet ahead of the next expected one waits in the window (a reused slot, copied once) until the gap fills,
/// until `maxPackets` packets are pending, or until the oldest waiting one has waited `maxDelay` (90 kHz ticks
/// of the caller's arrival clock; checked on every `push` and by `flush(now:)` when no packet comes). The
/// missing packets are then given up: counted in `lost`, and the next delivered packet carries the count.
/// A packet behind the window is a duplicate (it was delivered already) or late (it was given up as lost): both
/// are counted and dropped. A jump of more than `maxJump` either way (a source that restarted its numbering)
/// resynchronises on the new number: counted in `resets`, pending packets released first, and delivered as a gap.
///
/// The first packet (and the first after a reset) is not delivered at once: it waits in the window, as do those
/// after it, like packets behind a gap (until `maxPackets` are pending or it has waited `maxDelay`), so that a
/// packet sent before it but overtaken on the way (the SPS before its PPS) still comes out, first. That costs
/// once, at the start, up to `maxDelay` of latency.
public struct RTPSequenceTracker: Sendable {
    /// The sink: a packet, how many packets were lost (or a reset happened, reported as 1) just before it, and
    /// the packet's own arrival time (it may be delivered on a later push or flush).
    public typealias Deliver = (UnsafeRawBufferPointer, _ lostBefore: Int, _ arrival: Int64) -> Void

    public struct Stats: Hashable, Sendable {
        /// Packets pushed (duplicates and late ones included).
        public var received = 0
        public var delivered = 0
        /// Packets given up as missing.
        public var lost = 0
        public var duplicates = 0
        /// Packets that came after they had been given up.
        public var late = 0
        /// Packets that came after one with a higher sequence number and were put back in place.
        public var reordered = 0
        public var resets = 0
        public init() {}
    }

    public let maxPackets: Int
    public let maxDelay: Int64
    public let maxJump: Int64
    public private(set) var stats = Stats()
    /// The extended sequence number of the next packet to deliver; nil before the first packet.
    public private(set) var expected: Int64?
    /// The highest extended sequence number seen.
    public private(set) var highest: Int64 = 0

    private var slots: [[UInt8]]
    /// The extended sequence number of the packet in each slot; `empty` when none (sequence numbers may be
    /// negative: a packet sent before a first one numbered near 0).
    private var slotSequence: [Int64]
    private var slotArrival: [Int64]
    private var pending = 0
    /// Bit k: packet `expected - 1 - k` was delivered (not given up), to tell duplicates from late packets.
    private var deliveredMask: UInt64 = 0

    public init(maxPackets: Int = 32, maxDelay: Int64 = 9_000, maxJump: Int64 = 3_000) {
        precondition(maxPackets >= 1)
        self.maxPackets = maxPackets
        self.maxDelay = maxDelay
        self.maxJump = maxJump
        slots = Array(repeating: [], count: maxPackets)
        slotSequence = Array(repeating: Self.empty, count: maxPackets)
        slotArrival = Array(repeating: 0, count: maxPackets)
    }

    /// The extended sequence number `sequenceNumber` stands for, next to the expected one.
    public func extend(_ sequenceNumber: UInt16) -> Int64 {
        guard let expected else { return Int64(sequenceNumber) }
        let delta = Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: expected))
        return expected + Int64(delta)
    }

    /// Takes one packet (its bytes, its sequence number, its arrival time in 90 kHz ticks); delivers what is in
    /// order now.
    public mutating func push(_ packet: UnsafeRawBufferPointer, sequenceNumber: UInt16, arrival: Int64,
                              _ deliver: Deliver) {
        stats.received += 1
        var seq = extend(sequenceNumber)
        if let next = expected, seq - next > maxJump || seq - next < -maxJump {
            stats.resets += 1
            flushAll(deliver)
            expected = nil
            pendingLoss += 1
            seq = Int64(sequenceNumber)  // new numbering: no cycles yet (never negative)
        }
        guard let next = expected else {
            // The first packet (or the first after a reset) waits: packets sent before it may come yet.
            started = false
            expected = seq
            highest = seq
            deliveredMask = 0
            for i in 0..<maxPackets { slotSequence[i] = Self.empty }
            pending = 0
            store(packet, seq, arrival)
            flush(now: arrival, deliver)
            return
        }
        if seq < next {
            if !started && highest - seq < Int64(maxPackets) {
                // Sent before the packet that came first, and nothing delivered yet: it becomes the start.
                expected = seq
                stats.reordered += 1
                store(packet, seq, arrival)
                flush(now: arrival, deliver)
                return
            }
            let k = next - seq - 1
            if k >= 64 || deliveredMask & (1 << UInt64(k)) != 0 { stats.duplicates += 1 } else { stats.late += 1 }
            return
        }
        if slotSequence[slot(seq)] == seq {
            stats.duplicates += 1
            return
        }
        if seq < highest { stats.reordered += 1 }
        highest = max(highest, seq)
        if seq == next && started {
            deliverNow(packet, arrival, deliver)
        } else {
            if seq - next >= Int64(maxPackets) {
                // No room: give up what stands before the window that would hold this packet.
                skip(to: seq - Int64(maxPackets) + 1, deliver)
            }
            store(packet, seq, arrival)
        }
        release(deliver)
        flush(now: arrival, deliver)
    }

    /// Gives up the missing packets before any packet that has waited `maxDelay` or more by `now`.
    public mutating func flush(now: Int64, _ deliver: Deliver) {
        while pending > 0, let next = expected {
            var oldest: Int64?
            for i in 0..<maxPackets where slotSequence[i] >= next {
                if now - slotArrival[i] >= maxDelay { oldest = max(oldest ?? slotSequence[i], slotSequence[i]) }
            }
            guard let target = oldest else { return }
            skip(to: target, deliver)
        }
    }

    /// Delivers every pending packet, giving up the gaps (end of input).
    public mutating func flushAll(_ deliver: Deliver) {
        while pending > 0, let next = expected {
            var lowest = Int64.max
            for i in 0..<maxPackets where slotSequence[i] >= next { lowest = min(lowest, slotSequence[i]) }
            skip(to: lowest, deliver)
        }
    }

    private static let empty = Int64.min

    /// The slot of extended sequence number `seq` (which is negative when a packet came before a first one
    /// numbered near 0).
    private func slot(_ seq: Int64) -> Int {
        let m = Int64(maxPackets)
        return Int((seq % m + m) % m)
    }

    /// Keeps a packet that cannot be delivered yet in its slot (a copy into the slot's reused buffer).
    private mutating func store(_ packet: UnsafeRawBufferPointer, _ seq: Int64, _ arrival: Int64) {
        let slot = slot(seq)
        slots[slot].removeAll(keepingCapacity: true)
        slots[slot].append(contentsOf: packet)
        slotSequence[slot] = seq
        slotArrival[slot] = arrival
        pending += 1
    }

    /// Delivers the packet just pushed, the next expected one.
    private mutating func deliverNow(_ packet: UnsafeRawBufferPointer, _ arrival: Int64, _ deliver: Deliver) {
        stats.delivered += 1
        expected! += 1
        deliveredMask = deliveredMask << 1 | 1
        let lost = pendingLoss
        pendingLoss = 0
        deliver(packet, lost, arrival)
    }

    /// Delivers the pending packet in `slot`, the next expected one.
    private mutating func deliverSlot(_ slot: Int, _ deliver: Deliver) {
        slotSequence[slot] = Self.empty
        pending -= 1
        stats.delivered += 1
        deliveredMask = deliveredMask << 1 | 1
        expected! += 1
        let lost = pendingLoss
        pendingLoss = 0
        let arrival = slotArrival[slot]
        slots[slot].withUnsafeBytes { deliver($0, lost, arrival) }
    }

    /// Gives up everything missing before `target` (counted lost), delivering the pending packets among them,
    /// then delivers what is in order from there.
    private mutating func skip(to target: Int64, _ deliver: Deliver) {
        started = true
        while let next = expected, next < target {
            let slot = slot(next)
            if slotSequence[slot] == next {
                deliverSlot(slot, deliver)
            } else {
                stats.lost += 1
                pendingLoss += 1
                deliveredMask <<= 1
                expected = next + 1
            }
        }
        release(deliver)
    }

    /// Delivers the pending packets that follow the expected one without a gap.
    private mutating func release(_ deliver: Deliver) {
        while started, pending > 0, let next = expected {
            let slot = slot(next)
            guard slotSequence[slot] == next else { break }
            deliverSlot(slot, deliver)
        }
    }

    /// Packets given up with no packet delivered after them yet (a reset counts 1): reported with the next one.
    private var pendingLoss = 0
    /// False from the first packet (and the first after a reset) until something is delivered: until then the
    /// packets wait in the window even in order, since one sent before the first to come may still arrive.
    private var started = false
}
