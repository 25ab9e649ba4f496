internal import CLibUV
#if canImport(Glibc)
internal import Glibc
#endif

/// An IPv4 or IPv6 address with a port, as libuv takes and returns it.
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    /// Holds a `sockaddr_in` or `sockaddr_in6`.
    private var storage: sockaddr_storage

    /// Parses a numeric address (`127.0.0.1`, `::1`, `0.0.0.0`, `::`); host names are not resolved here.
    public init(ip: String, port: UInt16) throws {
        storage = sockaddr_storage()
        let isIPv6 = ip.contains(":")
        let rc = withUnsafeMutableBytes(of: &storage) { raw in
            isIPv6
                ? uv_ip6_addr(ip, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self))
                : uv_ip4_addr(ip, Int32(port), raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self))
        }
        try uvCheck("\(isIPv6 ? "uv_ip6_addr" : "uv_ip4_addr")(\"\(ip)\")", rc)
    }

    /// Copies a `sockaddr` of `length` bytes (from getaddrinfo).
    init(copying address: UnsafePointer<sockaddr>, length: Int) {
        storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(start: address, count: min(length, raw.count)))
        }
    }

    /// Reads an address that libuv writes (`uv_tcp_getsockname` and friends); the error names `call`.
    init(call: @autoclosure () -> String,
         _ read: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<Int32>) -> Int32) throws {
        storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutableBytes(of: &storage) { raw in
            read(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
        }
        try uvCheck(call(), rc)
    }

    /// Copies an address libuv passed to a callback; nil for a null pointer or a family other than IPv4/IPv6.
    init?(_ address: UnsafePointer<sockaddr>?) {
        guard let address else { return nil }
        let family = Int32(address.pointee.sa_family)
        let size: Int
        switch family {
        case AF_INET: size = MemoryLayout<sockaddr_in>.size
        case AF_INET6: size = MemoryLayout<sockaddr_in6>.size
        default: return nil
        }
        storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.baseAddress!.copyMemory(from: UnsafeRawPointer(address), byteCount: size)
        }
    }

    public var isIPv6: Bool { Int32(storage.ss_family) == AF_INET6 }

    public var port: UInt16 {
        withUnsafeBytes(of: storage) { raw in
            isIPv6
                ? UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
                : UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
        }
    }

    /// The numeric address without the port.
    public var ip: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { text in
            text.initialize(repeating: 0)
            withSockaddr { address in _ = uv_ip_name(address, text.baseAddress, text.count) }
            return String(cString: text.baseAddress!)
        }
    }

    /// `1.2.3.4:80` or `[::1]:80`.
    public var description: String { isIPv6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }

    public static func == (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        lhs.isIPv6 == rhs.isIPv6 && lhs.port == rhs.port && lhs.ip == rhs.ip
    }

    @discardableResult
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { raw in try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)) }
    }
}
