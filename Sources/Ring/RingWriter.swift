import CSupport
import Media

/// The one writer of a ring (an ingest worker). Writing never waits for readers: it overwrites the oldest records,
/// and readers that were still on them find out and resynchronise (docs/ring-format.md, "Memory ordering").
///
/// Not thread-safe: one thread of one process writes. The file lock taken on open makes a second writer fail with
/// `RingError.writerBusy` until this one is gone (however it dies). A writer that opens a ring left by a dead one
/// carries on from the published write position, sequence number and segment numbering, so readers see at most a
/// gap, and segment numbers never repeat.
public final class RingWriter {
    public var path: String { mapping.path }
    /// The ring's current generation.
    public private(set) var generation: UInt64
    /// Sequence number the next frame will get.
    public private(set) var nextSequence: UInt64
    /// Number the next segment will get (segments entered over the ring's life).
    public private(set) var nextSegmentNumber: UInt64
    /// Discontinuous segments entered over the ring's life.
    public private(set) var discontinuitySequence: UInt64 = 0
    /// When set, the writer wraps once a lap has used the sizer's `wrapLimit` (the stream's measured needs) rather
    /// than the whole data area, so that the ring's memory follows the stream's bitrate (`RingWindowSizer`).
    public var window: RingWindowSizer?
    /// Size of the data area in bytes.
    public var dataCapacity: Int { Int(capacity) }

    private let mapping: RingMapping
    private let data: UnsafeMutableRawPointer
    private let capacity: UInt64
    private let recordLimit: Int
    private var writePosition: UInt64
    private var tail: UInt64
    private var frames: UInt64
    private var bytes: UInt64
    private var keyframeCount: UInt64
    private var tracksVersion: UInt64
    /// Ids of the video tracks: only their keyframes go in the keyframe table (all keyframes when there are none).
    private var videoTracks: [Int] = []

    /// Creates the ring file (replacing any of the same name) and opens it for writing. Use this when the writer
    /// owns the ring; a supervisor calls `Ring.create` and its worker `init(open:)`.
    public convenience init(create name: RingName, capacity: Int) throws {
        try Ring.create(name, capacity: capacity)
        try self.init(open: name)
    }

    /// Opens an existing ring for writing.
    public init(open name: RingName) throws {
        let mapping = try RingMapping(path: name.path, writer: true)
        self.mapping = mapping
        data = mapping.base + RingLayout.dataOffset
        capacity = UInt64(mapping.capacity)
        recordLimit = RingLayout.maximumRecordSize(capacity: mapping.capacity)
        writePosition = mapping.loadAcquire(RingLayout.writePositionOffset)
        tail = mapping.loadAcquire(RingLayout.tailPositionOffset)
        nextSequence = mapping.loadAcquire(RingLayout.nextSequenceOffset)
        generation = mapping.loadAcquire(RingLayout.generationOffset)
        frames = mapping.loadAcquire(RingLayout.framesOffset)
        bytes = mapping.loadAcquire(RingLayout.bytesOffset)
        keyframeCount = mapping.loadAcquire(RingLayout.keyframeCountOffset)
        tracksVersion = mapping.loadAcquire(RingLayout.tracksVersionOffset)
        nextSegmentNumber = mapping.loadAcquire(RingLayout.segmentCountOffset)
        // Positions grow by at most a few GB/s: 2^62 bytes is centuries. Anything else is a damaged header.
        guard tail <= writePosition, writePosition < 1 << 62 else {
            throw RingError.badFormat(path: name.path, reason: "write position \(writePosition), tail \(tail)")
        }
        if nextSegmentNumber > 0 {
            // Entries are complete once counted: the newest one holds the discontinuity count to carry on from.
            let newest = RingSegmentTable.load(nextSegmentNumber - 1, from: mapping.base)
            guard newest.number == nextSegmentNumber - 1 else {
                throw RingError.badFormat(path: name.path,
                                          reason: "segment table slot of segment \(nextSegmentNumber - 1) holds \(newest.number)")
            }
            discontinuitySequence = newest.discontinuitySequence
        }
        if tracksVersion & 1 == 1 {
            // The last writer died while rewriting the table: publish it empty until `setTracks`.
            mapping.storeRelease(RingLayout.trackCountOffset, 0)
            tracksVersion += 1
            mapping.storeRelease(RingLayout.tracksVersionOffset, tracksVersion)
        }
        let count = min(Int(mapping.loadAcquire(RingLayout.trackCountOffset)), RingLayout.maxTracks)
        for index in 0..<count {
            let slot = mapping.base + RingLayout.trackTableOffset + index * RingLayout.trackSlotSize
            let code = slot.load(fromByteOffset: TrackRecord.codecOffset, as: UInt8.self)
            if TrackRecord.codec(code)?.kind == .video {
                videoTracks.append(Int(slot.load(fromByteOffset: TrackRecord.idOffset, as: UInt16.self)))
            }
        }
    }

    /// Replaces the track table. Call it before writing the first frame that needs the new table (the frame
    /// flagged `configChange`): readers look at the table when they see that flag.
    public func setTracks(_ tracks: [Track]) throws {
        guard tracks.count <= RingLayout.maxTracks else {
            throw RingError.tooManyTracks(count: tracks.count, limit: RingLayout.maxTracks)
        }
        var ids = Set<Int>()
        for track in tracks where !ids.insert(track.id).inserted {
            throw RingError.invalidField(what: "duplicate track id", value: track.id)
        }
        let slots = try tracks.map(TrackRecord.encode)
        tracksVersion += 1
        mapping.storeRelease(RingLayout.tracksVersionOffset, tracksVersion)
        csupport_fence_release()
        for (index, slot) in slots.enumerated() {
            let target = mapping.base + RingLayout.trackTableOffset + index * RingLayout.trackSlotSize
            slot.withUnsafeBytes { UnsafeMutableRawBufferPointer(start: target, count: $0.count).copyMemory(from: $0) }
        }
        mapping.storeRelease(RingLayout.trackCountOffset, UInt64(tracks.count))
        tracksVersion += 1
        mapping.storeRelease(RingLayout.tracksVersionOffset, tracksVersion)
        videoTracks = tracks.filter { $0.kind == .video }.map(\.id)
    }

    /// Starts a new generation (the source restarted); wakes readers. Returns the new generation.
    @discardableResult
    public func bumpGeneration() -> UInt64 {
        generation += 1
        mapping.storeRelease(RingLayout.generationOffset, generation)
        wakeReaders()
        return generation
    }

    /// Appends one frame. The payload is copied as given: it should be in the canonical Media form for its codec
    /// (docs/media.md). Throws, writing nothing, when the frame does not fit the format or exceeds a quarter of
    /// the ring.
    ///
    /// A frame starts a segment, entered in the segment table under the next number, when it is flagged
    /// `.segmentStart` or `segment` is given (the record then carries the flag too). `segment` says whether the
    /// segment is discontinuous and its wall-clock start; without it, the segment is discontinuous when the frame is
    /// flagged `.discontinuity`, and starts at this process's CLOCK_REALTIME now.
    public func write(_ info: FrameInfo, payload: UnsafeRawBufferPointer, segment: RingSegmentStart? = nil) throws {
        var info = info
        if segment != nil { info.flags.insert(.segmentStart) }
        guard let track = UInt16(exactly: info.track) else {
            throw RingError.invalidField(what: "frame track", value: info.track)
        }
        let size = RingLayout.recordSize(payload: payload.count)
        guard size <= recordLimit else {
            throw RingError.frameTooLarge(track: info.track, size: size, limit: recordLimit)
        }
        let now = Ring.monotonicNanos()
        window?.record(bytes: size, atNanos: now)
        let offset = Int(writePosition % capacity)
        let room = Int(capacity) - offset
        // A record never wraps: when it does not fit before the end, the rest of the area is skipped; so is it once
        // the lap has used what the stream needs.
        let wrapsEarly = offset > 0 && offset >= (window?.wrapLimit ?? Int(capacity))
        let start = room < size || wrapsEarly ? writePosition + UInt64(room) : writePosition
        let end = start + UInt64(size)
        if end > capacity, end - capacity > tail {
            // Announce what is about to be overwritten before overwriting it.
            tail = end - capacity
            mapping.storeRelease(RingLayout.tailPositionOffset, tail)
            csupport_fence_release()
        }
        if start != writePosition, room >= RingLayout.recordHeaderSize {
            writeHeader(at: offset, FrameInfo(track: 0, dts: 0, pts: 0), track: 0, length: 0, kind: RingLayout.kindPadding)
        }
        let at = Int(start % capacity)
        writeHeader(at: at, info, track: track, length: payload.count, kind: RingLayout.kindFrame)
        if let source = payload.baseAddress {
            (data + at + RingLayout.recordHeaderSize).copyMemory(from: source, byteCount: payload.count)
        }
        let sequence = nextSequence
        nextSequence += 1
        frames += 1
        bytes += UInt64(payload.count)
        mapping.storeRelease(RingLayout.nextSequenceOffset, nextSequence)
        mapping.storeRelease(RingLayout.framesOffset, frames)
        mapping.storeRelease(RingLayout.bytesOffset, bytes)
        mapping.storeRelease(RingLayout.lastFrameDtsOffset, UInt64(bitPattern: info.dts))
        mapping.storeRelease(RingLayout.lastWriteNanosOffset, now)
        writePosition = end
        mapping.storeRelease(RingLayout.writePositionOffset, end)
        if info.isKeyframe, videoTracks.isEmpty || videoTracks.contains(info.track) {
            addKeyframe(RingKeyframe(position: start, sequence: sequence, dts: info.dts))
        }
        if info.flags.contains(.segmentStart) {
            let details = segment ?? RingSegmentStart(isDiscontinuity: info.flags.contains(.discontinuity),
                                                      wallClockMs: Ring.realtimeMillis())
            addSegment(position: start, sequence: sequence, dts: info.dts, details)
        }
        wakeReaders()
    }

    /// Appends one frame from an array (see `write(_:payload:segment:)` with a buffer).
    public func write(_ info: FrameInfo, payload: [UInt8], segment: RingSegmentStart? = nil) throws {
        try payload.withUnsafeBytes { try write(info, payload: $0, segment: segment) }
    }

    @inline(__always)
    private func writeHeader(at offset: Int, _ info: FrameInfo, track: UInt16, length: Int, kind: UInt8) {
        let record = data + offset
        record.storeBytes(of: nextSequence, toByteOffset: RingLayout.recordSequence, as: UInt64.self)
        record.storeBytes(of: generation, toByteOffset: RingLayout.recordGeneration, as: UInt64.self)
        record.storeBytes(of: info.dts, toByteOffset: RingLayout.recordDts, as: Int64.self)
        record.storeBytes(of: info.pts, toByteOffset: RingLayout.recordPts, as: Int64.self)
        record.storeBytes(of: UInt32(length), toByteOffset: RingLayout.recordLength, as: UInt32.self)
        record.storeBytes(of: track, toByteOffset: RingLayout.recordTrack, as: UInt16.self)
        record.storeBytes(of: info.flags.rawValue, toByteOffset: RingLayout.recordFlags, as: UInt8.self)
        record.storeBytes(of: kind, toByteOffset: RingLayout.recordKind, as: UInt8.self)
    }

    private func addKeyframe(_ keyframe: RingKeyframe) {
        // The slot may hold an entry a reader is copying: the count published last must be visible first.
        csupport_fence_release()
        let slot = Int(keyframeCount % UInt64(RingLayout.keyframeSlots))
        let entry = mapping.base + RingLayout.keyframeTableOffset + slot * RingLayout.keyframeEntrySize
        entry.storeBytes(of: keyframe.position, toByteOffset: 0, as: UInt64.self)
        entry.storeBytes(of: keyframe.sequence, toByteOffset: 8, as: UInt64.self)
        entry.storeBytes(of: keyframe.dts, toByteOffset: 16, as: Int64.self)
        keyframeCount += 1
        mapping.storeRelease(RingLayout.keyframeCountOffset, keyframeCount)
    }

    private func addSegment(position: UInt64, sequence: UInt64, dts: Int64, _ start: RingSegmentStart) {
        // Wrapping: the counters come from shared memory, which a damaged ring could fill with anything.
        if start.isDiscontinuity { discontinuitySequence &+= 1 }
        let segment = RingSegment(number: nextSegmentNumber, discontinuitySequence: discontinuitySequence,
                                  isDiscontinuity: start.isDiscontinuity, generation: generation, position: position,
                                  sequence: sequence, dts: dts, wallClockMs: start.wallClockMs)
        // As for keyframes: the count published last must be visible before the slot changes.
        csupport_fence_release()
        RingSegmentTable.store(segment, at: mapping.base)
        nextSegmentNumber &+= 1
        mapping.storeRelease(RingLayout.segmentCountOffset, nextSegmentNumber)
    }

    /// Bumps the futex word; makes the system call only when a reader sleeps on it.
    @inline(__always)
    private func wakeReaders() {
        let word = mapping.control + RingLayout.notifyOffset
        csupport_fetch_add_u32(word, 1)
        if csupport_load_seq_cst_u32(mapping.control + RingLayout.waitersOffset) > 0 {
            csupport_futex_wake(word, Int32.max)
        }
    }
}
