#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// Where `sluice inspect` reads MPEG-TS from: a file, a UDP socket, an HTTP response body.
protocol ByteSource {
    /// Reads into `buffer`, waiting at most `timeoutMs`. Returns the number of bytes read, 0 when nothing came in
    /// time, nil at the end of the input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws -> Int?
    mutating func close()
}

/// Waits until `fd` is readable or `timeoutMs` passes. True when readable.
func waitReadable(_ fd: Int32, timeoutMs: Int32) throws -> Bool {
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return try systemCall("poll") { poll(&pfd, 1, timeoutMs) } > 0
}
