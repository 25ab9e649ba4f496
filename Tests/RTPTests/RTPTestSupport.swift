import Foundation
import Media
@testable import RTP

/// Fixtures of Tests/MediaTests/Fixtures (made by scripts/make-fixtures.sh with ffmpeg), read with TSDemuxer.
enum RTPFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("MediaTests/Fixtures")

    static func demux(_ name: String) throws -> (frames: [Frame], tracks: [Track]) {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        let (frames, demuxer) = TSDemuxer.frames(of: bytes)
        return (frames, demuxer.tracks)
    }
}

/// An RTP packet on its way: its track index, its bytes.
struct WirePacket {
    var track: Int
    var bytes: [UInt8]
    var sequenceNumber: UInt16 { UInt16(bytes[2]) << 8 | UInt16(bytes[3]) }
}

/// Packetizes frames of `tracks` (the description of each: its packetizer) in frame order.
func packetize(_ frames: [Frame], tracks: [Track], descriptions: [RTPTrackDescription], mtu: Int = 1400) throws -> [WirePacket] {
    var packetizers = descriptions.map {
        RTPPacketizer(codec: $0.codec, payloadType: $0.payloadType, clockRate: $0.clockRate, mtu: mtu)
    }
    var out: [WirePacket] = []
    for frame in frames {
        guard let index = tracks.firstIndex(where: { $0.id == frame.info.track }) else { continue }
        let body: (UnsafeRawBufferPointer) throws -> Void = { payload in
            try packetizers[index].packetize(frame.info, payload: payload, track: tracks[index]) {
                out.append(WirePacket(track: index, bytes: Array($0)))
            }
        }
        try frame.payload.withUnsafeBytes(body)
    }
    return out
}

/// Feeds packets to a demuxer, one 90 kHz tick of arrival apart, and collects its frames.
func depacketize(_ packets: [WirePacket], _ descriptions: [RTPTrackDescription],
                 rtcp: [(after: Int, bytes: [UInt8])] = []) throws -> (frames: [Frame], demuxer: RTPDemuxer) {
    let demuxer = try RTPDemuxer(descriptions)
    var frames: [Frame] = []
    for (k, packet) in packets.enumerated() {
        for report in rtcp where report.after == k { report.bytes.withUnsafeBytes { demuxer.feedRTCP($0) } }
        packet.bytes.withUnsafeBytes { bytes in
            demuxer.feedRTP(track: packet.track, bytes, arrival: Int64(k)) { _, info, payload in
                frames.append(Frame(info: info, payload: Array(payload)))
            }
        }
    }
    demuxer.finish { _, info, payload in frames.append(Frame(info: info, payload: Array(payload))) }
    return (frames, demuxer)
}

extension Array where Element == Frame {
    func of(track: Int) -> [Frame] { filter { $0.info.track == track } }
}

/// An RTP packet made by hand.
func rtp(pt: UInt8 = 96, seq: UInt16, ts: UInt32, marker: Bool = false, ssrc: UInt32 = 0x1234, _ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    RTPPacket(marker: marker, payloadType: pt, sequenceNumber: seq, timestamp: ts, ssrc: ssrc).appendHeader(to: &out)
    return out + payload
}

/// Parses with untyped throws (typed-throws closures inside `#expect` crash this compiler).
func parseRTP(_ bytes: [UInt8]) throws -> RTPPacket {
    let body: (UnsafeRawBufferPointer) throws -> RTPPacket = { b in try RTPPacket(parsing: b) }
    return try bytes.withUnsafeBytes(body)
}

func parseRTCP(_ bytes: [UInt8]) throws -> [RTCPPacket] {
    let body: (UnsafeRawBufferPointer) throws -> [RTCPPacket] = { b in try RTCPPacket.parseCompound(b) }
    return try bytes.withUnsafeBytes(body)
}
