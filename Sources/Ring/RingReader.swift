#if canImport(Glibc)
import Glibc
#endif
import CSupport
import Media

/// A reader of a ring (an edge, recorder or pusher). It maps the ring read-only (plus one page for the waiter
/// count), never blocks the writer, and never trusts what it copied until it has checked that the writer did not
/// overwrite it meanwhile. A reader that falls a whole ring behind is moved to the newest keyframe and told how
/// many frames it lost.
///
/// Opening starts at the newest keyframe (or at the end of an empty or keyframe-less ring). Not thread-safe: one
/// reader per thread. Everything read from shared memory is checked before use (lengths against the area, positions
/// against the write position, arithmetic wrapping), so a damaged ring yields laps, never a trap.
public final class RingReader {
    public var path: String { mapping.path }
    /// Frames this reader lost to laps, over its life.
    public private(set) var lostFrames: UInt64 = 0
    /// How many times it was lapped.
    public private(set) var laps: UInt64 = 0

    private let mapping: RingMapping
    private let data: UnsafeRawPointer
    private let capacity: Int
    /// Logical position of the next record to read.
    private var position: UInt64 = 0
    /// Sequence number the record at `position` must carry, when known.
    private var expected: UInt64?
    /// After a lap: the first sequence number this reader did not get, reported with the next record's number.
    private var lossFrom: UInt64?
    /// Where `seekToEnd` left the writer's numbering: the loss base if a lap comes before the first record.
    private var endSequence: UInt64 = 0

    public init(open name: RingName) throws {
        mapping = try RingMapping(path: name.path, writer: false)
        data = UnsafeRawPointer(mapping.base + RingLayout.dataOffset)
        capacity = mapping.capacity
        if !seekToNewestKeyframe() { seekToEnd() }
    }

    /// Reads the next frame: its payload into `payload` (reusing its storage), its info returned. Returns
    /// `.lapped` once after frames were lost (the next call returns the keyframe it resynchronised at), and nil
    /// when there is nothing new (see `wait(timeoutMs:)`).
    public func next(into payload: inout [UInt8]) -> RingEvent? {
        var resyncs = 0
        while true {
            let end = mapping.loadAcquire(RingLayout.writePositionOffset)
            guard position < end else { return nil }
            let offset = Int(position % UInt64(capacity))
            let room = capacity - offset
            if room < RingLayout.recordHeaderSize {
                position &+= UInt64(room)
                continue
            }
            let record = data + offset
            let sequence = record.load(fromByteOffset: RingLayout.recordSequence, as: UInt64.self)
            let generation = record.load(fromByteOffset: RingLayout.recordGeneration, as: UInt64.self)
            let dts = record.load(fromByteOffset: RingLayout.recordDts, as: Int64.self)
            let pts = record.load(fromByteOffset: RingLayout.recordPts, as: Int64.self)
            let length = Int(record.load(fromByteOffset: RingLayout.recordLength, as: UInt32.self))
            let track = Int(record.load(fromByteOffset: RingLayout.recordTrack, as: UInt16.self))
            let flags = record.load(fromByteOffset: RingLayout.recordFlags, as: UInt8.self)
            let kind = record.load(fromByteOffset: RingLayout.recordKind, as: UInt8.self)
            // The header is only trustworthy if the writer had not started overwriting it.
            guard intact() else {
                guard resync(&resyncs) else { return nil }
                continue
            }
            if kind == RingLayout.kindPadding {
                position &+= UInt64(room)
                continue
            }
            // A damaged record, or numbers going backwards: nothing to trust here, start again at a keyframe.
            guard kind == RingLayout.kindFrame, length <= room - RingLayout.recordHeaderSize,
                  expected.map({ sequence >= $0 }) ?? true else {
                guard resync(&resyncs) else { return nil }
                continue
            }
            if let known = expected, sequence != known {
                // The writer skipped numbers (it died between numbering and publishing a frame).
                lossFrom = known
                expected = nil
            }
            if expected == nil {
                expected = sequence
                if let from = lossFrom {
                    lossFrom = nil
                    let lost = sequence >= from ? sequence - from : 0
                    lostFrames += lost
                    laps += 1
                    return .lapped(lost: lost)
                }
            }
            payload.removeAll(keepingCapacity: true)
            payload.append(contentsOf: UnsafeRawBufferPointer(start: record + RingLayout.recordHeaderSize, count: length))
            guard intact() else {
                guard resync(&resyncs) else { return nil }
                continue
            }
            position &+= UInt64(RingLayout.recordSize(payload: length))
            expected = sequence &+ 1
            let info = FrameInfo(track: track, flags: FrameFlags(rawValue: flags), dts: dts, pts: pts)
            return .frame(RingFrame(info: info, sequence: sequence, generation: generation))
        }
    }

    /// Sleeps until the writer publishes something (a frame or a new generation) or `timeoutMs` passes, without
    /// spinning (a futex on the header). Returns true when a frame is there to read. Wakes within the scheduler's
    /// latency of the write, typically well under a millisecond.
    @discardableResult
    public func wait(timeoutMs: Int) -> Bool {
        let word = mapping.control + RingLayout.notifyOffset
        let seen = csupport_load_seq_cst_u32(word)
        if mapping.loadAcquire(RingLayout.writePositionOffset) > position { return true }
        let waiters = mapping.control + RingLayout.waitersOffset
        csupport_fetch_add_u32(waiters, 1)
        _ = csupport_futex_wait(word, seen, Int32(clamping: max(timeoutMs, 0)))
        csupport_fetch_sub_u32(waiters, 1)
        return mapping.loadAcquire(RingLayout.writePositionOffset) > position
    }

    /// Moves to the newest keyframe still in the ring; false (and no move) when there is none.
    @discardableResult
    public func seekToNewestKeyframe() -> Bool {
        guard let newest = newestKeyframe() else { return false }
        return seek(to: newest)
    }

    /// Moves to `keyframe` (from `keyframes()`); false (and no move) when it has left the ring.
    @discardableResult
    public func seek(to keyframe: RingKeyframe) -> Bool {
        let end = mapping.loadAcquire(RingLayout.writePositionOffset)
        guard keyframe.position >= tail(), keyframe.position < end else { return false }
        position = keyframe.position
        expected = keyframe.sequence
        lossFrom = nil
        return true
    }

    /// Moves past everything written so far: the next frame read is the next one written.
    public func seekToEnd() {
        // Read before the position: at worst one frame lower than the record there (a lap before the first read
        // then reports one frame too few).
        endSequence = mapping.loadAcquire(RingLayout.nextSequenceOffset)
        position = mapping.loadAcquire(RingLayout.writePositionOffset)
        expected = nil
        lossFrom = nil
    }

    /// The keyframes still in the ring, oldest first (at most `RingLayout.keyframeSlots`).
    public func keyframes() -> [RingKeyframe] {
        let count = mapping.loadAcquire(RingLayout.keyframeCountOffset)
        let slots = UInt64(RingLayout.keyframeSlots)
        let first = count > slots ? count - slots : 0
        var found = (first..<count).map { entry($0) }
        csupport_fence_acquire()
        let recount = mapping.loadAcquire(RingLayout.keyframeCountOffset)
        let oldest = tail()
        // Entry n's slot is rewritten from the moment the count reaches n + slots.
        found = zip(first..<count, found).filter { recount &- $0.0 < slots && $0.1.position >= oldest }.map(\.1)
        return found
    }

    /// The header's counters now.
    public func status() -> RingStatus {
        RingStatus(capacity: capacity,
                   generation: mapping.loadAcquire(RingLayout.generationOffset),
                   frames: mapping.loadAcquire(RingLayout.framesOffset),
                   bytes: mapping.loadAcquire(RingLayout.bytesOffset),
                   lastFrameDts: mapping.loadAcquireSigned(RingLayout.lastFrameDtsOffset),
                   lastWriteNanos: mapping.loadAcquire(RingLayout.lastWriteNanosOffset),
                   nextSequence: mapping.loadAcquire(RingLayout.nextSequenceOffset),
                   writePosition: mapping.loadAcquire(RingLayout.writePositionOffset),
                   tracksVersion: mapping.loadAcquire(RingLayout.tracksVersionOffset))
    }

    /// The track table, read consistently (retried while the writer rewrites it). Throws `trackTableBusy` if it
    /// stays mid-rewrite (a writer that died there), `corruptTrack` if a slot does not decode.
    public func tracks() throws -> [Track] {
        for _ in 0..<1000 {
            let version = mapping.loadAcquire(RingLayout.tracksVersionOffset)
            if version & 1 == 1 {
                sched_yield()
                continue
            }
            let count = mapping.loadAcquire(RingLayout.trackCountOffset)
            let slots = Int(min(count, UInt64(RingLayout.maxTracks)))
            let table = [UInt8](UnsafeRawBufferPointer(start: mapping.base + RingLayout.trackTableOffset,
                                                       count: slots * RingLayout.trackSlotSize))
            csupport_fence_acquire()
            guard mapping.loadAcquire(RingLayout.tracksVersionOffset) == version else { continue }
            guard count <= UInt64(RingLayout.maxTracks) else {
                throw RingError.corruptTrack(index: Int(truncatingIfNeeded: count), reason: "track count \(count) exceeds \(RingLayout.maxTracks)")
            }
            return try (0..<slots).map { index in
                let start = index * RingLayout.trackSlotSize
                return try TrackRecord.decode(table[start..<start + RingLayout.trackSlotSize], index: index)
            }
        }
        throw RingError.trackTableBusy(path: path)
    }

    /// True when the writer has not begun overwriting the record at `position`: checked after copying, behind an
    /// acquire fence, so that what was copied is known to predate any overwrite.
    @inline(__always)
    private func intact() -> Bool {
        csupport_fence_acquire()
        return position >= tail()
    }

    @inline(__always)
    private func tail() -> UInt64 { mapping.loadAcquire(RingLayout.tailPositionOffset) }

    /// After a lap or a damaged record: moves to the newest keyframe (or the end) and arranges for the next record
    /// to be reported as a loss. False once a call has resynchronised a few times: let the caller wait and retry.
    private func resync(_ count: inout Int) -> Bool {
        count += 1
        if let known = expected {
            lossFrom = known
        } else if lossFrom == nil {
            lossFrom = endSequence
        }
        expected = nil
        if let newest = newestKeyframe(), newest.position > position {
            position = newest.position
        } else {
            position = mapping.loadAcquire(RingLayout.writePositionOffset)
        }
        return count < 4
    }

    private func newestKeyframe() -> RingKeyframe? {
        let count = mapping.loadAcquire(RingLayout.keyframeCountOffset)
        guard count > 0 else { return nil }
        let newest = entry(count - 1)
        csupport_fence_acquire()
        guard mapping.loadAcquire(RingLayout.keyframeCountOffset) &- (count - 1) < UInt64(RingLayout.keyframeSlots),
              newest.position >= tail() else { return nil }
        return newest
    }

    private func entry(_ number: UInt64) -> RingKeyframe {
        let slot = Int(number % UInt64(RingLayout.keyframeSlots))
        let entry = UnsafeRawPointer(mapping.base + RingLayout.keyframeTableOffset + slot * RingLayout.keyframeEntrySize)
        return RingKeyframe(position: entry.load(fromByteOffset: 0, as: UInt64.self),
                            sequence: entry.load(fromByteOffset: 8, as: UInt64.self),
                            dts: entry.load(fromByteOffset: 16, as: Int64.self))
    }
}
