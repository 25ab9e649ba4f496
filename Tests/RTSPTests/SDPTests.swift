import Testing
@testable import RTSP

/// Session descriptions in the shapes cameras send them, and hostile ones. The Hikvision, Dahua and Axis fixtures
/// are reconstructions of those cameras' usual answers and of the RFC 8866 / 6184 examples, not captures; real
/// exchanges are checked end to end against a GStreamer camera (IntegrationTests' RTSPInputTests).
@Suite struct SDPTests {
    static let hikvision = """
        v=0
        o=- 1109162014219182 1109162014219192 IN IP4 192.168.1.64
        s=Media Presentation
        e=NONE
        b=AS:5050
        t=0 0
        a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/?transportmode=unicast
        m=video 0 RTP/AVP 96
        c=IN IP4 0.0.0.0
        b=AS:5000
        a=recvonly
        a=x-dimensions:1920,1080
        a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=1?transportmode=unicast
        a=rtpmap:96 H265/90000
        a=fmtp:96 sprop-vps=QAEMAf//AWAAAAMAsAAAAwAAAwB7rAk=; sprop-sps=QgEBAWAAAAMAsAAAAwAAAwB7oAPAgBDlja5JMvTcBAQEAg==; sprop-pps=RAHA8vA8kAA=
        m=audio 0 RTP/AVP 8
        c=IN IP4 0.0.0.0
        b=AS:50
        a=recvonly
        a=control:rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast
        a=rtpmap:8 PCMA/8000
        a=Media_header:MEDIAINFO=494D4B48010100000400000100000000000000000000000000000000000000000000000000000000;
        a=appversion:1.0
        """

    static let dahua = "v=0\r\no=- 2251938191 2251938191 IN IP4 0.0.0.0\r\ns=Media Server\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\na=packetization-supported:DH\r\na=rtppayload-supported:DH\r\na=range:npt=now-\r\nm=video 0 RTP/AVP 96\r\na=control:trackID=0\r\na=framerate:25.000000\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;profile-level-id=4D002A;sprop-parameter-sets=Z00AKp2oHgCJ+WbgICAoAAADAAgAAAMBlCA=,aO48gA==\r\na=recvonly\r\nm=audio 0 RTP/AVP 97\r\na=control:trackID=1\r\na=rtpmap:97 MPEG4-GENERIC/16000/1\r\na=fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1408\r\na=recvonly\r\nm=application 0 RTP/AVP 107\r\na=control:trackID=4\r\na=rtpmap:107 vnd.onvif.metadata/90000\r\na=recvonly\r\n"

    @Test func hikvisionH265AndALaw() throws {
        let description = try SessionDescription(parsing: Array(Self.hikvision.utf8))
        #expect(description.sessionName == "Media Presentation" && description.media.count == 2)
        let video = description.media[0]
        #expect(video.payloadType == 96 && video.encodingName == "H265" && video.clockRate == 90000 && video.channels == nil)
        #expect(video.formatParameter("sprop-vps") == "QAEMAf//AWAAAAMAsAAAAwAAAwB7rAk=" && video.bandwidthAS == 5000)
        let audio = description.media[1]
        #expect(audio.encodingName == "PCMA" && audio.clockRate == 8000 && audio.channels == 1)
        #expect(audio.control == "rtsp://192.168.1.64:554/Streaming/Channels/101/trackID=2?transportmode=unicast")
    }

    @Test func dahuaH264AACAndMetadata() throws {
        let description = try SessionDescription(parsing: Array(Self.dahua.utf8))
        #expect(description.control == "*" && description.range?.start == "now" && description.media.count == 3)
        let video = description.media[0]
        #expect(video.frameRate == 25 && video.formatParameter("packetization-mode") == "1")
        #expect(video.parameterSets.count == 2 && video.parameterSets[1] == [0x68, 0xEE, 0x3C, 0x80])
        let audio = description.media[1]
        #expect(audio.encodingName == "MPEG4-GENERIC" && audio.clockRate == 16000 && audio.formatParameter("config") == "1408")
        #expect(description.media[2].type == "application")
    }

    @Test func staticPayloadTypeWithoutRTPMap() throws {
        let description = try SessionDescription(parsing: Array("m=audio 0 RTP/AVP 0   \nm=video 0 RTP/AVP 26\n".utf8))
        #expect(description.media[0].encodingName == "PCMU" && description.media[0].clockRate == 8000)
        #expect(description.media[1].encodingName == "JPEG")
    }

    @Test func writesAndReadsBack() throws {
        let sps: [UInt8] = [0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9]
        let description = SessionDescription.live(name: "cam", media: [
            .h264(sps: sps, pps: [0x68, 0xEB], control: "trackID=1"),
            .h265(payloadType: 98, vps: [0x40, 1], sps: [0x42, 1], pps: [0x44, 1], control: "trackID=2"),
            .aac(sampleRate: 48000, channels: 2, audioSpecificConfig: [0x11, 0x90], control: "trackID=3"),
            .g711(aLaw: true, control: "trackID=4"),
        ])
        let parsed = try SessionDescription(parsing: description.serialized())
        #expect(parsed == description)
        #expect(parsed.media[0].formatParameter("profile-level-id") == "64001F" && parsed.media[0].parameterSets == [sps, [0x68, 0xEB]])
        #expect(parsed.media[2].clockRate == 48000 && parsed.media[2].channels == 2 && parsed.media[2].formatParameter("config") == "1190")
        #expect(parsed.media[3].payloadType == 8 && parsed.media[3].encodingName == "PCMA")
    }

    @Test func refusesGarbage() {
        let bad = [
            "v=0\nthis is not sdp\n", "m=video x RTP/AVP 96\n", "m=video\n", "m=video 0 RTP/AVP 96\na=rtpmap:96 H264\n",
            "m=video 0 RTP/AVP 96\na=rtpmap:abc H264/90000\n", "v=zero\n", "\u{0}\u{1}binary", "<html><body>404</body></html>",
            String(repeating: "m=audio 0 RTP/AVP 0\n", count: 65),
        ]
        for text in bad {
            #expect(throws: RTSPError.self, "\(text.prefix(30))") { try SessionDescription(parsing: Array(text.utf8)) }
        }
        #expect(throws: RTSPError.self) { try SessionDescription(parsing: [UInt8](repeating: 0x61, count: 70_000)) }
    }
}
