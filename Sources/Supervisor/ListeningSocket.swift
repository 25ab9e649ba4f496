#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// A listening TCP socket the supervisor binds once and passes to every edge worker it starts (inherited as a file
/// descriptor), so that an edge can die and be replaced without the port ever closing. Matched by address across
/// reloads and kept, never rebound (as nginx does).
struct ListeningSocket: Equatable {
    /// `http`, `rtmp` or `rtsp`.
    var proto: String
    var host: String
    var port: Int
    var fd: Int32

    /// Binds and listens on `host:port` (empty host: every IPv4 address). The descriptor is close-on-exec: the
    /// supervisor hands it to each edge explicitly.
    static func open(proto: String, host: String, port: Int) throws -> ListeningSocket {
        let ip = host.isEmpty ? "0.0.0.0" : host
        let label = "\(proto) \(ip):\(port)"
        let isV6 = ip.contains(":")
        let fd = try systemCall("socket(\(label))") {
            socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var on: Int32 = 1
            try systemCall("setsockopt(SO_REUSEADDR, \(label))") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            }
            var storage = sockaddr_storage()
            var length: socklen_t
            if isV6 {
                var sin6 = sockaddr_in6()
                sin6.sin6_family = sa_family_t(AF_INET6)
                sin6.sin6_port = UInt16(port).bigEndian
                guard inet_pton(AF_INET6, ip, &sin6.sin6_addr) == 1 else { throw SystemError("inet_pton(\(label))", code: EINVAL) }
                withUnsafeBytes(of: sin6) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
                length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            } else {
                var sin = sockaddr_in()
                sin.sin_family = sa_family_t(AF_INET)
                sin.sin_port = UInt16(port).bigEndian
                guard inet_pton(AF_INET, ip, &sin.sin_addr) == 1 else { throw SystemError("inet_pton(\(label))", code: EINVAL) }
                withUnsafeBytes(of: sin) { raw in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: raw) } }
                length = socklen_t(MemoryLayout<sockaddr_in>.size)
            }
            try withUnsafePointer(to: &storage) { pointer in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    _ = try systemCall("bind(\(label))") { bind(fd, address, length) }
                }
            }
            try systemCall("listen(\(label))") { listen(fd, 1024) }
            return ListeningSocket(proto: proto, host: host, port: port, fd: fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    func close() { _ = Glibc.close(fd) }
}
