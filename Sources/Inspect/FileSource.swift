#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// A recorded transport stream on disk.
struct FileSource: ByteSource {
    private var fd: Int32

    init(path: String) throws {
        fd = try systemCall("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws -> Int? {
        let n = try systemCall("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        return n == 0 ? nil : n
    }

    mutating func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }
}
