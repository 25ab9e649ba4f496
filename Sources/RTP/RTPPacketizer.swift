import Media

/// Turns one track's Sluice frames into RTP packets, for Sluice's RTSP server: H.264 (RFC 6184, packetization
/// mode 1) and H.265 (RFC 7798) as single NAL unit packets when a NAL unit fits `mtu`, else FU-A / FU, with the
/// track's parameter sets sent before every keyframe; AAC as mpeg4-generic AAC-hbr (RFC 3640: AU-headers-length,
/// one 13/3-bit AU header, one AU per packet, fragmented over packets when larger than `mtu`); G.711 samples as
/// they are. The marker bit ends each access unit (video) and each frame (audio).
///
/// Sequence numbers and timestamps start from random bases (RFC 3550 5.1) unless given. The RTP timestamp is the
/// frame's PTS in the track's clock rate (90 kHz for video), rounded to the nearest tick. Each packet is built in
/// one reused buffer and handed to `emit`, borrowed for the call.
public struct RTPPacketizer: Sendable {
    public typealias Emit = (UnsafeRawBufferPointer) -> Void

    public let codec: Codec
    public let payloadType: UInt8
    public let clockRate: Int
    /// Largest packet, RTP header included.
    public let mtu: Int
    public let ssrc: UInt32
    public private(set) var sequenceNumber: UInt16
    public let timestampBase: UInt32
    private var packet: [UInt8] = []

    public init(codec: Codec, payloadType: UInt8, clockRate: Int, mtu: Int = 1400, ssrc: UInt32 = .random(in: 0...UInt32.max),
                sequenceBase: UInt16 = .random(in: 0...UInt16.max), timestampBase: UInt32 = .random(in: 0...UInt32.max)) {
        precondition(mtu >= 64 && clockRate > 0)
        self.codec = codec
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.mtu = mtu
        self.ssrc = ssrc
        self.sequenceNumber = sequenceBase
        self.timestampBase = timestampBase
    }

    /// The RTP timestamp of a frame with this PTS (90 kHz).
    public func rtpTimestamp(pts: Int64) -> UInt32 {
        let rate = Int64(clockRate)
        let ticks = rate == MediaTime.hz ? pts : (pts * rate + MediaTime.hz / 2).quotientFloor(MediaTime.hz)
        return timestampBase &+ UInt32(truncatingIfNeeded: ticks)
    }

    /// Packetizes one frame of `track`. Throws when a video payload's NAL lengths run past its end.
    public mutating func packetize(_ info: FrameInfo, payload: UnsafeRawBufferPointer, track: Track,
                                   _ emit: Emit) throws(MediaError) {
        let ts = rtpTimestamp(pts: info.pts)
        switch codec {
        case .h264, .h265:
            var nals = 0
            do { try LengthPrefixed.forEachNAL(in: payload) { _ in nals += 1 } } catch {
                throw MediaError("\(codec.rawValue) frame", "\(error)")
            }
            var left = nals
            if info.isKeyframe {
                let sets = track.parameterSets.all
                for set in sets {
                    set.withUnsafeBytes { nal(ts, $0, last: left == 0 && set == sets.last, emit) }
                }
            }
            try? LengthPrefixed.forEachNAL(in: payload) { unit in
                left -= 1
                nal(ts, unit, last: left == 0, emit)
            }
        case .aac:
            aac(ts, payload, emit)
        default:
            var offset = 0
            let room = mtu - 12
            repeat {
                let n = min(room, payload.count - offset)
                begin(ts, marker: offset + n == payload.count)
                packet.append(contentsOf: UnsafeRawBufferPointer(rebasing: payload[offset..<(offset + n)]))
                send(emit)
                offset += n
            } while offset < payload.count
        }
    }

    private mutating func begin(_ ts: UInt32, marker: Bool) {
        packet.removeAll(keepingCapacity: true)
        RTPPacket(marker: marker, payloadType: payloadType, sequenceNumber: sequenceNumber, timestamp: ts, ssrc: ssrc)
            .appendHeader(to: &packet)
        sequenceNumber &+= 1
    }

    private mutating func send(_ emit: Emit) {
        packet.withUnsafeBytes { emit($0) }
    }

    /// One NAL unit: whole when it fits, else in fragmentation units.
    private mutating func nal(_ ts: UInt32, _ nal: UnsafeRawBufferPointer, last: Bool, _ emit: Emit) {
        guard !nal.isEmpty else { return }
        if 12 + nal.count <= mtu {
            begin(ts, marker: last)
            packet.append(contentsOf: nal)
            send(emit)
            return
        }
        let hevc = codec == .h265
        let headerSize = hevc ? 2 : 1
        let room = mtu - 12 - headerSize - 1
        var offset = headerSize
        while offset < nal.count {
            let n = min(room, nal.count - offset)
            let start = offset == headerSize, end = offset + n == nal.count
            let flags: UInt8 = (start ? 0x80 : 0) | (end ? 0x40 : 0)
            begin(ts, marker: last && end)
            if hevc {
                packet.append(nal[0] & 0x81 | 49 << 1)
                packet.append(nal[1])
                packet.append(flags | H265.nalType(nal[0]))
            } else {
                packet.append(nal[0] & 0xE0 | 28)
                packet.append(flags | H264.nalType(nal[0]))
            }
            packet.append(contentsOf: UnsafeRawBufferPointer(rebasing: nal[offset..<(offset + n)]))
            send(emit)
            offset += n
        }
    }

    /// One AAC frame: AU-headers-length 16, an AU header (13-bit size, 3-bit index 0), the frame, fragmented
    /// when it does not fit (each fragment with the same AU header, the marker on the last).
    private mutating func aac(_ ts: UInt32, _ frame: UnsafeRawBufferPointer, _ emit: Emit) {
        let size = min(frame.count, 0x1FFF)
        let room = mtu - 12 - 4
        var offset = 0
        repeat {
            let n = min(room, size - offset)
            begin(ts, marker: offset + n == size)
            packet.append(0); packet.append(16)
            packet.append(UInt8(size >> 5)); packet.append(UInt8((size & 0x1F) << 3))
            packet.append(contentsOf: UnsafeRawBufferPointer(rebasing: frame[offset..<(offset + n)]))
            send(emit)
            offset += n
        } while offset < size
    }
}

extension Int64 {
    fileprivate func quotientFloor(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
