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
/// Segments (the ingest worker's HLS cuts) are read from the segment table with `segments()`; `readSegment` hands
/// over exactly one segment's frames without moving the reader, `seek(toSegment:)` moves it to a segment's start.
///
/// Opening starts at the newest keyframe (or at the end of an empty or keyframe-less ring). Not thread-safe: one
/// reader per thread. Everything read from shared memory is checked before use (lengths against the area, positions
/// against the write position, arithmetic wrapping), so a damaged ring yields laps, never a trap.
public final class RingReader {
    public var path: String { mapping.path }

    /// Whether the ring's name now points to another file or none (see `RingMapping.isReplaced`): a reader that
    /// outlived its ring should be dropped and opened again.
    public var isReplaced: Bool { mapping.isReplaced }
    /// Frames this reader lost to laps, over its life.
    public private(set) var lostFrames: UInt64 = 0
    /// How many times it was lapped.
    public private(set) var laps: UInt64 = 0

    /// Also watched by `RingWakeups`.
    let mapping: RingMapping
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
    /// `readSegment`'s payload buffer, reused from call to call.
    private var segmentPayload: [UInt8] = []

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
            switch record(at: position, into: &payload) {
            case .none:
                return nil
            case let .skip(to):
                position = to
            case .lost:
                guard resync(&resyncs) else { return nil }
            case let .frame(frame, after):
                let sequence = frame.sequence
                if let known = expected {
                    // Numbers going backwards: nothing to trust here, start again at a keyframe.
                    guard sequence >= known else {
                        guard resync(&resyncs) else { return nil }
                        continue
                    }
                    if sequence != known {
                        // The writer skipped numbers (it died between numbering and publishing a frame).
                        lossFrom = known
                        expected = nil
                    }
                }
                if expected == nil {
                    expected = sequence
                    if let from = lossFrom {
                        // Reported first; the next call reads this record again and returns it.
                        lossFrom = nil
                        let lost = sequence >= from ? sequence - from : 0
                        lostFrames += lost
                        laps += 1
                        return .lapped(lost: lost)
                    }
                }
                position = after
                expected = sequence &+ 1
                return .frame(frame)
            }
        }
    }

    /// Hands the frames of `segment` (from `segments()`) to `body`, oldest first: from its first frame up to the
    /// next segment's first frame, or, for the newest segment, every frame written so far. The payload buffer is
    /// only valid during the call. Does not move this reader's own position: `next(into:)` carries on where it was.
    /// Each frame was checked intact before `body` got it; a segment overwritten meanwhile ends with `.gone`.
    public func readSegment(_ segment: RingSegment,
                            _ body: (RingFrame, UnsafeRawBufferPointer) throws -> Void) rethrows -> RingSegmentRead {
        let stop = segment.end?.position ?? mapping.loadAcquire(RingLayout.writePositionOffset)
        var at = segment.position
        var expected = segment.sequence
        var frames = 0
        // Taken out of the reader for the call (no copy, no allocation), so that `body` may use this reader too.
        var payload = segmentPayload
        segmentPayload = []
        defer { segmentPayload = payload }
        while at < stop {
            switch record(at: at, into: &payload) {
            case let .skip(to):
                at = to
            case .none, .lost:
                return .gone
            case let .frame(frame, after):
                // Numbers only grow (with a gap where a writer died): anything else is not this segment's frame.
                guard frame.sequence >= expected else { return .gone }
                try payload.withUnsafeBytes { try body(frame, $0) }
                frames += 1
                expected = frame.sequence &+ 1
                at = after
            }
        }
        return segment.end == nil ? .partial(frames: frames) : .complete(frames: frames)
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
        seek(position: keyframe.position, sequence: keyframe.sequence)
    }

    /// Moves to the first frame of `segment` (from `segments()`); false (and no move) when it has left the ring.
    /// `next(into:)` then reads on through the following segments; `readSegment` reads only this one.
    @discardableResult
    public func seek(toSegment segment: RingSegment) -> Bool {
        seek(position: segment.position, sequence: segment.sequence)
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

    /// The segments whose first frame is still in the ring, oldest first (at most the newest 255), each
    /// with its end (the next segment's first frame) unless it is the newest. Read like the keyframe table; entries
    /// that do not hold their own number, or whose end does not follow their start, are damaged and left out.
    public func segments() -> [RingSegment] {
        let count = mapping.loadAcquire(RingLayout.segmentCountOffset)
        let slots = UInt64(RingLayout.segmentSlots)
        let first = count > slots ? count - slots : 0
        let entries = (first..<count).map { RingSegmentTable.load($0, from: mapping.base) }
        csupport_fence_acquire()
        let recount = mapping.loadAcquire(RingLayout.segmentCountOffset)
        let oldest = tail()
        var found: [RingSegment] = []
        for (index, number) in zip(entries.indices, first..<count) {
            var segment = entries[index]
            // Segment n's slot is rewritten from the moment the count reaches n + slots.
            guard recount &- number < slots, segment.number == number, segment.position >= oldest else { continue }
            if index + 1 < entries.count {
                let next = entries[index + 1]
                guard next.number == number &+ 1, next.position > segment.position, next.sequence > segment.sequence
                else { continue }
                segment.end = RingSegment.End(position: next.position, sequence: next.sequence, dts: next.dts)
            }
            found.append(segment)
        }
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
                   tracksVersion: mapping.loadAcquire(RingLayout.tracksVersionOffset),
                   segments: mapping.loadAcquire(RingLayout.segmentCountOffset))
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

    private func seek(position: UInt64, sequence: UInt64) -> Bool {
        let end = mapping.loadAcquire(RingLayout.writePositionOffset)
        guard position >= tail(), position < end else { return false }
        self.position = position
        expected = sequence
        lossFrom = nil
        return true
    }

    /// What the data area holds at a position.
    private enum Record {
        /// Nothing published there yet.
        case none
        /// Padding, or too little room before the end of the area for a record: the next one is at this position.
        case skip(UInt64)
        /// A frame, its payload copied and checked intact; the record after it starts at `after`.
        case frame(RingFrame, after: UInt64)
        /// Overwritten before or while it was copied, or damaged: nothing there can be trusted.
        case lost
    }

    /// Copies the record at `position` (its payload into `payload`) and checks that the writer did not overwrite it
    /// meanwhile. Sequence numbers are the caller's to check.
    @inline(__always)
    private func record(at position: UInt64, into payload: inout [UInt8]) -> Record {
        guard position < mapping.loadAcquire(RingLayout.writePositionOffset) else { return .none }
        let offset = Int(position % UInt64(capacity))
        let room = capacity - offset
        if room < RingLayout.recordHeaderSize { return .skip(position &+ UInt64(room)) }
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
        guard intact(position) else { return .lost }
        if kind == RingLayout.kindPadding { return .skip(position &+ UInt64(room)) }
        guard kind == RingLayout.kindFrame, length <= room - RingLayout.recordHeaderSize else { return .lost }
        payload.removeAll(keepingCapacity: true)
        payload.append(contentsOf: UnsafeRawBufferPointer(start: record + RingLayout.recordHeaderSize, count: length))
        guard intact(position) else { return .lost }
        let info = FrameInfo(track: track, flags: FrameFlags(rawValue: flags), dts: dts, pts: pts)
        return .frame(RingFrame(info: info, sequence: sequence, generation: generation),
                      after: position &+ UInt64(RingLayout.recordSize(payload: length)))
    }

    /// True when the writer has not begun overwriting the record at `position`: checked after copying, behind an
    /// acquire fence, so that what was copied is known to predate any overwrite.
    @inline(__always)
    private func intact(_ position: UInt64) -> Bool {
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
