import Testing
@testable import Config

@Suite struct InputURLTests {
    @Test func generalForm() throws {
        let url = try InputURL(parsing: "rtsp://admin:se:cret@cam.local:8554/live/ch1?subtype=0&x")
        #expect(url.scheme == "rtsp" && url.user == "admin" && url.password == "se:cret")
        #expect(url.host == "cam.local" && url.port == 8554 && url.path == "/live/ch1")
        #expect(url.query == "subtype=0&x")
        #expect(url.queryItems == [URLOption("subtype", "0"), URLOption("x")])
        #expect(url.interface == nil && url.sourceInterfaceIP == nil)
        #expect(url.description == "rtsp://admin:se:cret@cam.local:8554/live/ch1?subtype=0&x")
    }

    @Test func udpForms() throws {
        let full = try InputURL(parsing: "udp://eth1@239.0.0.1:1234/10.0.0.2")
        #expect(full.interface == "eth1" && full.host == "239.0.0.1" && full.port == 1234)
        #expect(full.sourceInterfaceIP == "10.0.0.2" && full.path == "" && full.isMulticast)
        let any = try InputURL(parsing: "udp://:5000")
        #expect(any.host == "" && any.port == 5000 && !any.isMulticast)
        let wildcard = try InputURL(parsing: "udp://0.0.0.0:5000")
        #expect(wildcard.host == "0.0.0.0" && wildcard.user == nil)
        #expect(throws: InputURLError.self) { try InputURL(parsing: "udp://239.0.0.1") }
        #expect(throws: InputURLError.self) { try InputURL(parsing: "udp://@239.0.0.1:1") }
        #expect(throws: InputURLError.self) { try InputURL(parsing: "udp://239.0.0.1:1/a/b") }
    }

    @Test func otherSchemes() throws {
        let v6 = try InputURL(parsing: "SRT://[::1]:9000?streamid=#!::r=a,m=publish")
        #expect(v6.scheme == "srt" && v6.host == "::1" && v6.port == 9000 && v6.query == "streamid=#!::r=a,m=publish")
        #expect(try InputURL(parsing: "publish://").host == "")
        let timeshift = try InputURL(parsing: "timeshift://channel/7200")
        #expect(timeshift.host == "channel" && timeshift.path == "/7200")
        #expect(try InputURL(parsing: "file://vod/bunny.mp4").host == "vod")
        #expect(try InputURL(parsing: "hls://streamer:8081/%s/index.m3u8").path == "/%s/index.m3u8")
        for scheme in InputURL.inputSchemes where scheme != "publish" {
            #expect(throws: Never.self) { try InputURL(parsing: "\(scheme)://h:1/x") }
        }
    }

    @Test func passwordsAreMaskedForLogsAndStatus() throws {
        #expect(try InputURL(parsing: "rtsp://admin:s3cr%3Aet@10.0.0.2:554/Streaming/Channels/101?tracks=1").redacted
                    == "rtsp://admin:***@10.0.0.2:554/Streaming/Channels/101?tracks=1")
        #expect(try InputURL(parsing: "rtsp2://user:p@ss@[fe80::1]/x").redacted == "rtsp2://user:***@[fe80::1]/x")
        #expect(try InputURL(parsing: "rtsp://admin@cam/x").redacted == "rtsp://admin@cam/x")
        #expect(try InputURL(parsing: "rtsp://cam/x?a=b@c:d").redacted == "rtsp://cam/x?a=b@c:d")
        #expect(try InputURL(parsing: "udp://eth1@239.0.0.1:1234").redacted == "udp://eth1@239.0.0.1:1234")
    }

    @Test func rejectionsSayWhy() {
        func message(_ text: String) -> String? {
            do {
                _ = try InputURL(parsing: text)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(message("http://h/x.ts")?.contains("write tshttp:// for MPEG-TS over HTTP or hls:// for HLS") == true)
        #expect(message("https://h/x.m3u8")?.contains("tshttps://") == true)
        #expect(message("gopher://h")?.hasPrefix("'gopher://h': unknown scheme 'gopher://'") == true)
        #expect(message("just-a-name") == "'just-a-name' is not a URL: expected SCHEME://... (e.g. udp://239.0.0.1:1234)")
        #expect(message("rtmp://h:0/a") == "'rtmp://h:0/a': port '0' is not a number in 1...65535")
        #expect(message("rtmp://h:99999/a") != nil)
        #expect(message("rtmp://h:/a") != nil)
        #expect(message("rtmp:///a") == "'rtmp:///a': expected a host after 'rtmp://'")
        #expect(message("rtsp://[::1/x") != nil)
        #expect(message("1tp://h") != nil)
    }
}
