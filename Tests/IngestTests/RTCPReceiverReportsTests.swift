import Media
import RTP
import Testing

@testable import Ingest

/// When receiver reports go, and what they say of the loss since the previous one.
@Suite struct RTCPReceiverReportsTests {
    /// Feeds H.264 single-NAL packets with sequence numbers `numbers` to track 0 of `demuxer`.
    private func feed(_ demuxer: RTPDemuxer, _ numbers: some Sequence<UInt16>, ssrc: UInt32 = 0xCAFE) {
        for seq in numbers {
            var packet: [UInt8] = []
            RTPPacket(marker: true, payloadType: 96, sequenceNumber: seq, timestamp: UInt32(seq) * 3600, ssrc: ssrc).appendHeader(to: &packet)
            packet += [0x41, 0x9A, 0x00]  // a non-IDR slice
            packet.withUnsafeBytes { demuxer.feedRTP(track: 0, $0, arrival: Int64(seq) * 3600) { _, _, _ in } }
        }
        demuxer.flush(now: 1 << 40) { _, _, _ in }
    }

    private func blocks(_ reports: [(track: Int, packet: [UInt8])]) throws -> [Int: RTCPPacket.ReportBlock] {
        var out: [Int: RTCPPacket.ReportBlock] = [:]
        for (track, packet) in reports {
            let parsed = try packet.withUnsafeBytes { try RTCPPacket.parseCompound($0) }
            guard case .receiverReport(0x5100, let blocks) = parsed.first, blocks.count == 1,
                  parsed.last == .sourceDescription([.init(ssrc: 0x5100, cname: "sluice")]) else {
                Issue.record("not an RR with a CNAME: \(parsed)")
                continue
            }
            out[track] = blocks[0]
        }
        return out
    }

    @Test func everyIntervalForTracksThatReceived() throws {
        let demuxer = try RTPDemuxer([RTPTrackDescription(codec: .h264, payloadType: 96, clockRate: 90_000),
                                      RTPTrackDescription(codec: .aac, payloadType: 97, clockRate: 48_000,
                                                          fmtp: ["mode": "AAC-hbr", "sizelength": "13", "indexlength": "3",
                                                                 "indexdeltalength": "3", "config": "1190"])])
        var reports = RTCPReceiverReports(tracks: 2, ssrc: 0x5100)
        #expect(reports.due(now: 10_000, demuxer: demuxer).isEmpty)  // the first call starts the schedule
        feed(demuxer, 100..<200)
        #expect(reports.due(now: 14_999, demuxer: demuxer).isEmpty)
        let first = try blocks(reports.due(now: 15_000, demuxer: demuxer))
        #expect(Array(first.keys) == [0], "track 1 received nothing: no report for it")
        #expect(first[0]?.ssrc == 0xCAFE && first[0]?.highestSequence == 199 && first[0]?.fractionLost == 0 && first[0]?.cumulativeLost == 0)
        #expect(reports.due(now: 19_999, demuxer: demuxer).isEmpty)

        // 100 more expected, 25 of them lost: a quarter (64/256) over this interval.
        feed(demuxer, Array(200..<250) + Array(275..<300))
        let second = try blocks(reports.due(now: 20_000, demuxer: demuxer))
        #expect(second[0]?.highestSequence == 299 && second[0]?.cumulativeLost == 25 && second[0]?.fractionLost == 64)

        // No loss since: the fraction goes back to 0, the cumulative count stays.
        feed(demuxer, 300..<400)
        let third = try blocks(reports.due(now: 25_500, demuxer: demuxer))
        #expect(third[0]?.fractionLost == 0 && third[0]?.cumulativeLost == 25)
        #expect(reports.due(now: 30_000, demuxer: demuxer).isEmpty, "the next one is 5 s after the last")
        #expect(reports.due(now: 30_500, demuxer: demuxer).count == 1)
    }
}
