import Testing
@testable import Media

/// Video PES packets are read as they arrive (`StreamedPES`), not collected: the shapes a muxer may give them
/// make the same frames as the common one (the whole PES header in its first packet, PES_packet_length 0).
@Suite struct TSDemuxerVideoPESTests {
    private static let videoPID = 0x100

    /// A transport stream of PAT, PMT (H.264 on `videoPID`) and one video PES per access unit, two per second;
    /// `firstPayload` is how many PES bytes the first packet of each PES carries (the rest of it is adaptation
    /// field stuffing), `declaredLength` whether PES_packet_length is set (the last packet is then filled with
    /// 0xFF payload bytes past that length, which are not part of the PES).
    private static func stream(_ units: [[UInt8]], firstPayload: Int = 184, declaredLength: Bool = false) -> [UInt8] {
        var patCC: UInt8 = 0, pmtCC: UInt8 = 0, cc: UInt8 = 0
        var packets = TSBuild.psiPackets(TSBuild.pat([(1, 0x1000)]), pid: 0, cc: &patCC)
        packets += TSBuild.psiPackets(TSBuild.pmt(program: 1, pcrPID: videoPID, streams: [(0x1B, videoPID, [])]),
                                      pid: 0x1000, cc: &pmtCC)
        for (n, unit) in units.enumerated() {
            let pts = Int64(n) * 45_000 + 90_000
            var pes: [UInt8] = [0, 0, 1, 0xE0, 0, 0, 0x80, 0x80, 5,
                                0x21 | UInt8(pts >> 29 & 0x0E), UInt8(pts >> 22 & 0xFF), UInt8(pts >> 14 & 0xFE) | 1,
                                UInt8(pts >> 7 & 0xFF), UInt8(pts << 1 & 0xFE) | 1] + unit
            if declaredLength {
                pes[4] = UInt8((pes.count - 6) >> 8)
                pes[5] = UInt8((pes.count - 6) & 0xFF)
                let inFirst = min(firstPayload, pes.count)
                pes += [UInt8](repeating: 0xFF, count: (184 - (pes.count - inFirst) % 184) % 184)
            }
            var first = true
            while !pes.isEmpty {
                let take = min(first ? firstPayload : 184, pes.count)
                var packet: [UInt8] = [0x47, (first ? 0x40 : 0) | UInt8(videoPID >> 8), UInt8(videoPID & 0xFF)]
                if take < 184 {
                    // Adaptation field of 183 - take bytes: its length, flags 0, stuffing.
                    packet += [0x30 | (cc & 0x0F), UInt8(183 - take)]
                    if take < 183 { packet += [0] + [UInt8](repeating: 0xFF, count: 182 - take) }
                } else {
                    packet += [0x10 | (cc & 0x0F)]
                }
                packet += pes[0..<take]
                pes.removeFirst(take)
                packets.append(packet)
                cc &+= 1
                first = false
            }
        }
        return packets.flatMap { $0 }
    }

    /// Three access units cut from an ffmpeg-made H.264 stream (each one keyframe with its parameter sets).
    private static func units() throws -> [[UInt8]] {
        let unit = try Fixture.bytes("h264_high.h264")
        return [unit, unit, unit]
    }

    /// The PES header spread over the first packets (its first packet carrying 1 to 183 bytes of it), and
    /// PES_packet_length set (bytes past it in the last packet), fed whole, byte by byte and in random pieces.
    @Test func headerSpreadOverPacketsAndDeclaredLength() throws {
        let units = try Self.units()
        let reference = Feeding.whole.run(Self.stream(units))
        #expect(reference.frames.count == 3)
        #expect(reference.demuxer.stats.pesErrors == 0)
        let shapes = [1, 4, 6, 9, 13, 14, 183].map { (firstPayload: $0, declaredLength: false) }
            + [1, 9, 184].map { (firstPayload: $0, declaredLength: true) }
        for shape in shapes {
            for feeding in Feeding.allCases {
                let other = feeding.run(Self.stream(units, firstPayload: shape.firstPayload, declaredLength: shape.declaredLength))
                expectSameFrames(other.frames, reference.frames, "\(shape) fed \(feeding)")
                #expect(other.demuxer.stats.pesErrors == 0, "\(shape) fed \(feeding)")
            }
        }
    }

    /// A PES that stops short of its declared length (the next one starts early) makes no frame and counts an error.
    @Test func shortPESIsDropped() throws {
        let units = try Self.units()
        var bytes = Self.stream(units, declaredLength: true)
        // Claim 400 bytes more for the second PES than it has (its last packet has fewer after it): it ends short when
        // the third starts.
        let packets = TSBuild.packets(bytes)
        let starts = packets.indices.filter { TSBuild.pid(packets[$0]) == Self.videoPID && TSBuild.unitStart(packets[$0]) }
        let at = starts[1] * 188 + TSBuild.payloadOffset(packets[starts[1]])
        let length = (Int(bytes[at + 4]) << 8 | Int(bytes[at + 5])) + 400
        bytes[at + 4] = UInt8(length >> 8)
        bytes[at + 5] = UInt8(length & 0xFF)
        for feeding in Feeding.allCases {
            let result = feeding.run(bytes)
            #expect(result.frames.count == 2, "fed \(feeding)")
            #expect(result.demuxer.stats.pesErrors == 1, "fed \(feeding)")
            #expect(result.frames[1].info.flags.contains(.discontinuity), "fed \(feeding)")
        }
    }
}
