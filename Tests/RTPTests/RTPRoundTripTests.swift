import Testing
import Media
@testable import RTP

/// Real access units from the MPEG-TS fixtures, packetized and depacketized back.
@Suite struct RTPRoundTripTests {
    static func h264AAC() throws -> (frames: [Frame], tracks: [Track], descriptions: [RTPTrackDescription]) {
        let (frames, tracks) = try RTPFixture.demux("h264_aac.ts")
        let descriptions = [
            RTPTrackDescription(codec: .h264, payloadType: 96, clockRate: 90_000, fmtp: ["sprop-parameter-sets": "x"].isEmpty ? [:] : [:]),
            RTPTrackDescription(codec: .aac, payloadType: 97, clockRate: tracks[1].sampleRate, channels: 2,
                                fmtp: parse(RTPFormatParameters.aac(tracks[1]))),
        ]
        return (frames, tracks, descriptions)
    }

    static func parse(_ fmtp: String) -> [String: String] {
        var out: [String: String] = [:]
        for part in fmtp.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            out[String(kv[0])] = String(kv[1])
        }
        return out
    }

    /// Same payloads and flags; PTS relative to the first frame equal (video) or within a tick (audio clock).
    /// `raised`: how many video frames may have had their PTS raised (a B-frame stepping back further than the
    /// initial reorder delay, see RTPDemuxer).
    func expectSame(_ got: [Frame], _ want: [Frame], audio: Bool, raised: Int = 0) {
        var raisedSeen = 0
        #expect(got.count == want.count)
        guard let g0 = got.first, let w0 = want.first else { return }
        for (g, w) in zip(got, want) {
            #expect(g.payload == w.payload)
            #expect(g.info.isKeyframe == w.info.isKeyframe)
            let d = (g.info.pts - g0.info.pts) - (w.info.pts - w0.info.pts)
            if !audio && d != 0 && raisedSeen < raised { raisedSeen += 1; continue }
            #expect(abs(d) <= (audio ? 2 : 0), "pts \(g.info.pts) vs \(w.info.pts)")
            #expect(g.info.pts >= g.info.dts)
        }
        for (a, b) in zip(got, got.dropFirst()) { #expect(b.info.dts >= a.info.dts) }
    }

    @Test func h264AndAACInOrder() throws {
        let (frames, tracks, descriptions) = try Self.h264AAC()
        let packets = try packetize(frames, tracks: tracks, descriptions: descriptions)
        let (got, demuxer) = try depacketize(packets, descriptions)
        expectSame(got.of(track: 1), frames.of(track: 1), audio: false)
        expectSame(got.of(track: 2), frames.of(track: 2), audio: true)
        #expect(demuxer.tracks[0].parameterSets == tracks[0].parameterSets)
        #expect(demuxer.tracks[0].width == 320 && demuxer.tracks[1].audioConfig == tracks[1].audioConfig)
        #expect(got.of(track: 1).first?.info.flags.contains(.configChange) == true)
        #expect(demuxer.stats.payloadErrors == 0 && demuxer.stats.droppedBroken == 0)
        // Big frames went out as FU-A.
        #expect(packets.contains { $0.track == 0 && $0.bytes[12] & 0x1F == 28 })
    }

    @Test func spropGivesParameterSetsUpFront() throws {
        let (_, tracks, _) = try Self.h264AAC()
        let fmtp = Self.parse(RTPFormatParameters.h264(tracks[0]))
        #expect(fmtp["profile-level-id"]?.count == 6)
        let demuxer = try RTPDemuxer([RTPTrackDescription(codec: .h264, payloadType: 96, clockRate: 90_000, fmtp: fmtp)])
        #expect(demuxer.tracks[0].parameterSets == tracks[0].parameterSets && demuxer.tracks[0].width == 320)
    }

    @Test func h265InOrderSmallMTU() throws {
        let (frames, tracks) = try RTPFixture.demux("h265_mp2.ts")
        let video = frames.of(track: 1)
        let descriptions = [RTPTrackDescription(codec: .h265, payloadType: 98, clockRate: 90_000,
                                                fmtp: Self.parse(RTPFormatParameters.h265(tracks[0])))]
        let packets = try packetize(video, tracks: [tracks[0]], descriptions: descriptions, mtu: 300)
        #expect(packets.contains { H265.nalType($0.bytes[12]) == 49 })
        let (got, demuxer) = try depacketize(packets, descriptions)
        expectSame(got, video, audio: false, raised: 2)
        #expect(demuxer.tracks[0].parameterSets == tracks[0].parameterSets)
    }

    /// The first two packets (the SPS and PPS before the first keyframe) are swapped too.
    @Test func reorderedAndDuplicatedPacketsChangeNothing() throws {
        let (frames, tracks, descriptions) = try Self.h264AAC()
        var packets = try packetize(frames, tracks: tracks, descriptions: descriptions)
        // Swap neighbours every 7 packets of each track, duplicate every 11th.
        var k = 0
        while k + 1 < packets.count {
            if k % 7 == 0, packets[k].track == packets[k + 1].track { packets.swapAt(k, k + 1) }
            k += 1
        }
        var withDuplicates: [WirePacket] = []
        for (i, p) in packets.enumerated() {
            withDuplicates.append(p)
            if i % 11 == 0 { withDuplicates.append(p) }
        }
        let (got, demuxer) = try depacketize(withDuplicates, descriptions)
        expectSame(got.of(track: 1), frames.of(track: 1), audio: false)
        expectSame(got.of(track: 2), frames.of(track: 2), audio: true)
        let s = demuxer.sequenceStats
        #expect(s[0].duplicates + s[1].duplicates > 0 && s[0].reordered + s[1].reordered > 0 && s[0].lost + s[1].lost == 0)
    }

    /// The packets of `video`, and the index of an FU-A middle packet of the frame that follows the first
    /// keyframe (`mtu` small enough that it has one) or of the second keyframe.
    static func fuMiddle(_ video: [Frame], _ track: Track, _ description: RTPTrackDescription, mtu: Int,
                         inSecondKeyframe: Bool) throws -> (packets: [WirePacket], index: Int) {
        let packets = try packetize(video, tracks: [track], descriptions: [description], mtu: mtu)
        let timestamp = { (p: WirePacket) in p.bytes[4...7].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
        let isFUMiddle = { (p: WirePacket) in p.bytes[12] & 0x1F == 28 && p.bytes[13] & 0xC0 == 0 }
        let firstKeyEnd = packets.firstIndex { $0.bytes[1] & 0x80 != 0 }!
        var frameStart = firstKeyEnd + 1
        if inSecondKeyframe {
            // The second keyframe's parameter sets come first.
            frameStart = packets[frameStart...].firstIndex { $0.bytes[12] & 0x1F == 7 }!
        }
        let ts = timestamp(packets[frameStart])
        let index = packets[frameStart...].prefix { timestamp($0) == ts }.firstIndex(where: isFUMiddle)
        return (packets, try #require(index))
    }

    @Test func lostFUMiddleDropsToNextKeyframe() throws {
        let (frames, tracks, descriptions) = try Self.h264AAC()
        let video = frames.of(track: 1)
        // At 1400 bytes the frames between the keyframes of this fixture are FU-A start + end only: 500 gives the
        // second frame middles.
        var (packets, lost) = try Self.fuMiddle(video, tracks[0], descriptions[0], mtu: 500, inSecondKeyframe: false)
        packets.remove(at: lost)
        let (got, demuxer) = try depacketize(packets, [descriptions[0]])
        let secondKey = video.dropFirst().firstIndex { $0.info.isKeyframe }!
        // The frames from the damaged one up to the second keyframe are gone; from there on all are back.
        #expect(demuxer.stats.droppedBroken == 1 && demuxer.stats.droppedBeforeKeyframe == secondKey - 2)
        #expect(got.count == 1 + video.count - secondKey, "\(got.count) \(video.count) \(secondKey)")
        #expect(got.first?.payload == video[0].payload)
        #expect(got.suffix(video.count - secondKey).map(\.payload) == video[secondKey...].map(\.payload))
        #expect(demuxer.sequenceStats[0].lost == 1)
    }

    /// A piece of the second keyframe lost: the video stops there (the fixture has no third keyframe).
    @Test func lostPieceOfKeyframeDropsItsGroup() throws {
        let (frames, tracks, descriptions) = try Self.h264AAC()
        let video = frames.of(track: 1)
        var (packets, lost) = try Self.fuMiddle(video, tracks[0], descriptions[0], mtu: 1400, inSecondKeyframe: true)
        packets.remove(at: lost)
        let (got, demuxer) = try depacketize(packets, [descriptions[0]])
        let secondKey = video.dropFirst().firstIndex { $0.info.isKeyframe }!
        #expect(!video[(secondKey + 1)...].contains { $0.info.isKeyframe })
        #expect(got.map(\.payload) == video[..<secondKey].map(\.payload))
        #expect(demuxer.stats.droppedBroken == 1 && demuxer.stats.droppedBeforeKeyframe == video.count - secondKey - 1)
        #expect(demuxer.sequenceStats[0].lost == 1)
    }

    /// The H.264/AAC fixture packetized with SSRC 1 for the video and 2 for the audio, in frame order, with the
    /// packetizers (for the RTP timestamps of sender reports).
    static func packetizedWithSSRCs() throws
        -> (frames: [Frame], descriptions: [RTPTrackDescription], packetizers: [RTPPacketizer], packets: [WirePacket]) {
        let (frames, tracks, descriptions) = try h264AAC()
        var packetizers = descriptions.map {
            RTPPacketizer(codec: $0.codec, payloadType: $0.payloadType, clockRate: $0.clockRate, ssrc: $0.payloadType == 96 ? 1 : 2)
        }
        var packets: [WirePacket] = []
        for frame in frames {
            let i = frame.info.track - 1
            try frame.payload.withUnsafeBytes { (payload: UnsafeRawBufferPointer) throws in
                try packetizers[i].packetize(frame.info, payload: payload, track: tracks[i]) { packets.append(WirePacket(track: i, bytes: Array($0))) }
            }
        }
        return (frames, descriptions, packetizers, packets)
    }

    @Test func senderReportsAlignAudioAndVideo() throws {
        let (frames, descriptions, packetizers, packets) = try Self.packetizedWithSSRCs()
        // Both SRs say: NTP 1000 s is PTS 2 s of the source, on each track's (random-based) RTP clock.
        var rtcp: [UInt8] = []
        for (i, p) in packetizers.enumerated() {
            RTCPPacket.appendSenderReport(.init(ssrc: p.ssrc, ntpTimestamp: 1000 << 32, rtpTimestamp: p.rtpTimestamp(pts: 180_000)), to: &rtcp)
            _ = i
        }
        // Make the audio's first packet arrive late by putting all video first for a while: misaligned before SR.
        let (got, demuxer) = try depacketize(packets, descriptions, rtcp: [(after: 40, bytes: rtcp)])
        #expect(demuxer.stats.senderReports == 2)
        // After the SRs, a video and an audio frame of equal source PTS have equal output PTS (within a tick).
        let lastVideo = frames.of(track: 1).last!, lastAudio = frames.of(track: 2).last!
        let gotVideo = got.of(track: 1).last!, gotAudio = got.of(track: 2).last!
        let want = lastAudio.info.pts - lastVideo.info.pts
        #expect(abs((gotAudio.info.pts - gotVideo.info.pts) - want) <= 2)
    }

    /// The audio's first SR comes a second in and moves it 45 ms back: the audio frames it overlaps are dropped
    /// (none share a DTS), and the video keeps its timeline whole (no step inside a group with B-frames).
    @Test func aSenderReportThatMovesAudioBackDropsTheOverlapNotTheVideo() throws {
        let (frames, descriptions, packetizers, packets) = try Self.packetizedWithSSRCs()
        // NTP 1000 s is PTS 2 s on the video's clock, and PTS 2.045 s on the audio's.
        var rtcp: [UInt8] = []
        RTCPPacket.appendSenderReport(.init(ssrc: 1, ntpTimestamp: 1000 << 32, rtpTimestamp: packetizers[0].rtpTimestamp(pts: 180_000)), to: &rtcp)
        RTCPPacket.appendSenderReport(.init(ssrc: 2, ntpTimestamp: 1000 << 32, rtpTimestamp: packetizers[1].rtpTimestamp(pts: 184_050)), to: &rtcp)
        let middle = packets.count / 2
        let (got, demuxer) = try depacketize(packets, descriptions, rtcp: [(after: middle, bytes: rtcp)])
        #expect(demuxer.stats.senderReports == 2 && demuxer.stats.droppedOverlap >= 1)
        let audio = got.of(track: 2)
        #expect(zip(audio, audio.dropFirst()).allSatisfy { $0.info.dts < $1.info.dts })
        #expect(audio.count + demuxer.stats.droppedOverlap == frames.of(track: 2).count)
        let video = got.of(track: 1), source = frames.of(track: 1)
        #expect(video.count == source.count)
        let offset = video[0].info.pts - source[0].info.pts
        #expect(zip(video, source).allSatisfy { $0.info.pts - $1.info.pts == offset })
    }

    @Test func g711() throws {
        let description = try RTPTrackDescription(encodingName: nil, payloadType: 8, clockRate: nil)
        #expect(description.codec == .pcma && description.clockRate == 8000)
        var track = Track(id: 1, codec: .pcma)
        track.sampleRate = 8000
        let frames = (0..<10).map { Frame(info: FrameInfo(track: 1, flags: .keyframe, dts: Int64($0) * 1800, pts: Int64($0) * 1800),
                                          payload: Array(repeating: UInt8($0), count: 160)) }
        let packets = try packetize(frames, tracks: [track], descriptions: [description])
        #expect(packets.count == 10 && packets.allSatisfy { $0.bytes.count == 172 && $0.bytes[1] == 0x88 })
        let (got, _) = try depacketize(packets, [description])
        expectSame(got, frames, audio: true)
    }
}
