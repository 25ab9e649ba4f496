import Media
import RTP
import RTSP
import Testing
@testable import Ingest

/// The pure parts of taking an RTSP publisher: its SDP's tracks, which section each SETUP is for, `max_bitrate`.
@Suite struct RTSPPublishingTests {
    /// The media sections of what ffmpeg 5.1 announced to publish the H.264/AAC FLV fixture, with a metadata track
    /// and an MP3 one added as other encoders write them.
    static let sdp = """
        v=0\r
        o=- 0 0 IN IP4 127.0.0.1\r
        s=No Name\r
        t=0 0\r
        m=video 0 RTP/AVP 96\r
        a=rtpmap:96 H264/90000\r
        a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aOvjyyLA; profile-level-id=64000D\r
        a=control:streamid=0\r
        m=audio 0 RTP/AVP 97\r
        a=rtpmap:97 MPEG4-GENERIC/44100/2\r
        a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=121056E500\r
        a=control:streamid=1\r
        m=audio 0 RTP/AVP 14\r
        a=control:streamid=2\r
        m=application 0 RTP/AVP 107\r
        a=rtpmap:107 vnd.onvif.metadata/90000\r
        a=control:streamid=3\r

        """

    @Test func theSDPsAudioAndVideoBecomeDemuxerTracks() throws {
        let media = try SessionDescription(parsing: Array(Self.sdp.utf8)).media
        let video = try RTPTrackDescription(media: media[0])
        #expect(video.codec == .h264 && video.payloadType == 96 && video.clockRate == 90_000)
        #expect(video.fmtp["sprop-parameter-sets"] == "Z2QADazZQUH7ARAAAAMAEAAAAwMg8UKZYA==,aOvjyyLA")
        let audio = try RTPTrackDescription(media: media[1])
        #expect(audio.codec == .aac && audio.clockRate == 44_100 && audio.channels == 2 && audio.fmtp["config"] == "121056E500")
        #expect(throws: MediaError.self) { try RTPTrackDescription(media: media[2]) }
        _ = try RTPDemuxer([video, audio])
    }

    /// ffmpeg names its sections `streamid=N` and sets them up as `.../streamid=N`; a SETUP that names none takes the
    /// next section not set up.
    @Test func aSetupGoesToTheSectionItNames() {
        let controls: [String?] = ["streamid=0", "streamid=1", "rtsp://h/cam/trackID=7", nil]
        #expect(RTSPPublisher.section(track: 1, controls: controls, setUp: []) == 1)
        #expect(RTSPPublisher.section(track: 7, controls: controls, setUp: []) == 2)
        #expect(RTSPPublisher.section(track: nil, controls: controls, setUp: [0]) == 1)
        #expect(RTSPPublisher.section(track: 9, controls: controls, setUp: [0, 1, 2]) == 3)
        #expect(RTSPPublisher.section(track: nil, controls: controls, setUp: [0, 1, 2, 3]) == nil)
    }

    @Test func aPublisherOverMaxBitrateIsCutAtTheEndOfAWindow() {
        var limit = PublisherBitrateLimit(maxKilobitsPerSecond: 100, now: 1_000)
        #expect(limit.count(40_000, now: 2_000) == nil)
        #expect(limit.count(40_000, now: 5_999) == nil, "the window is not over")
        #expect(limit.count(1_000, now: 6_000) == "publisher over max_bitrate: 129 kbit/s > 100 kbit/s")
        #expect(limit.count(50_000, now: 11_000) == nil, "80 kbit/s over the next window")
        var unlimited = PublisherBitrateLimit(maxKilobitsPerSecond: nil, now: 0)
        #expect(unlimited.count(1 << 30, now: 60_000) == nil)
    }
}
