/// Entries of the ring's segment table in shared memory (docs/ring-format.md, "Segment table entry"). Segment
/// number `n` lives in slot `n % segmentSlots`. Only layout lives here: the memory ordering around it is the
/// writer's and the reader's (the same seqlock pattern as the keyframe table).
enum RingSegmentTable {
    static func store(_ segment: RingSegment, at base: UnsafeMutableRawPointer) {
        let entry = base + slot(segment.number)
        entry.storeBytes(of: segment.number, toByteOffset: RingLayout.segmentNumber, as: UInt64.self)
        entry.storeBytes(of: segment.position, toByteOffset: RingLayout.segmentPosition, as: UInt64.self)
        entry.storeBytes(of: segment.sequence, toByteOffset: RingLayout.segmentSequence, as: UInt64.self)
        entry.storeBytes(of: segment.generation, toByteOffset: RingLayout.segmentGeneration, as: UInt64.self)
        entry.storeBytes(of: segment.discontinuitySequence, toByteOffset: RingLayout.segmentDiscontinuitySequence,
                         as: UInt64.self)
        entry.storeBytes(of: segment.dts, toByteOffset: RingLayout.segmentDts, as: Int64.self)
        entry.storeBytes(of: segment.wallClockMs, toByteOffset: RingLayout.segmentWallClockMs, as: Int64.self)
        let flags = segment.isDiscontinuity ? RingLayout.segmentFlagDiscontinuity : 0
        entry.storeBytes(of: flags, toByteOffset: RingLayout.segmentFlags, as: UInt8.self)
    }

    /// The entry in the slot of segment `number`, as it is now: it may hold another number (an older or newer
    /// segment, or a damaged slot), which the caller checks. `end` is nil.
    static func load(_ number: UInt64, from base: UnsafeRawPointer) -> RingSegment {
        let entry = base + slot(number)
        let flags = entry.load(fromByteOffset: RingLayout.segmentFlags, as: UInt8.self)
        return RingSegment(
            number: entry.load(fromByteOffset: RingLayout.segmentNumber, as: UInt64.self),
            discontinuitySequence: entry.load(fromByteOffset: RingLayout.segmentDiscontinuitySequence, as: UInt64.self),
            isDiscontinuity: flags & RingLayout.segmentFlagDiscontinuity != 0,
            generation: entry.load(fromByteOffset: RingLayout.segmentGeneration, as: UInt64.self),
            position: entry.load(fromByteOffset: RingLayout.segmentPosition, as: UInt64.self),
            sequence: entry.load(fromByteOffset: RingLayout.segmentSequence, as: UInt64.self),
            dts: entry.load(fromByteOffset: RingLayout.segmentDts, as: Int64.self),
            wallClockMs: entry.load(fromByteOffset: RingLayout.segmentWallClockMs, as: Int64.self))
    }

    /// Byte offset of segment `number`'s slot from the start of the file.
    @inline(__always)
    private static func slot(_ number: UInt64) -> Int {
        RingLayout.segmentTableOffset + Int(number % UInt64(RingLayout.segmentSlots)) * RingLayout.segmentEntrySize
    }
}
