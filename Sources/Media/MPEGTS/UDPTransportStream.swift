/// MPEG-TS carried in UDP datagrams: either bare (7 x 188-byte packets) or behind an RTP header (RFC 2250,
/// payload type 33), as many IPTV headends send it. Tells where the transport stream starts in a datagram.
public enum UDPTransportStream {
    /// The range of `datagram` holding TS packets: the whole datagram when it starts with a sync byte, the part after
    /// the RTP header (with its CSRCs, extension and padding removed) when it is RTP, else the whole datagram (the
    /// demuxer's resync deals with it).
    public static func payloadRange(_ datagram: UnsafeRawBufferPointer) -> Range<Int> {
        let n = datagram.count
        guard n >= 12, datagram[0] != 0x47, datagram[0] & 0xC0 == 0x80 else { return 0..<n }
        var start = 12 + Int(datagram[0] & 0x0F) * 4
        if datagram[0] & 0x10 != 0 {  // header extension: 4-byte header, then `length` words
            guard start + 4 <= n else { return 0..<n }
            start += 4 + (Int(datagram[start + 2]) << 8 | Int(datagram[start + 3])) * 4
        }
        var end = n
        if datagram[0] & 0x20 != 0 { end -= Int(datagram[n - 1]) }  // padding
        guard start < end, datagram[start] == 0x47 else { return 0..<n }
        return start..<end
    }
}
