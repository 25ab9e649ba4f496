#if canImport(Glibc)
import Glibc
#endif
import Config
import EventLoop
import Media

/// MPEG-TS over UDP (`udp://[IFACE@]GROUP:PORT[/IFACE_IP]`): unicast or multicast joined on the chosen interface,
/// bare or behind RTP, with a large receive buffer. UDP has no connection: it is "opened" once bound, and lost only
/// by the worker's source timeout.
///
/// The socket is read every 40 ms on a clock every ingest worker shares (`UDPSocket.startReceiving(pacedEvery:)`),
/// not on every burst of datagrams: a stream costs its worker 25 wake-ups a second whatever its bitrate, and the
/// workers of a server wake together. A bitrate too high for the receive buffer to hold 40 ms of it safely is read
/// as it arrives instead, with a notice in the log (docs/ingest.md, "UDP").
public final class UDPInput: IngestInput {
    private let url: InputURL
    private let loop: EventLoop
    private let events: TransportStreamEvents
    private var socket: UDPSocket?
    /// The receive buffer asked for: a second of a 64 Mbit/s stream.
    static let receiveBufferBytes: Int32 = 8 << 20

    public init(url: InputURL, loop: EventLoop, events: TransportStreamEvents) {
        self.url = url
        self.loop = loop
        self.events = events
    }

    public func start() throws {
        guard let port = url.port else { throw InputError("\(url): no port") }
        let socket = try UDPSocket(loop: loop)
        self.socket = socket
        let host = url.isMulticast || !url.host.isEmpty ? url.host : "0.0.0.0"
        try socket.bind(SocketAddress(ip: host, port: UInt16(port)), reuseAddress: true)
        // After bind: libuv opens the socket there. The kernel caps the size at net.core.rmem_max; what it granted is
        // what the pacing works with. A refusal is not fatal (the default buffer still receives) but is said.
        do {
            try socket.setReceiveBufferSize(Self.receiveBufferBytes)
        } catch {
            events.notice("\(url.redacted): receive buffer of \(Self.receiveBufferBytes >> 20) MB: \(error)")
        }
        if url.isMulticast {
            let interfaceIP = try url.sourceInterfaceIP ?? url.interface.map(Self.address(ofInterface:))
            try socket.joinMulticast(group: url.host, interfaceAddress: interfaceIP)
        }
        // The closures hold the event handlers themselves, not this input: nothing to retain per datagram.
        let bytes = events.bytes, failed = events.failed, notice = events.notice, source = url.redacted
        try socket.startReceiving(pacedEvery: UDPReceivePacing.standardPeriodMs, onDatagram: { datagram in
            bytes(UnsafeRawBufferPointer(rebasing: datagram[UDPTransportStream.payloadRange(datagram)]))
        }, onError: { error in
            failed("receive: \(error)")
        }, onPacingEnded: { reason in
            notice("\(source): \(reason)")
        })
        events.opened()
    }

    public func stop() {
        socket?.close()
        socket = nil
    }

    /// The IPv4 address of a network interface, for `udp://eth1@239.0.0.1:1234`.
    static func address(ofInterface name: String) throws -> String {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw InputError("getifaddrs: \(String(cString: strerror(errno)))") }
        defer { freeifaddrs(list) }
        var node = list
        while let entry = node {
            node = entry.pointee.ifa_next
            guard String(cString: entry.pointee.ifa_name) == name, let address = entry.pointee.ifa_addr,
                  Int32(address.pointee.sa_family) == AF_INET else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                var addr = sin.pointee.sin_addr
                _ = inet_ntop(AF_INET, &addr, &text, socklen_t(text.count))
            }
            return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        }
        throw InputError("no IPv4 address on network interface \(name)")
    }
}
