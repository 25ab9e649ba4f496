#if canImport(Glibc)
import Glibc
#endif
import SystemCalls
import CSupport

/// An open ring file, validated and mapped: the whole file read-write for the writer, read-only for readers, plus
/// (for readers) the first `RingLayout.readerPageSize` bytes mapped a second time read-write for the waiter count.
///
/// Geometry is read and checked once here; callers use `capacity` and never re-read it from shared memory, so a
/// damaged header cannot send them out of bounds later. Sendable: its fields never change after `init`, and the
/// shared words are only touched with atomics (`RingWakeups` watches it from another thread).
final class RingMapping: @unchecked Sendable {
    let path: String
    /// The whole file. Readers must not write through it (the pages are read-only: a write would fault).
    let base: UnsafeMutableRawPointer
    /// The first page, writable in every process (for readers a second mapping of the same bytes as `base`).
    let control: UnsafeMutableRawPointer
    let capacity: Int
    private let size: Int
    private let fd: Int32
    private let separateControl: Bool
    /// The file's identity when it was opened, to tell whether `path` still names it.
    private let device: UInt64
    private let inode: UInt64

    /// Opens and maps the ring at `path`. A writer also takes the file's exclusive lock (released when the
    /// process exits, however it exits), so that a ring never has two writers.
    init(path: String, writer: Bool) throws {
        let fd = try systemCall("open", path) { open(path, O_RDWR | O_CLOEXEC) }
        do {
            (base, size, capacity, control) = try Self.setUp(path, fd: fd, writer: writer)
        } catch {
            close(fd)
            throw error
        }
        var info = stat()
        fstat(fd, &info)
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
        self.path = path
        self.fd = fd
        self.separateControl = !writer
    }

    /// Whether `path` no longer names this file: the ring was removed, or removed and created again (a stream
    /// restarted with another capacity, a published stream that ended and came back). One `stat` call.
    var isReplaced: Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return true }
        return UInt64(info.st_dev) != device || UInt64(info.st_ino) != inode
    }

    deinit {
        if separateControl { munmap(control, RingLayout.readerPageSize) }
        munmap(base, size)
        close(fd)
    }

    private static func setUp(_ path: String, fd: Int32, writer: Bool) throws
        -> (base: UnsafeMutableRawPointer, size: Int, capacity: Int, control: UnsafeMutableRawPointer) {
        if writer {
            do {
                try systemCall("flock", path) { flock(fd, LOCK_EX | LOCK_NB) }
            } catch RingError.system(let error) where error.code == EWOULDBLOCK {
                throw RingError.writerBusy(path: path)
            }
        }
        var info = stat()
        try systemCall("fstat", path) { fstat(fd, &info) }
        let size = Int(info.st_size)
        guard size >= RingLayout.dataOffset + RingLayout.minimumCapacity else {
            throw RingError.badFormat(path: path, reason: "file of \(size) bytes is smaller than any ring")
        }
        let base = try map(path, fd: fd, size: size, protection: writer ? PROT_READ | PROT_WRITE : PROT_READ)
        do {
            let capacity = try validate(base, size: size, path: path)
            let control = writer ? base : try map(path, fd: fd, size: RingLayout.readerPageSize,
                                                  protection: PROT_READ | PROT_WRITE)
            return (base, size, capacity, control)
        } catch {
            munmap(base, size)
            throw error
        }
    }

    @inline(__always) func loadAcquire(_ offset: Int) -> UInt64 { csupport_load_acquire_u64(base + offset) }
    @inline(__always) func storeRelease(_ offset: Int, _ value: UInt64) { csupport_store_release_u64(base + offset, value) }
    @inline(__always) func loadAcquireSigned(_ offset: Int) -> Int64 { Int64(bitPattern: loadAcquire(offset)) }

    private static func map(_ path: String, fd: Int32, size: Int, protection: Int32) throws -> UnsafeMutableRawPointer {
        let address = mmap(nil, size, protection, MAP_SHARED, fd, 0)
        guard let address, address != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw RingError.system(SystemError("mmap(\(path))"))
        }
        return address
    }

    /// Checks the identity and geometry fields against this build's format; returns the data area size.
    private static func validate(_ base: UnsafeMutableRawPointer, size: Int, path: String) throws -> Int {
        func u32(_ offset: Int) -> Int { Int(base.load(fromByteOffset: offset, as: UInt32.self)) }
        func u64(_ offset: Int) -> UInt64 { base.load(fromByteOffset: offset, as: UInt64.self) }
        guard u64(RingLayout.magicOffset) == RingLayout.magic else {
            throw RingError.badFormat(path: path, reason: "bad magic \(u64(RingLayout.magicOffset))")
        }
        let version = u32(RingLayout.versionOffset)
        guard version == Int(RingLayout.version) else {
            throw RingError.badFormat(path: path, reason: "format version \(version), this build reads \(RingLayout.version)")
        }
        let geometry: [(String, Int, Int)] = [
            ("record header size", u32(RingLayout.recordHeaderSizeOffset), RingLayout.recordHeaderSize),
            ("data offset", Int(truncatingIfNeeded: u64(RingLayout.dataOffsetOffset)), RingLayout.dataOffset),
            ("track slots", u32(RingLayout.maxTracksOffset), RingLayout.maxTracks),
            ("track slot size", u32(RingLayout.trackSlotSizeOffset), RingLayout.trackSlotSize),
            ("keyframe slots", u32(RingLayout.keyframeSlotsOffset), RingLayout.keyframeSlots),
            ("keyframe entry size", u32(RingLayout.keyframeEntrySizeOffset), RingLayout.keyframeEntrySize),
            ("segment slots", u32(RingLayout.segmentSlotsOffset), RingLayout.segmentSlots),
            ("segment entry size", u32(RingLayout.segmentEntrySizeOffset), RingLayout.segmentEntrySize),
        ]
        for (what, found, expected) in geometry where found != expected {
            throw RingError.badFormat(path: path, reason: "\(what) \(found), version \(RingLayout.version) has \(expected)")
        }
        let capacity = Int(truncatingIfNeeded: u64(RingLayout.capacityOffset))
        guard capacity >= RingLayout.minimumCapacity, capacity <= RingLayout.maximumCapacity,
              capacity % RingLayout.capacityGranule == 0, RingLayout.dataOffset + capacity == size else {
            throw RingError.badFormat(path: path, reason: "capacity \(capacity) does not match a file of \(size) bytes")
        }
        return capacity
    }
}
