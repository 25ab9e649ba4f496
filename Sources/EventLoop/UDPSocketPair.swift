internal import CLibUV

/// Two UDP sockets on adjacent ports, the even one for RTP and the next for RTCP (RFC 3550 11), as RTSP's
/// `server_port=N-N+1` and `client_port=` announce them: the edge worker's ports for its UDP viewers, an ingest
/// worker's for a publisher's UDP tracks.
public final class UDPSocketPair {
    public let rtp: UDPSocket
    public let rtcp: UDPSocket
    /// The RTP port (the RTCP one is the next).
    public let port: Int

    /// Binds an even port the kernel chooses on `ip` and the next one, trying again (up to 20 times) when the
    /// chosen port is odd or its neighbour is taken. Throws the last error.
    public init(loop: EventLoop, ip: String = "0.0.0.0") throws {
        var lastError: Error = LibUVError("uv_udp_bind(\(ip), a pair of ports)", code: Int32(UV_EADDRINUSE.rawValue))
        for _ in 0..<20 {
            let rtp = try UDPSocket(loop: loop)
            do {
                try rtp.bind(SocketAddress(ip: ip, port: 0))
                let port = try rtp.localAddress().port
                guard port % 2 == 0, port < UInt16.max else {
                    rtp.close()
                    continue
                }
                let rtcp = try UDPSocket(loop: loop)
                do {
                    try rtcp.bind(SocketAddress(ip: ip, port: port + 1))
                } catch {
                    rtcp.close()
                    throw error
                }
                self.rtp = rtp
                self.rtcp = rtcp
                self.port = Int(port)
                return
            } catch {
                rtp.close()
                lastError = error
            }
        }
        throw lastError
    }


    public func close() {
        rtp.close()
        rtcp.close()
    }
}
