#if canImport(Glibc)
import Glibc
#endif

/// A whole text file (a config), read with the C library.
/// Throws `SystemError`.
public func readTextFile(_ path: String) throws -> String {
    let fd = try systemCall("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let n = try chunk.withUnsafeMutableBytes { b in
            try systemCall("read(\(path))") { read(fd, b.baseAddress, b.count) }
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}
