/// Writing a binary frame on an RTSP TCP connection (RFC 2326 10.12): `$`, the channel, the payload length (16 bits,
/// so at most 65535 bytes: an RTP packet), the payload. Appends to the caller's buffer: no allocation once it has grown.
public enum RTSPInterleavedFrame {
    public static let maxPayload = 65535

    /// Precondition: `payload.count <= 65535` (an RTP packetizer keeps packets far below).
    public static func append(channel: UInt8, payload: some Collection<UInt8>, to bytes: inout [UInt8]) {
        precondition(payload.count <= maxPayload, "interleaved payload of \(payload.count) bytes")
        bytes.append(0x24)
        bytes.append(channel)
        bytes.append(UInt8(payload.count >> 8))
        bytes.append(UInt8(payload.count & 0xFF))
        bytes.append(contentsOf: payload)
    }

    public static func encode(channel: UInt8, payload: some Collection<UInt8>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(payload.count + 4)
        append(channel: channel, payload: payload, to: &bytes)
        return bytes
    }
}
