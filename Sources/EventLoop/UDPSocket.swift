internal import CLibUV
internal import CSupport
#if canImport(Glibc)
internal import Glibc
#endif

/// A UDP socket: unicast or multicast receive (joined on a chosen interface) with a large kernel buffer, and send.
///
/// Datagrams are received in batches (recvmmsg: up to `batch` per system call, which matters at the thousands of
/// datagrams per second of a multicast channel) into this socket's own buffer, and borrowed for the duration of the
/// receive callback. A batch that comes short of `batch` emptied the socket: libuv's read loop is then ended there
/// rather than let it call recvmmsg once more only to be told EAGAIN (one system call saved per wake-up).
///
/// A socket that carries a stream can instead be read on a clock shared by every process of the machine
/// (`startReceiving(pacedEvery:...)`, an `AlignedTicker`): each tick empties it, however many datagrams came. That
/// bounds the process's wake-ups per second whatever the bitrate, and wakes all such processes together.
public final class UDPSocket: Handle {
    private var onDatagram: ((UnsafeRawBufferPointer, SocketAddress?) -> Void)?
    private var onError: ((LibUVError) -> Void)?
    private var label = "udp"
    /// Each datagram of a batch gets a 64 KiB slice of the buffer (libuv's layout, kept by paced reads); pages are
    /// touched only as datagrams land.
    private let receiveBuffer: UnsafeMutableRawBufferPointer
    /// Datagrams of the batch being delivered.
    private var batchCount = 0
    /// The last batch came short: the socket is empty, the next allocation ends libuv's read loop.
    private var drained = false

    /// Datagrams received per system call at most.
    public static let batch = 16
    /// Each datagram's slice of `receiveBuffer`.
    private static let slot = 65536

    /// Paced reading: the clock, the policy that may end it, the callback, and where recvmmsg puts lengths.
    private var ticker: AlignedTicker?
    private var pacing: UDPReceivePacing?
    private var onPacingEnded: ((String) -> Void)?
    private var onPacedDatagram: ((UnsafeRawBufferPointer) -> Void)?
    private var lengths: UnsafeMutablePointer<UInt32>?

    public init(loop: EventLoop) throws(LibUVError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.batch * Self.slot, alignment: 16)
        receiveBuffer = buffer
        do {
            try super.init(loop: loop, type: UV_UDP, call: "uv_udp_init_ex") { uv, memory in
                uv_udp_init_ex(uv, memory.assumingMemoryBound(to: uv_udp_t.self), UInt32(UV_UDP_RECVMMSG.rawValue))
            }
        } catch {
            buffer.deallocate()
            throw error
        }
    }

    deinit {
        receiveBuffer.deallocate()
        lengths?.deallocate()
    }

    @inline(__always)
    private var udp: UnsafeMutablePointer<uv_udp_t> { typed(uv_udp_t.self) }

    /// Binds to `address`; bind a multicast group's port on `0.0.0.0` (or on the group address, to receive only it).
    /// `reuseAddress` lets several sockets, in several processes, bind the same address and port.
    public func bind(_ address: SocketAddress, reuseAddress: Bool = false) throws {
        label = address.description
        let flags = reuseAddress ? UInt32(UV_UDP_REUSEADDR.rawValue) : 0
        try address.withSockaddr { sockaddr in
            try uvCheck("uv_udp_bind(\(label))", uv_udp_bind(udp, sockaddr, flags))
        }
    }

    /// Joins multicast `group` on the interface that has address `interfaceAddress` (nil: the kernel's choice,
    /// following the route to the group).
    public func joinMulticast(group: String, interfaceAddress: String? = nil) throws {
        try setMembership(group: group, interfaceAddress: interfaceAddress, UV_JOIN_GROUP, call: "uv_udp_set_membership(join")
    }

    public func leaveMulticast(group: String, interfaceAddress: String? = nil) throws {
        try setMembership(group: group, interfaceAddress: interfaceAddress, UV_LEAVE_GROUP, call: "uv_udp_set_membership(leave")
    }

    private func setMembership(group: String, interfaceAddress: String?, _ membership: uv_membership,
                               call: String) throws {
        let rc = uv_udp_set_membership(udp, group, interfaceAddress, membership)
        try uvCheck("\(call) \(group) on \(interfaceAddress ?? "default interface"))", rc)
    }

    /// Whether datagrams this socket sends to a multicast group come back to local members (on by default).
    public func setMulticastLoopback(_ enabled: Bool) throws {
        try uvCheck("uv_udp_set_multicast_loop", uv_udp_set_multicast_loop(udp, enabled ? 1 : 0))
    }

    /// The interface (by address) multicast datagrams leave from.
    public func setMulticastInterface(_ interfaceAddress: String) throws {
        try uvCheck("uv_udp_set_multicast_interface(\(interfaceAddress))",
                    uv_udp_set_multicast_interface(udp, interfaceAddress))
    }

    public func setMulticastTTL(_ ttl: Int32) throws {
        try uvCheck("uv_udp_set_multicast_ttl(\(ttl))", uv_udp_set_multicast_ttl(udp, ttl))
    }

    /// Asks for a kernel receive buffer of `bytes` (call after `bind`) and returns what the kernel granted: Linux
    /// doubles the request for its bookkeeping and caps it at `net.core.rmem_max`.
    @discardableResult
    public func setReceiveBufferSize(_ bytes: Int32) throws -> Int32 {
        var value = bytes
        try uvCheck("uv_recv_buffer_size(set \(bytes), \(label))", uv_recv_buffer_size(handle, &value))
        return try receiveBufferSize()
    }

    public func receiveBufferSize() throws -> Int32 {
        var value: Int32 = 0
        try uvCheck("uv_recv_buffer_size(\(label))", uv_recv_buffer_size(handle, &value))
        return value
    }

    /// Calls `onDatagram` with each datagram (possibly empty) and its sender; `onError` for a receive error, after
    /// which receiving goes on.
    public func startReceiving(onDatagram: @escaping (UnsafeRawBufferPointer, SocketAddress?) -> Void,
                               onError: @escaping (LibUVError) -> Void) throws {
        self.onDatagram = onDatagram
        self.onError = onError
        try uvCheck("uv_udp_recv_start(\(label))", readOnArrival())
    }

    /// Starts libuv's reads as datagrams arrive, with the callbacks already set; returns libuv's code.
    private func readOnArrival() -> Int32 {
        drained = false
        batchCount = 0
        return uv_udp_recv_start(udp, { handle, _, buffer in
            guard let handle, let buffer, let owner = UDPSocket.owner(of: UnsafeMutableRawPointer(handle)) else { return }
            if owner.drained {
                // An empty buffer makes libuv report UV_ENOBUFS and stop reading until the socket is readable again.
                owner.drained = false
                buffer.pointee = uv_buf_init(nil, 0)
                return
            }
            buffer.pointee = uv_buf_init(owner.receiveBuffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                                         UInt32(owner.receiveBuffer.count))
        }, { udp, count, buffer, sender, flags in
            guard let owner = UDPSocket.owner(of: UnsafeMutableRawPointer(udp)) else { return }
            if flags & UInt32(UV_UDP_MMSG_FREE.rawValue) != 0 {
                // The end of a batch, reported as an empty read without a sender: the buffer is this socket's.
                owner.drained = owner.batchCount < UDPSocket.batch
                owner.batchCount = 0
            } else if count == Int(UV_ENOBUFS.rawValue) {
                return  // the allocation above ended the read loop
            } else if count < 0 {
                owner.onError?(LibUVError("uv_udp_recv(\(owner.label))", code: Int32(count)))
            } else if let sender {
                owner.batchCount += 1
                owner.onDatagram?(UnsafeRawBufferPointer(start: buffer?.pointee.base, count: count), SocketAddress(sender))
            }
        })
    }

    /// Like `startReceiving(onDatagram:onError:)`, but reads the socket empty at every multiple of `periodMs` of the
    /// monotonic clock instead of when datagrams arrive. When a batch brings too much for the socket's buffer to hold
    /// safely (`UDPReceivePacing`), reading switches to arrivals for good and `onPacingEnded` says why.
    /// Senders are not asked for: a stream's datagrams are taken for their payload.
    public func startReceiving(pacedEvery periodMs: UInt32,
                               onDatagram: @escaping (UnsafeRawBufferPointer) -> Void,
                               onError: @escaping (LibUVError) -> Void,
                               onPacingEnded: @escaping (String) -> Void) throws {
        self.onPacedDatagram = onDatagram
        self.onError = onError
        self.onPacingEnded = onPacingEnded
        pacing = UDPReceivePacing(periodMs: periodMs, bufferBytes: Int(try receiveBufferSize()))
        if lengths == nil { lengths = .allocate(capacity: Self.batch) }
        let ticker = try AlignedTicker(loop: loop)
        self.ticker = ticker
        let descriptor = try fileDescriptor()
        // The ticker is this socket's: it closes with it, which ends this cycle.
        try ticker.start(periodMs: periodMs) { [unowned self] in readBatch(descriptor) }
    }

    /// Empties the socket (one tick of paced reading).
    private func readBatch(_ descriptor: Int32) {
        guard let lengths, let base = receiveBuffer.baseAddress else { return }
        var batchBytes = 0
        while !isClosing {
            let count = Int(csupport_receive_datagrams(descriptor, base, UInt32(Self.slot), UInt32(Self.batch), lengths))
            guard count >= 0 else {
                onError?(LibUVError("recvmmsg(\(label))", code: -errno))
                break
            }
            for index in 0..<count where !isClosing {
                let length = Int(lengths[index])
                batchBytes += length
                onPacedDatagram?(UnsafeRawBufferPointer(start: base + index * Self.slot, count: length))
            }
            if count < Self.batch { break }
        }
        guard let pacing, !isClosing, !pacing.keepsPacing(afterBatchOf: batchBytes) else { return }
        ticker?.close()
        ticker = nil
        self.pacing = nil
        let onPacedDatagram = onPacedDatagram
        onDatagram = { bytes, _ in onPacedDatagram?(bytes) }
        let rc = readOnArrival()
        guard rc >= 0 else {
            onError?(LibUVError("uv_udp_recv_start(\(label))", code: rc))
            return
        }
        onPacingEnded?(pacing.endReason(afterBatchOf: batchBytes))
    }

    public func stopReceiving() {
        ticker?.stop()
        uv_udp_recv_stop(udp)
    }

    public override func close(_ completion: (() -> Void)? = nil) {
        ticker?.close()
        ticker = nil
        super.close(completion)
    }

    /// Sends at once if the kernel takes it, with no allocation: returns false when the socket buffer is full
    /// (the datagram is dropped, as UDP would drop it further on).
    public func trySend(_ bytes: UnsafeRawBufferPointer, to address: SocketAddress) throws -> Bool {
        var buffer = uv_buf_init(UnsafeMutableRawPointer(mutating: bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                 UInt32(bytes.count))
        let rc = address.withSockaddr { uv_udp_try_send(udp, &buffer, 1, $0) }
        if rc == Int32(UV_EAGAIN.rawValue) { return false }
        try uvCheck("uv_udp_try_send(\(address))", rc)
        return true
    }

    /// Queues `bytes` for `address` without copying them; `completion` runs once sent or failed.
    public func send(_ bytes: SharedBytes, to address: SocketAddress,
                     completion: ((LibUVError?) -> Void)? = nil) throws {
        let request = Request<uv_udp_send_t>()
        request.bytes = bytes
        request.completion = completion
        var buffer = uv_buf_init(bytes.base.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
        let udp = self.udp
        try address.withSockaddr { sockaddr in
            try request.submit("uv_udp_send", context: address.description) {
                uv_udp_send($0, udp, &buffer, 1, sockaddr) { request, status in
                    Request<uv_udp_send_t>.finish(request, status: status)
                }
            }
        }
    }

    /// The bound address, with the port the kernel chose for port 0.
    public func localAddress() throws -> SocketAddress {
        let udp = self.udp
        return try SocketAddress(call: "uv_udp_getsockname(\(label))") { uv_udp_getsockname(udp, $0, $1) }
    }

    override func dropCallbacks() {
        onDatagram = nil
        onError = nil
        onPacingEnded = nil
        onPacedDatagram = nil
    }
}
