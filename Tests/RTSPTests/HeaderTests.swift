import Testing
@testable import RTSP

@Suite struct HeaderTests {
    @Test func transport() throws {
        let list = try RTSPTransport.parseList("RTP/AVP/TCP;unicast;interleaved=0-1, RTP/AVP;unicast;client_port=5000-5001;mode=\"PLAY\"")
        #expect(list.count == 2)
        #expect(list[0].lowerTransport == .tcp && list[0].interleaved! == (0, 1))
        #expect(list[1].lowerTransport == .udp && list[1].clientPort! == (5000, 5001) && list[1].mode == "PLAY")
        let camera = try RTSPTransport(parsing: "RTP/AVP;unicast;client_port=5000-5001;server_port=8000-8001;ssrc=1A2B3C4D;source=10.0.0.2")
        #expect(camera.serverPort! == (8000, 8001) && camera.ssrc == 0x1A2B_3C4D && camera.source == "10.0.0.2")
        #expect(try RTSPTransport(parsing: camera.headerValue) == camera)
        #expect(try RTSPTransport(parsing: "RTP/AVP/TCP;interleaved=4").interleaved! == (4, 5))
        #expect(throws: RTSPError.self) { try RTSPTransport(parsing: "RTP/AVP;client_port=x-y") }
        #expect(throws: RTSPError.self) { try RTSPTransport(parsing: "garbage") }
        #expect(throws: RTSPError.self) { try RTSPTransport(parsing: "RTP/AVP/TCP;interleaved=300-301") }
    }

    @Test func sessionRTPInfoRange() {
        #expect(RTSPSessionHeader(parsing: "12345678;timeout=30") == RTSPSessionHeader(id: "12345678", timeout: 30))
        #expect(RTSPSessionHeader(parsing: "ABCD") == RTSPSessionHeader(id: "ABCD"))
        #expect(RTSPSessionHeader(parsing: " ") == nil)
        let infos = RTPInfo.parseList("url=rtsp://h/s/trackID=1;seq=100;rtptime=123456, url=trackID=2;seq=7")
        #expect(infos == [RTPInfo(url: "rtsp://h/s/trackID=1", sequenceNumber: 100, rtpTime: 123_456), RTPInfo(url: "trackID=2", sequenceNumber: 7)])
        #expect(RTSPRange(parsing: "npt=0.000-")?.startSeconds == 0)
        #expect(RTSPRange(parsing: "npt=now-")?.endSeconds == nil)
        #expect(RTSPRange(parsing: "clock=19961108T142300Z-")?.unit == "clock")
        #expect(RTSPRange(parsing: "nonsense") == nil)
    }

    @Test func urls() throws {
        let url = try RTSPURL("rtsp://ad%40min:p%3Ass@[fe80::1]:8554/Streaming/Channels/101?transportmode=unicast&tracks=2,1")
        #expect(url.user == "ad@min" && url.password == "p:ss" && url.host == "fe80::1" && url.port == 8554)
        #expect(url.path == "/Streaming/Channels/101" && url.query == "transportmode=unicast" && url.tracks == [2, 1])
        #expect(url.requestURL == "rtsp://[fe80::1]:8554/Streaming/Channels/101?transportmode=unicast")
        let plain = try RTSPURL("rtsp2://cam")
        #expect(plain.port == 554 && plain.path == "/" && plain.requestURL == "rtsp://cam/" && plain.credentials == nil)
        #expect(try RTSPURL("rtsps://cam/x").port == 322)
        for bad in ["http://x/", "rtsp://", "rtsp://h:99999/", "rtsp://u:%zz@h/", "rtsp://h/?tracks=0", "rtsp://[::1/"] {
            #expect(throws: RTSPError.self, "\(bad)") { try RTSPURL(bad) }
        }
    }

    /// RFC 2326 C.1.1 and what cameras send.
    @Test func controlResolution() {
        #expect(resolveRTSPURL("trackID=1", against: "rtsp://h/Streaming/Channels/101/") == "rtsp://h/Streaming/Channels/101/trackID=1")
        #expect(resolveRTSPURL("trackID=1", against: "rtsp://h/live") == "rtsp://h/live/trackID=1")
        #expect(resolveRTSPURL("trackID=0", against: "rtsp://h:554/cam/realmonitor?channel=1&subtype=0/")
            == "rtsp://h:554/cam/realmonitor?channel=1&subtype=0/trackID=0")
        #expect(resolveRTSPURL("rtsp://other/a/b", against: "rtsp://h/x/") == "rtsp://other/a/b")
        #expect(resolveRTSPURL("*", against: "rtsp://h/x/") == "rtsp://h/x/")
        #expect(resolveRTSPURL("/abs/path", against: "rtsp://h:8554/x/y") == "rtsp://h:8554/abs/path")
    }
}
