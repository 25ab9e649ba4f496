import Foundation

/// A listening TCP socket on 127.0.0.1, on a port the kernel picks, for the tests' scripted servers
/// (`LoopbackHTTPServer`, `ScriptedRTSPServer`); with `accept`, a thread that takes one connection at a time,
/// hands it to `serve` and closes it after. Closed when released: the accepting thread then ends.
final class LoopbackListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32

    init() throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = self.fd
        guard withUnsafeMutablePointer(to: &addr, { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }) == 0,
              listen(fd, 8) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    /// Serves connections on a thread of its own until the listener closes or `serve` returns false (its owner went).
    func accept(_ serve: @escaping @Sendable (Int32) -> Bool) {
        let fd = self.fd
        Thread.detachNewThread {
            while true {
                let client = Glibc.accept(fd, nil, nil)
                guard client >= 0 else { return }
                let goOn = serve(client)
                close(client)
                guard goOn else { return }
            }
        }
    }
}
