import Media
import RTP
import RTSP
import Testing
@testable import Edge

/// The RTP side of an RTSP channel: the SDP made from the ring's tracks, one packetization per frame shared by every
/// viewer, each viewer's RTP-Info where it joins, sender reports.
@Suite struct RTSPStreamPackagerTests {
    /// The SPS and PPS of the H.264/AAC FLV fixture (as ffmpeg put them in its SDP).
    static let sps = Base64.decode("Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==")!
    static let pps = Base64.decode("aOvjyyLA")!

    static var video: Track {
        var track = Track(id: 1, codec: .h264)
        try! track.applyParameterSets(ParameterSets(sps: [sps], pps: [pps]))
        return track
    }

    static var aac: Track {
        var track = Track(id: 2, codec: .aac)
        track.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 3, channelConfiguration: 2)
        track.sampleRate = 48_000
        track.channels = 2
        return track
    }

    static var tracks: [Track] {
        var alaw = Track(id: 3, codec: .pcma)
        alaw.sampleRate = 8000
        alaw.channels = 1
        return [video, aac, alaw, Track(id: 4, codec: .mp2), Track(id: 5, codec: .h265)]
    }

    /// A keyframe of two NAL units, length-prefixed (the ring's form), the second larger than one packet.
    static let keyframe: [UInt8] = [0, 0, 0, 3, 0x06, 0x05, 0x01] + [0, 0, 0x0B, 0xB8, 0x65] + [UInt8](repeating: 0xAB, count: 2999)
    static let frame: [UInt8] = [0, 0, 0, 4, 0x41, 1, 2, 3]

    /// Every packet of one frame, copied, with its output.
    static func packetize(_ packager: inout RTSPStreamPackager, _ info: FrameInfo, _ payload: [UInt8]) throws -> [(Int, RTPPacket, [UInt8])] {
        var out: [(Int, RTPPacket, [UInt8])] = []
        try payload.withUnsafeBytes { bytes in
            try packager.packetize(info, payload: bytes) { k, packet in
                out.append((k, try! RTPPacket(parsing: packet), Array(packet)))
            }
        }
        return out
    }

    @Test func theSDPDescribesTheTracksItCanCarry() throws {
        let packager = RTSPStreamPackager(tracks: Self.tracks)
        #expect(packager.outputs.map(\.track.id) == [1, 2, 3])
        #expect(packager.leftOut.map(\.id) == [4, 5])
        #expect(packager.leftOut.map(\.reason) == ["mp2 has no RTP mapping here", "H.265 without parameter sets"])
        let sdp = try SessionDescription(parsing: packager.sessionDescription(name: "cam").serialized())
        #expect(sdp.attributes.contains(SDPAttribute("control", "*")))
        let (video, audio, alaw) = (sdp.media[0], sdp.media[1], sdp.media[2])
        #expect(video.encodingName == "H264" && video.clockRate == 90_000 && video.payloadType == 96 && video.control == "trackID=1")
        #expect(video.parameterSets == [Self.sps, Self.pps] && video.formatParameter("packetization-mode") == "1")
        #expect(audio.encodingName == "MPEG4-GENERIC" && audio.clockRate == 48_000 && audio.channels == 2 && audio.payloadType == 97)
        #expect(audio.formatParameter("config") == "1190" && audio.formatParameter("sizelength") == "13" && audio.control == "trackID=2")
        #expect(alaw.encodingName == "PCMA" && alaw.payloadType == 8 && alaw.clockRate == 8000 && alaw.control == "trackID=3")
        #expect(packager.output(track: 3) == 2 && packager.output(track: 4) == nil)
    }

    @Test func anH265TrackIsDescribedWithItsThreeParameterSets() throws {
        var track = Track(id: 1, codec: .h265)
        track.parameterSets = ParameterSets(vps: [[0x40, 0x01, 1]], sps: [[0x42, 0x01, 2]], pps: [[0x44, 0x01, 3]])
        let media = RTSPStreamPackager(tracks: [track]).sessionDescription(name: "cam").media[0]
        #expect(media.encodingName == "H265" && media.formatParameter("sprop-vps") == Base64.encode([0x40, 0x01, 1]))
        #expect(media.formatParameter("sprop-sps") == Base64.encode([0x42, 0x01, 2]) && media.formatParameter("sprop-pps") == Base64.encode([0x44, 0x01, 3]))
    }

    /// One SSRC and one run of sequence numbers per track for the whole channel; parameter sets before keyframes;
    /// the marker on each access unit's last packet.
    @Test func eachFrameIsPacketizedOnceOnTheChannelsSequence() throws {
        var packager = RTSPStreamPackager(tracks: Self.tracks)
        var packets: [(Int, RTPPacket, [UInt8])] = []
        packets += try Self.packetize(&packager, FrameInfo(track: 1, flags: .keyframe, dts: 0, pts: 0), Self.keyframe)
        packets += try Self.packetize(&packager, FrameInfo(track: 2, flags: .keyframe, dts: 0, pts: 0), [0x21, 0x10, 0x04])
        packets += try Self.packetize(&packager, FrameInfo(track: 1, dts: 3600, pts: 3600), Self.frame)
        packets += try Self.packetize(&packager, FrameInfo(track: 4, flags: .keyframe, dts: 0, pts: 0), [0xFF, 0xFD])
        let video = packets.filter { $0.0 == 0 }.map(\.1), audio = packets.filter { $0.0 == 1 }.map(\.1)
        #expect(packets.allSatisfy { $0.0 != 3 }, "a track left out sends nothing")
        // SPS, PPS, SEI, three FU-A pieces of the IDR slice; then the next frame.
        #expect(video.count == 7 && audio.count == 1)
        #expect(video.allSatisfy { $0.ssrc == packager.outputs[0].packetizer.ssrc && $0.payloadType == 96 })
        #expect(zip(video, video.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        #expect(video.map(\.marker) == [false, false, false, false, false, true, true])
        #expect(packets.filter { $0.0 == 0 }.prefix(2).map { H264.nalType($0.2[12]) } == [H264.sps, H264.pps])
        #expect(video[6].timestamp == video[0].timestamp &+ 3600)
        #expect(audio[0].ssrc == packager.outputs[1].packetizer.ssrc && audio[0].marker)
        #expect(packager.outputs[0].packets == 7 && packager.outputs[1].packets == 1)
        #expect(packager.outputs[1].octets == 4 + 3, "AU-headers and the frame")
    }

    /// A viewer who joins at a group start is told, per track, the sequence number of the first packet it gets and
    /// the RTP time of the group's first frame; one who joins at a later group is told later values.
    @Test func rtpInfoSaysWhereEachViewerStarts() throws {
        var packager = RTSPStreamPackager(tracks: Self.tracks)
        #expect(packager.rtpInfo(urls: [0: "u"]).isEmpty, "nothing before the first group")
        var joins: [[RTPInfo]] = []
        var firsts: [[UInt16]] = []
        for group in 0..<2 {
            let pts = Int64(group) * 90_000 + 7200
            packager.startGroup(pts: pts)
            let info = packager.rtpInfo(urls: [1: "rtsp://h/cam/trackID=2", 0: "rtsp://h/cam/trackID=1"])
            joins.append(info)
            let video = try Self.packetize(&packager, FrameInfo(track: 1, flags: .keyframe, dts: pts, pts: pts), Self.keyframe)
            let audio = try Self.packetize(&packager, FrameInfo(track: 2, flags: .keyframe, dts: pts + 100, pts: pts + 100), [1, 2])
            firsts.append([video[0].1.sequenceNumber, audio[0].1.sequenceNumber])
            #expect(info.map(\.url) == ["rtsp://h/cam/trackID=1", "rtsp://h/cam/trackID=2"])
            #expect(info.map(\.sequenceNumber) == firsts[group].map(Optional.init))
            #expect(info[0].rtpTime == video[0].1.timestamp)
            #expect(info[1].rtpTime == packager.outputs[1].packetizer.rtpTimestamp(pts: pts), "audio aligned on the same instant")
            _ = try Self.packetize(&packager, FrameInfo(track: 1, dts: pts + 3600, pts: pts + 3600), Self.frame)
        }
        #expect(joins[1][0].sequenceNumber == joins[0][0].sequenceNumber.map { $0 &+ 7 })
        #expect(joins[1][0].rtpTime == joins[0][0].rtpTime.map { $0 &+ 90_000 })
        #expect(joins[1][1].rtpTime == joins[0][1].rtpTime.map { $0 &+ 48_000 })
    }

    @Test func newParameterSetsAndMissingTracksCarryOnAnotherCodecStartsAgain() {
        var packager = RTSPStreamPackager(tracks: Self.tracks)
        var changed = Self.tracks
        changed[0].parameterSets.pps = [[0x68, 0xCE, 0x38, 0x80]]
        let carriesOn = packager.update(tracks: changed)
        #expect(carriesOn && packager.outputs[0].track.parameterSets.pps == [[0x68, 0xCE, 0x38, 0x80]])
        // A source starting again announces its tracks one by one: the SDP's outputs wait for the missing ones.
        let ids = packager.outputs.map(\.track.id)
        let oneByOne = [Array(Self.tracks.prefix(1)), Self.tracks].map { packager.update(tracks: $0) }
        #expect(oneByOne == [true, true] && packager.outputs.map(\.track.id) == ids && ids.count > 1)
        var resampled = Self.tracks
        resampled[1].sampleRate = 44_100
        var recoded = Self.tracks
        recoded[1].codec = .pcma
        let startsAgain = [resampled, recoded].map { packager.update(tracks: $0) }
        #expect(startsAgain == [false, false])
    }

    /// Sender reports of one instant give every track the RTP time of that instant on its own clock.
    @Test func senderReportsOfOneInstantAlignTheTracks() throws {
        var packager = RTSPStreamPackager(tracks: Self.tracks)
        _ = try Self.packetize(&packager, FrameInfo(track: 1, flags: .keyframe, dts: 0, pts: 0), Self.keyframe)
        var reports: [RTCPPacket.SenderReport] = []
        for k in 0..<2 {
            var bytes: [UInt8] = []
            packager.appendSenderReport(output: k, pts: 180_000, ntp: 0xE000_0000_8000_0000, cname: "sluice/cam", to: &bytes)
            let packets = try bytes.withUnsafeBytes { try RTCPPacket.parseCompound($0) }
            guard case .senderReport(let report) = packets.first else { Issue.record("\(packets)"); return }
            #expect(packets.last == .sourceDescription([.init(ssrc: report.ssrc, cname: "sluice/cam")]))
            reports.append(report)
        }
        #expect(reports.map(\.ssrc) == packager.outputs.prefix(2).map(\.packetizer.ssrc))
        #expect(reports[0].rtpTimestamp == packager.outputs[0].packetizer.rtpTimestamp(pts: 0) &+ 180_000)
        #expect(reports[1].rtpTimestamp == packager.outputs[1].packetizer.rtpTimestamp(pts: 0) &+ 96_000)
        #expect(reports[0].packetCount == 6 && reports[1].packetCount == 0)
        #expect(Set(reports.map(\.ntpTimestamp)) == [0xE000_0000_8000_0000])
    }
}

@Suite struct RTSPSenderReportClockTests {
    @Test func reportsAreDueAtOnceThenEveryFiveSeconds() {
        var clock = RTSPSenderReportClock(pts: 0, unixMs: 0, nowMs: 1_000)
        let due = [1_000, 1_001, 5_999, 6_000, 10_999, 12_500, 17_499, 17_500].map { clock.isDue(nowMs: $0) }
        #expect(due == [true, false, false, true, false, true, false, true])
    }

    /// The stream's timeline is laid on the wall clock at the first frame, and follows it linearly.
    @Test func theTimelineMapsToNTPFromTheFirstFrame() {
        let clock = RTSPSenderReportClock(pts: 900_000, unixMs: 1_700_000_000_250, nowMs: 5)
        let seconds = UInt64(1_700_000_000) + RTSPSenderReportClock.ntpUnixOffset
        #expect(clock.ntp(pts: 900_000) == seconds << 32 | 0x4000_0000)
        #expect(clock.ntp(pts: 900_000 + 90_000) == (seconds + 1) << 32 | 0x4000_0000)
        #expect(clock.ntp(pts: 900_000 + 22_500) == (seconds << 32) + 0x8000_0000)
        #expect(clock.ntp(pts: 900_000 - 22_500) == seconds << 32)
    }
}
