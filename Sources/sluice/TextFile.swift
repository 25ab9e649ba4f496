#if canImport(Glibc)
import Glibc
#endif

/// A whole text file, read with the C library (the binary stays free of Foundation: workers share it).
func readTextFile(_ path: String) throws -> String {
    guard let file = fopen(path, "rb") else { throw CommandError("\(path): \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(file) != 0 { throw CommandError("\(path): read error") }
            break
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// A command-line failure with the message to print.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
