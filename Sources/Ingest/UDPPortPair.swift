import EventLoop

/// The two UDP sockets of one RTP track received over UDP (RFC 3550 11): RTP on an even port, RTCP on the odd port
/// above it, as cameras expect of `client_port=N-N+1`. Bound on the wildcard address of the camera's family; the
/// kernel picks the port (an ephemeral one), and the pick is retried until it is even and its neighbour is free.
/// The RTP socket asks for a 4 MB receive buffer (a keyframe arrives as a burst of datagrams).
final class UDPPortPair {
    let rtp: UDPSocket
    let rtcp: UDPSocket
    let rtpPort: Int
    var rtcpPort: Int { rtpPort + 1 }

    private init(rtp: UDPSocket, rtcp: UDPSocket, rtpPort: Int) {
        self.rtp = rtp
        self.rtcp = rtcp
        self.rtpPort = rtpPort
    }

    /// Throws when no pair was found in `attempts` picks (or a socket cannot be made at all).
    static func bind(loop: EventLoop, ipv6: Bool, attempts: Int = 64) throws -> UDPPortPair {
        let any = ipv6 ? "::" : "0.0.0.0"
        for _ in 0..<attempts {
            let rtp = try UDPSocket(loop: loop)
            let rtcp: UDPSocket
            do {
                rtcp = try UDPSocket(loop: loop)
            } catch {
                rtp.close()
                throw error
            }
            do {
                try rtp.bind(SocketAddress(ip: any, port: 0))
                let port = Int(try rtp.localAddress().port)
                if port % 2 == 0 && port < 65535 && (try? rtcp.bind(SocketAddress(ip: any, port: UInt16(port + 1)))) != nil {
                    _ = try? rtp.setReceiveBufferSize(4 << 20)  // the kernel caps it at net.core.rmem_max
                    return UDPPortPair(rtp: rtp, rtcp: rtcp, rtpPort: port)
                }
            } catch {
                rtp.close()
                rtcp.close()
                throw error
            }
            rtp.close()
            rtcp.close()
        }
        throw InputError("no free even/odd UDP port pair in \(attempts) attempts")
    }

    func close() {
        rtp.close()
        rtcp.close()
    }
}
