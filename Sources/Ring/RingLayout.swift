/// Byte offsets and sizes of ring format version 2 (docs/ring-format.md is the reference; keep the two in step).
///
/// All multi-byte fields are little-endian (the host order on every Linux target Sluice supports). Offsets are
/// from the start of the file; positions are logical byte counts into the data area that only grow
/// (`position % capacity` is where a byte lives).
enum RingLayout {
    /// "SLUICERG" read as a little-endian UInt64.
    static let magic: UInt64 = 0x4752_4543_4955_4C53
    static let version: UInt32 = 2

    // Identity and geometry (written once, by `Ring.create`).
    static let magicOffset = 0
    static let versionOffset = 8
    static let recordHeaderSizeOffset = 12
    static let dataOffsetOffset = 16
    static let capacityOffset = 24
    static let maxTracksOffset = 32
    static let trackSlotSizeOffset = 36
    static let keyframeSlotsOffset = 40
    static let keyframeEntrySizeOffset = 44
    static let segmentSlotsOffset = 48
    static let segmentEntrySizeOffset = 52

    // Writer state, on its own cache line.
    static let writePositionOffset = 64
    static let tailPositionOffset = 72
    static let nextSequenceOffset = 80
    static let generationOffset = 88
    static let framesOffset = 96
    static let bytesOffset = 104
    static let lastFrameDtsOffset = 112
    static let lastWriteNanosOffset = 120
    static let keyframeCountOffset = 128
    static let tracksVersionOffset = 136
    static let trackCountOffset = 144
    /// The futex word: bumped after every published frame.
    static let notifyOffset = 152
    /// Segments ever entered in the segment table: the next segment's number.
    static let segmentCountOffset = 160

    /// The only field readers write: how many are asleep on `notify`. Its own cache line.
    static let waitersOffset = 192
    /// Readers map this many bytes at offset 0 read-write, for `waiters` (and `notify`, to sleep on it).
    static let readerPageSize = 4096

    static let keyframeTableOffset = 256
    static let keyframeSlots = 128
    /// position u64, sequence u64, dts i64.
    static let keyframeEntrySize = 24

    static let trackTableOffset = 4096
    static let maxTracks = 8
    static let trackSlotSize = 2048

    static let segmentTableOffset = trackTableOffset + maxTracks * trackSlotSize
    /// Readers list the newest `segmentSlots - 1`: the slot of the oldest may be the one being rewritten.
    static let segmentSlots = 256
    /// One cache line: number, position, sequence, generation, discontinuity sequence (u64), dts, wall clock
    /// (i64), flags (u8), 7 reserved bytes.
    static let segmentEntrySize = 64
    static let segmentNumber = 0
    static let segmentPosition = 8
    static let segmentSequence = 16
    static let segmentGeneration = 24
    static let segmentDiscontinuitySequence = 32
    static let segmentDts = 40
    static let segmentWallClockMs = 48
    static let segmentFlags = 56
    static let segmentFlagDiscontinuity: UInt8 = 1

    static let dataOffset = segmentTableOffset + segmentSlots * segmentEntrySize

    /// sequence u64, generation u64, dts i64, pts i64, payload length u32, track u16, flags u8, kind u8.
    static let recordHeaderSize = 40
    static let recordAlignment = 8
    static let recordSequence = 0
    static let recordGeneration = 8
    static let recordDts = 16
    static let recordPts = 24
    static let recordLength = 32
    static let recordTrack = 36
    static let recordFlags = 38
    static let recordKind = 39
    static let kindFrame: UInt8 = 0
    /// Fills the end of the data area when the next record does not fit there; readers skip to the start.
    static let kindPadding: UInt8 = 1

    /// Data area sizes are multiples of this, and at least `minimumCapacity`.
    static let capacityGranule = 4096
    static let minimumCapacity = 64 * 1024
    static let maximumCapacity = 1 << 32

    /// Bytes a record takes for a payload of `length` bytes, header and alignment included.
    @inline(__always)
    static func recordSize(payload length: Int) -> Int {
        (recordHeaderSize + length + recordAlignment - 1) & ~(recordAlignment - 1)
    }

    /// The largest record the writer accepts: a quarter of the data area, so that a ring always holds several frames.
    @inline(__always)
    static func maximumRecordSize(capacity: Int) -> Int { capacity / 4 }
}
