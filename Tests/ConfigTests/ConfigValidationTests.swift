import Testing
@testable import Config

@Suite struct ConfigValidationTests {
    @Test func streamNames() {
        #expect(diagnostics("stream bad!name { input fake://fake; }")
            == ["t.conf:1:1: error: invalid stream name 'bad!name': use Latin letters, digits, '.', '-' and '_'"])
        #expect(diagnostics("stream a/b { input fake://fake; }").count == 1)
        #expect(diagnostics("stream ok.name-1_x { input fake://fake; }").isEmpty)
        #expect(diagnostics("template t/x { prefix a/b; input publish://; }").isEmpty)
        #expect(diagnostics("template t { prefix a//b; }")
            == ["t.conf:1:1: error: template 't' needs 'prefix P;' (the names of the streams it makes)",
                "t.conf:1:21: error: invalid prefix 'a//b': use Latin letters, digits, '.', '-', '_' and '/' between them"])
    }

    @Test func duplicates() {
        #expect(diagnostics("stream a { input fake://fake; }\nondemand a { input fake://fake; }")
            == ["t.conf:2:1: error: duplicate stream name 'a' (first defined at t.conf:1:1)"])
        #expect(diagnostics("template a { prefix p; }\ntemplate b { prefix p; }")
            == ["t.conf:2:1: error: template prefix 'p' is already used by template 'a'"])
        #expect(diagnostics("http 80;\nrtmp 80;\nsrt 80;")
            == ["t.conf:2:1: error: rtmp 80: this address is already used by 'http'"])
        #expect(diagnostics("vod v { storage /a; }\nfile v { path /b; }") == ["t.conf:2:1: error: duplicate vod location name 'v'"])
        #expect(diagnostics("stream a { input fake://fake;\n source_timeout 5;\n source_timeout 6; }")
            == ["t.conf:3:2: error: 'source_timeout' is already set at line 2; it may appear only once here"])
        #expect(diagnostics("loglevel info;\nloglevel debug;")
            == ["t.conf:2:1: error: 'loglevel' is already set at line 1; it may appear only once here"])
        #expect(diagnostics("stream a { input fake://fake;\n dvr /a;\n dvr_offline /b; }")
            == ["t.conf:3:2: error: 'dvr_offline' is already set at line 2; it may appear only once here"])
    }

    @Test func udpAddressFeedsOneStream() {
        let text = """
            stream a { input udp://239.0.0.1:1234; }
            stream b {
              input udp://239.0.0.2:1234;
              input udp://239.0.0.1:1234;
            }
            stream c { input udp://eth1@239.0.0.1:1234; input udp://:9; input udp://0.0.0.0:9; }
            """
        #expect(diagnostics(text) == [
            "t.conf:4:3: error: UDP source udp://239.0.0.1:1234 is already the input of stream 'a'; a UDP address may feed one stream only",
        ])
    }

    @Test func timeouts() {
        #expect(diagnostics("stream a { input fake://fake; source_timeout 10; frames_timeout 10; }")
            == ["t.conf:1:50: error: frames_timeout 10 must be less than source_timeout 10"])
        #expect(diagnostics("stream a { input fake://fake; frames_timeout 60; }")
            == ["t.conf:1:31: error: frames_timeout 60 must be less than source_timeout 60 (the default)"])
        #expect(diagnostics("stream a { input hls://h/x.m3u8; frames_timeout 60; }").isEmpty)
    }

    @Test func numbersInRange() {
        #expect(diagnostics("http 0;") == ["t.conf:1:6: error: 'http': expected [ADDR:]PORT with a port in 1...65535, got '0'"])
        #expect(diagnostics("http 65536;").count == 1)
        #expect(diagnostics("workers 0;") == ["t.conf:1:9: error: 'workers': 0 is out of range 1...1024"])
        #expect(diagnostics("stream a { input fake://fake; segment_count 0; }")
            == ["t.conf:1:45: error: 'segment_count': 0 is out of range 1...1000"])
        #expect(diagnostics("stream a { input fake://fake; mpegts_pids pmt=8191 v1=15 a0=15 t1=16#1FFE; }")
            == ["t.conf:1:43: error: 'mpegts_pids pmt=': 8191 is out of range 16...8190",
                "t.conf:1:52: error: 'mpegts_pids v1=': 15 is out of range 16...8190"])
        #expect(diagnostics("stream a { input fake://fake; segment_duration ten; }")
            == ["t.conf:1:48: error: 'segment_duration': expected a duration such as 10, 10s, 5m, 20h or 5d, got 'ten'"])
        #expect(diagnostics("stream a { input udp://:1 priority=0; }")
            == ["t.conf:1:27: error: 'priority=' of input udp://:1: 0 is out of range 1...100"])
        #expect(diagnostics("stream a { input fake://fake; max_sessions 99999999999999999999999; }").count == 1)
        #expect(diagnostics("stream a { input fake://fake; dvr /s 101%; }")
            == ["t.conf:1:38: error: 'dvr': expected a percentage 1%...100%, got '101%'"])
    }

    @Test func unknownDirectivesSuggestTheClosest() {
        #expect(diagnostics("stream a { inptu fake://fake; }") == [
            "t.conf:1:1: error: stream 'a' has no input (add 'input URL;', or 'input publish://;' to accept publishing)",
            "t.conf:1:12: error: unknown directive 'inptu' in a stream block; did you mean 'input'?",
        ])
        #expect(diagnostics("htp 80;") == ["t.conf:1:1: error: unknown directive 'htp' in the global section; did you mean 'http'?"])
        #expect(diagnostics("source_timeout 5;") == [
            "t.conf:1:1: error: unknown directive 'source_timeout' in the global section; 'source_timeout' is a stream option: put it inside a stream block",
        ])
        #expect(diagnostics("frobnicate;") == ["t.conf:1:1: error: unknown directive 'frobnicate' in the global section"])
    }

    @Test func argumentCounts() {
        #expect(diagnostics("http;") == ["t.conf:1:1: error: 'http' takes 1 argument, got 0 (usage: http [ADDR:]PORT)"])
        #expect(diagnostics("http 80 81;") == ["t.conf:1:9: error: too many arguments for 'http': unexpected '81' (usage: http [ADDR:]PORT)"])
        #expect(diagnostics("stream a { input fake://fake; disabled yes; }")
            == ["t.conf:1:40: error: too many arguments for 'disabled': unexpected 'yes' (usage: disabled)"])
        #expect(diagnostics("stream a { input fake://fake; meta k; }")
            == ["t.conf:1:31: error: 'meta' takes 2 arguments, got 1 (usage: meta KEY VALUE)"])
        #expect(diagnostics("stream { input fake://fake; }")
            == ["t.conf:1:1: error: 'stream' takes 1 argument, got 0 (usage: stream NAME { ... })"])
        #expect(diagnostics("stream a;") == ["t.conf:1:1: error: 'stream' needs a block: stream NAME { ... }"])
        #expect(diagnostics("stream a { input fake://fake { } }") == [
            "t.conf:1:1: error: stream 'a' has no input (add 'input URL;', or 'input publish://;' to accept publishing)",
            "t.conf:1:12: error: 'input' does not take a block: end it with ';'",
        ])
    }

    @Test func storagesInputsAndPushes() {
        #expect(diagnostics("stream a { input fake://fake; dvr @raid 1d; }")
            == ["t.conf:1:31: error: 'dvr @raid': no storage named 'raid' (define it with dvr raid { root DIR; })"])
        #expect(diagnostics("dvr /storage 1d;").count == 1)
        #expect(diagnostics("stream a { input http://h/x.ts; }") == [
            "t.conf:1:1: error: stream 'a' has no input (add 'input URL;', or 'input publish://;' to accept publishing)",
            "t.conf:1:18: error: 'http://h/x.ts': plain http:// is ambiguous as an input; write tshttp:// for MPEG-TS over HTTP or hls:// for HLS",
        ])
        #expect(diagnostics("ondemand a { retry_limit 3; }")
            == ["t.conf:1:1: error: ondemand 'a' has no input (add 'input URL;', or 'input publish://;' to accept publishing)"])
        #expect(diagnostics("template t { prefix t; }").isEmpty)
        #expect(diagnostics("stream a { input fake://fake; push hls://h/x; }")
            == ["t.conf:1:36: error: 'push' sends to rtmp://, rtmps://, srt://, udp://, not hls://"])
        #expect(diagnostics("stream a { input fake://fake; push rtmp://h/a/b ttl=3; }")
            == ["t.conf:1:49: error: 'ttl' applies to udp:// pushes only"])
        #expect(diagnostics("stream a { input fake://fake; push udp://239.0.0.1:1 retry_timeout=3; }")
            == ["t.conf:1:54: error: 'retry_timeout' applies to rtmp:// and srt:// pushes only"])
        #expect(diagnostics("stream a { input fake://fake; push udp://239.0.0.1:1 ttl=2 multicast_ttl=3; }")
            == ["t.conf:1:60: error: 'push': option 'multicast_ttl' given twice"])
        #expect(diagnostics("stream a { input fake://fake; prefix p; }")
            == ["t.conf:1:31: error: 'prefix' is for templates only (template NAME { prefix P; ... })"])
        #expect(diagnostics("stream a { input fake://fake; logo width=3 left=1 right=2; }") == [
            "t.conf:1:31: error: 'logo': give one of left= and right=, and one of top= and bottom=",
            "t.conf:1:31: error: 'logo' needs path=FILE",
        ])
        #expect(diagnostics("stream a { input fake://fake; allowed_countries USA; }")
            == ["t.conf:1:49: error: 'allowed_countries': expected two-letter country codes, got 'USA'"])
    }

    @Test func warningsDoNotStopTheConfig() throws {
        let result = parseConfig("stream a { input rtsp://h/%s; backup vod/x.mp4; }")
        #expect(result.diagnostics.map(\.description) == [
            "t.conf:1:12: warning: '%s' in rtsp://h/%s is replaced only in templates; here it is taken literally",
            "t.conf:1:31: warning: no vod location named 'vod' for backup vod/x.mp4",
        ])
        #expect(result.config != nil)
        #expect(result.warnings.count == 2 && result.errors.isEmpty)
    }

    @Test func everyErrorIsReportedNotJustTheFirst() {
        let text = """
            htp 80;
            stream a { input http://x; }
            stream a { input fake://fake; segment_count 0 }
            """
        let result = parseConfig(text)
        #expect(result.config == nil)
        #expect(result.errors.count == 6)
    }
}
