#if canImport(Glibc)
import Glibc
#endif
import SystemCalls
import Media

/// MPEG-TS over UDP, unicast or multicast (joined on a chosen interface), with or without an RTP header.
/// Each datagram is reduced to its transport-stream payload.
struct UDPSource: ByteSource {
    private var fd: Int32
    private var datagram = [UInt8](repeating: 0, count: 65536)

    /// `address`: the multicast group, or the local address to bind for unicast (empty: any).
    /// `interfaceName` (`eth1@239.0.0.1`) or `interfaceAddress` (`239.0.0.1:1234/10.0.0.5`) picks where to join.
    init(address: String, port: UInt16, interfaceName: String?, interfaceAddress: String?) throws {
        let label = "udp://\(address):\(port)"
        fd = try systemCall("socket(\(label))") { socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do {
            var on: Int32 = 1
            try systemCall("setsockopt(SO_REUSEADDR)") { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) }
            // A large receive buffer rides out scheduling hiccups at tens of Mbit/s; the kernel caps it at rmem_max.
            var size: Int32 = 8 << 20
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            let group = try Self.ipv4(address.isEmpty ? "0.0.0.0" : address, label: label)
            let isMulticast = (UInt32(bigEndian: group.s_addr) >> 28) == 0xE
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = port.bigEndian
            sa.sin_addr = group
            _ = try withUnsafePointer(to: &sa) { p in
                try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                    try systemCall("bind(\(label))") { bind(fd, sp, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            if isMulticast {
                var mreq = ip_mreqn()
                mreq.imr_multiaddr = group
                if let ip = interfaceAddress { mreq.imr_address = try Self.ipv4(ip, label: label) }
                if let name = interfaceName {
                    let index = if_nametoindex(name)
                    guard index != 0 else { throw InputError("\(label): no network interface named \(name)") }
                    mreq.imr_ifindex = Int32(index)
                }
                try systemCall("setsockopt(IP_ADD_MEMBERSHIP, \(label))") {
                    setsockopt(fd, Int32(IPPROTO_IP), IP_ADD_MEMBERSHIP, &mreq, socklen_t(MemoryLayout<ip_mreqn>.size))
                }
            }
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
    }

    private static func ipv4(_ text: String, label: String) throws -> in_addr {
        var addr = in_addr()
        guard inet_pton(AF_INET, text, &addr) == 1 else { throw InputError("\(label): \(text) is not an IPv4 address") }
        return addr
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws -> Int? {
        guard try waitReadable(fd, timeoutMs: timeoutMs) else { return 0 }
        let fd = self.fd
        let n = try datagram.withUnsafeMutableBytes { d in try systemCall("recv") { recv(fd, d.baseAddress, d.count, 0) } }
        return datagram.withUnsafeBytes { d in
            let payload = UDPTransportStream.payloadRange(UnsafeRawBufferPointer(rebasing: d[0..<n]))
            let count = min(payload.count, buffer.count)
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: d[payload.lowerBound..<(payload.lowerBound + count)]))
            return count
        }
    }

    mutating func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }
}
