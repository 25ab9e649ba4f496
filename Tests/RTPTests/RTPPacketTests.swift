import Media
import Testing
@testable import RTP

@Suite struct RTPPacketTests {
    @Test func parsesWhatItWrites() throws {
        let bytes = rtp(pt: 97, seq: 0xFFFE, ts: 0xDEADBEEF, marker: true, ssrc: 0x01020304, [1, 2, 3])
        let p = try parseRTP(bytes)
        #expect(p.marker && p.payloadType == 97 && p.sequenceNumber == 0xFFFE && p.timestamp == 0xDEADBEEF)
        #expect(p.ssrc == 0x01020304 && p.csrcCount == 0 && p.payloadRange == 12..<15)
    }

    @Test func csrcsExtensionAndPadding() throws {
        // V=2 P=1 X=1 CC=1; one CSRC; extension profile 0xBEDE with one word; payload 2 bytes; padding 2.
        let bytes: [UInt8] = [0xB1, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xAA, 0xBB, 0xCC, 0xDD,
                              0xBE, 0xDE, 0, 1, 9, 9, 9, 9, 0x42, 0x43, 0, 2]
        let p = try parseRTP(bytes)
        bytes.withUnsafeBytes { b in #expect(p.csrcCount == 1 && p.csrc(0, in: b) == 0xAABBCCDD) }
        do {
            #expect(p.extensionProfile == 0xBEDE && p.extensionRange == 20..<24)
            #expect(p.payloadRange == 24..<26 && !p.marker && p.payloadType == 96)
        }
    }

    @Test func hostileHeaders() {
        let cases: [[UInt8]] = [
            [], [0x80, 96, 0], Array(repeating: 0, count: 12),                       // short, version 0
            [0x8F, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],                              // 15 CSRCs, none there
            [0x90, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9],                  // extension past the end
            [0xA0, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 200],                      // padding past the payload
            [0xA0, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],                           // padding 0
        ]
        for bytes in cases {
            #expect(throws: MediaError.self) { _ = try parseRTP(bytes) }
        }
    }
}

@Suite struct RTCPPacketTests {
    @Test func senderReportAndSDESAndBYE() throws {
        var bytes: [UInt8] = []
        RTCPPacket.appendSenderReport(.init(ssrc: 7, ntpTimestamp: 0x1_8000_0000, rtpTimestamp: 9000, packetCount: 3, octetCount: 4), to: &bytes)
        // SDES with a CNAME, then BYE for two sources.
        bytes += [0x81, 202, 0, 3, 0, 0, 0, 7, 1, 4, 0x61, 0x62, 0x63, 0x64, 0, 0]
        bytes += [0x82, 203, 0, 2, 0, 0, 0, 7, 0, 0, 0, 8]
        let packets = try parseRTCP(bytes)
        #expect(packets == [
            .senderReport(.init(ssrc: 7, ntpTimestamp: 0x1_8000_0000, rtpTimestamp: 9000, packetCount: 3, octetCount: 4)),
            .sourceDescription([.init(ssrc: 7, cname: "abcd")]),
            .bye(ssrcs: [7, 8]),
        ])
        #expect(RTPTimeline.ntpTo90kHz(0x1_8000_0000) == 135_000)
    }

    /// An SR that comes before its track's first frame is kept and applied then.
    @Test func senderReportBeforeTheFirstFrame() {
        var timeline = RTPTimeline(clockRates: [90_000, 48_000])
        let applied = [timeline.apply(.init(ssrc: 9, ntpTimestamp: 1000 << 32, rtpTimestamp: 900)),
                       timeline.apply(.init(ssrc: 7, ntpTimestamp: 1000 << 32, rtpTimestamp: 5000))]
        #expect(applied == [false, false] && timeline.senderReports == 0)
        let audio = timeline.time(track: 1, rtp: 4000, ssrc: 8, arrival: 0)
        #expect(audio == 0 && timeline.senderReports == 0)
        // Track 0's first frame: the SR maps RTP 900 to NTP 1000 s, the timeline's origin, with no step.
        let first = timeline.time(track: 0, rtp: 0, ssrc: 9, arrival: 10)
        #expect(first == 10 && timeline.senderReports == 1)
        let later = timeline.time(track: 0, rtp: 900, ssrc: 9, arrival: 20)
        #expect(later == 910)
    }

    /// The audio's first SR says it is 45 ms earlier than its first-arrival alignment put it: the audio steps back
    /// (the demuxer drops what overlaps), the video (the anchor) does not move.
    @Test func theAnchorNeverStepsTheOthersDo() {
        var timeline = RTPTimeline(clockRates: [90_000, 48_000], anchor: 0)
        func time(_ track: Int, _ rtp: UInt32) -> Int64 { timeline.time(track: track, rtp: rtp, ssrc: UInt32(track + 1), arrival: 0) }
        #expect(time(0, 0) == 0 && time(1, 0) == 0)
        let video = timeline.apply(.init(ssrc: 1, ntpTimestamp: 1000 << 32, rtpTimestamp: 0))
        #expect(video && time(0, 18_000) == 18_000 && time(1, 9_600) == 18_000)
        // Audio RTP 2160 (45 ms) is the instant of video RTP 0.
        let audio = timeline.apply(.init(ssrc: 2, ntpTimestamp: 1000 << 32, rtpTimestamp: 2_160))
        #expect(audio && time(1, 9_600) == 18_000 - 4_050 && time(0, 21_600) == 21_600)

        // The audio's SR first, then the video's, which says the video is 125 ms later than it seemed: the video
        // goes on as it was, and the audio moves 125 ms back to meet it.
        var late = RTPTimeline(clockRates: [90_000, 48_000], anchor: 0)
        func lateTime(_ track: Int, _ rtp: UInt32) -> Int64 { late.time(track: track, rtp: rtp, ssrc: UInt32(track + 1), arrival: 0) }
        #expect(lateTime(0, 0) == 0 && lateTime(1, 0) == 0)
        late.apply(.init(ssrc: 2, ntpTimestamp: 1000 << 32, rtpTimestamp: 0))
        late.apply(.init(ssrc: 1, ntpTimestamp: (1000 << 32) + (1 << 29), rtpTimestamp: 0))
        #expect(lateTime(0, 9_000) == 9_000 && lateTime(1, 4_800) == 9_000 - 11_250)
    }

    @Test func receiverReportRoundTrip() throws {
        let block = RTCPPacket.ReportBlock(ssrc: 0x55, fractionLost: 64, cumulativeLost: -3, highestSequence: 0x1_0005,
                                           jitter: 12, lastSR: 0x1234, delaySinceLastSR: 99)
        var bytes: [UInt8] = []
        RTCPPacket.appendReceiverReport(ssrc: 0x66, blocks: [block], cname: "sluice", to: &bytes)
        #expect(bytes.count % 4 == 0)
        let packets = try parseRTCP(bytes)
        #expect(packets == [.receiverReport(ssrc: 0x66, blocks: [block]), .sourceDescription([.init(ssrc: 0x66, cname: "sluice")])])
    }

    @Test func hostile() {
        let cases: [[UInt8]] = [[0x80, 200, 0], [0x80, 200, 0, 9], [0x40, 200, 0, 0], [0x81, 200, 0, 1, 0, 0, 0, 0],
                                [0x81, 202, 0, 1, 0, 0, 0, 7], [0x81, 202, 0, 2, 0, 0, 0, 7, 1, 40, 0, 0]]
        for bytes in cases {
            #expect(throws: MediaError.self) { _ = try parseRTCP(bytes) }
        }
    }
}

@Suite struct SenderReportTests {
    /// Sluice's RTSP server sends each track's sender report with the channel's CNAME, so receivers pair its tracks.
    @Test func aSenderReportCarriesItsCNAME() throws {
        var bytes: [UInt8] = []
        let report = RTCPPacket.SenderReport(ssrc: 0xABCD, ntpTimestamp: 0x1234_5678_9ABC_DEF0, rtpTimestamp: 90_000,
                                             packetCount: 10, octetCount: 12_000)
        RTCPPacket.appendSenderReport(report, cname: "sluice/cam", to: &bytes)
        #expect(bytes.count % 4 == 0)
        let packets = try bytes.withUnsafeBytes { try RTCPPacket.parseCompound($0) }
        #expect(packets == [.senderReport(report), .sourceDescription([.init(ssrc: 0xABCD, cname: "sluice/cam")])])
    }
}
