#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd about readiness and reloads (`Type=notify`) through the datagram socket named by NOTIFY_SOCKET;
/// does nothing when the variable is unset (not under systemd).
struct SystemdNotifier {
    private let path: String?

    init() {
        path = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
    }

    func send(_ message: String) {
        guard let path, !path.isEmpty else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // the abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        var text = Array(message.utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                sendto(fd, &text, text.count, Int32(MSG_NOSIGNAL), sa, length)
            }
        }
    }
}
