#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// Why a ring could not be created, opened, written or read. Each case names the ring file or the value at fault.
public enum RingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A system call on the ring file failed.
    case system(SystemError)
    /// The file is not a ring this build can read (magic, version, geometry, size).
    case badFormat(path: String, reason: String)
    /// Another process holds the ring's writer lock.
    case writerBusy(path: String)
    /// The instance or stream name cannot make a ring file name.
    case invalidName(String)
    /// The requested data area size is outside what the format allows.
    case invalidCapacity(Int)
    /// A frame whose record would exceed the ring's per-record limit (a quarter of the data area).
    case frameTooLarge(track: Int, size: Int, limit: Int)
    /// A frame or track field that does not fit its field in the format.
    case invalidField(what: String, value: Int)
    case tooManyTracks(count: Int, limit: Int)
    /// A track's decoder configuration or language does not fit its slot.
    case trackTooLarge(track: Int, what: String, size: Int, limit: Int)
    /// A track slot in the ring does not decode (a writer bug or a damaged file).
    case corruptTrack(index: Int, reason: String)
    /// The track table kept changing (or its writer died mid-update) while it was being read.
    case trackTableBusy(path: String)

    public var description: String {
        switch self {
        case let .system(error):
            return error.description
        case let .badFormat(path, reason):
            return "ring \(path): \(reason)"
        case let .writerBusy(path):
            return "ring \(path): another process is its writer"
        case let .invalidName(reason):
            return "ring name: \(reason)"
        case let .invalidCapacity(capacity):
            return "ring capacity \(capacity): must be between \(RingLayout.minimumCapacity) and \(RingLayout.maximumCapacity) bytes"
        case let .frameTooLarge(track, size, limit):
            return "ring frame on track \(track): record of \(size) bytes exceeds the limit of \(limit)"
        case let .invalidField(what, value):
            return "ring \(what) \(value): out of range for the format"
        case let .tooManyTracks(count, limit):
            return "ring track table: \(count) tracks, at most \(limit)"
        case let .trackTooLarge(track, what, size, limit):
            return "ring track \(track): \(what) of \(size) bytes exceeds \(limit)"
        case let .corruptTrack(index, reason):
            return "ring track slot \(index): \(reason)"
        case let .trackTableBusy(path):
            return "ring \(path): track table is being rewritten"
        }
    }
}
