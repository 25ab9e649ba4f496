#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// Creating, sizing and removing ring files. The owner of a ring (the supervisor) creates it before starting its
/// writer and removes it when the stream goes away, so that the ring outlives any one writer.
public enum Ring {
    /// Creates the ring file for `name` with a data area of `capacity` bytes (rounded up to 4 KiB), empty, at
    /// generation 0. A ring of the same name is replaced: processes that still map the old file keep reading it,
    /// and must reopen to see the new one. The file appears complete or not at all (it is built aside and renamed).
    public static func create(_ name: RingName, capacity: Int) throws {
        let granule = RingLayout.capacityGranule
        guard capacity >= RingLayout.minimumCapacity, capacity <= RingLayout.maximumCapacity else {
            throw RingError.invalidCapacity(capacity)
        }
        let rounded = (capacity + granule - 1) / granule * granule
        let temporary = name.path + ".new-\(getpid())"
        let fd = try systemCall("open", temporary) { open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
        defer { close(fd) }
        do {
            try systemCall("ftruncate", temporary) { ftruncate(fd, off_t(RingLayout.dataOffset + rounded)) }
            let header = identityHeader(capacity: rounded)
            let written = try header.withUnsafeBytes { bytes in
                try systemCall("pwrite", temporary) { pwrite(fd, bytes.baseAddress, bytes.count, 0) }
            }
            guard written == header.count else {
                throw RingError.system(SystemError("pwrite(\(temporary)) (short write)", code: EIO))
            }
            try systemCall("rename", name.path) { rename(temporary, name.path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Removes the ring file of `name`; a ring that does not exist is not an error. Mappings stay valid until
    /// their processes drop them.
    public static func remove(_ name: RingName) throws {
        if unlink(name.path) == -1, errno != ENOENT {
            throw RingError.system(SystemError("unlink(\(name.path))"))
        }
    }

    /// The data area size for a ring that must hold `seconds` of a stream of `bitrate` bits per second: payload
    /// plus per-record overhead at `framesPerSecond`, times `headroom` (bitrates peak above their average), rounded
    /// up to 4 KiB, at least 64 KiB. For HLS, `seconds` is the longest window a reader needs, e.g.
    /// (`segment_count` + 2) × `segment_duration`.
    public static func capacity(seconds: Double, bitrate: Int, framesPerSecond: Int = 100, headroom: Double = 1.5) -> Int {
        let payload = seconds * Double(max(bitrate, 0)) / 8
        let overhead = seconds * Double(max(framesPerSecond, 0)) * Double(RingLayout.recordSize(payload: 0) + RingLayout.recordAlignment)
        let wanted = ((payload + overhead) * max(headroom, 1)).rounded(.up)
        let granule = RingLayout.capacityGranule
        guard wanted.isFinite, wanted < Double(RingLayout.maximumCapacity) else { return RingLayout.maximumCapacity }
        let bytes = (Int(wanted) + granule - 1) / granule * granule
        return max(bytes, RingLayout.minimumCapacity)
    }

    /// The identity and geometry fields that start every ring file; everything after them starts at zero.
    private static func identityHeader(capacity: Int) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: RingLayout.writePositionOffset)
        header.putLittleEndian(RingLayout.magic, at: RingLayout.magicOffset)
        header.putLittleEndian(RingLayout.version, at: RingLayout.versionOffset)
        header.putLittleEndian(UInt32(RingLayout.recordHeaderSize), at: RingLayout.recordHeaderSizeOffset)
        header.putLittleEndian(UInt64(RingLayout.dataOffset), at: RingLayout.dataOffsetOffset)
        header.putLittleEndian(UInt64(capacity), at: RingLayout.capacityOffset)
        header.putLittleEndian(UInt32(RingLayout.maxTracks), at: RingLayout.maxTracksOffset)
        header.putLittleEndian(UInt32(RingLayout.trackSlotSize), at: RingLayout.trackSlotSizeOffset)
        header.putLittleEndian(UInt32(RingLayout.keyframeSlots), at: RingLayout.keyframeSlotsOffset)
        header.putLittleEndian(UInt32(RingLayout.keyframeEntrySize), at: RingLayout.keyframeEntrySizeOffset)
        header.putLittleEndian(UInt32(RingLayout.segmentSlots), at: RingLayout.segmentSlotsOffset)
        header.putLittleEndian(UInt32(RingLayout.segmentEntrySize), at: RingLayout.segmentEntrySizeOffset)
        return header
    }

    /// CLOCK_REALTIME in milliseconds since 1970 (UTC): the default wall-clock start of a segment.
    static func realtimeMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// CLOCK_MONOTONIC in nanoseconds (a vDSO call, no system call).
    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
