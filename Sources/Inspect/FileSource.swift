#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// A recorded transport stream on disk, read to its end in 64 KB pieces.
enum FileSource {
    static func read(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        let fd = try systemCall("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try buffer.withUnsafeMutableBytes { b in try systemCall("read(\(path))") { Glibc.read(fd, b.baseAddress, b.count) } }
            if n == 0 { return }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}
