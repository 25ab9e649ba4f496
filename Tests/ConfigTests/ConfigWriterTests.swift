import Testing
@testable import Config

@Suite struct ConfigWriterTests {
    static let realLooking = """
        # Sluice on the head-end.
        http 80; # viewers
        http 127.0.0.1:8080;
        rtmp 1935;
        edit_auth admin "pass word";
        url_prefix http://cdn.example.com/;
        loglevel info;

        file vod { path /var/vod; }   # legacy VOD spelling
        dvr raid {
          root /storage; # big disks
          disk /mnt/d1;
        };
        event_sink hooks {
          url http://backend/events;
          only event=source_opened,source_closed;
        }

        # The news channel, from the DVB receiver.
        stream news {
          # primary
          url udp://eth1@239.0.0.1:1234/10.0.0.2 priority=1;
          input tshttp://backup-host/news/mpegts priority=2 source_timeout=20;
          push udp://239.255.0.1:5000 multicast_ttl=4 cbr=4000 multicast_loop;
          push rtmp://a.rtmp.youtube.com/live2/KEY retry_timeout=10;
          dvr @raid 5d 90% schedule=8:00-16:00,22-1:30;
          thumbnails;
          mpegts_pids pmt=16#1000 sdt=0x12 v1=211 a0=220;
          meta program_id "10";
          meta title "News at \\"ten\\"";
          provider "Sluice TV";
          backup vod/blank.mp4;
          frames_timeout 3;
          # end of news
        };

        ondemand cam1 {
          input rtsp://admin:secret@10.0.0.5:554/h264 tracks=1;
          rtp udp;
          retry_limit 10;
          clients_timeout 20;
          logo path=logo.png width=100 right=0 bottom=0;
        }

        live chats {
          password secret;
          on_publish http://auth/publish;
        }

        template nsk {
          prefix nsk;
          input rtsp://streamer:555/%s;
          prepush off;
          segment_duration 4; segment_count 6; add_audio_only; disabled; group sport;
          on_play http://auth/play; domains *; allowed_countries CA US;
          max_sessions 100; max_bitrate 5000;
        }
        # last words
        """

    @Test func roundTripKeepsModelAndComments() throws {
        let first = parseConfig(Self.realLooking)
        #expect(first.diagnostics.isEmpty)
        let config = try #require(first.config)
        let text = config.written()
        let second = parseConfig(text)
        #expect(second.diagnostics.isEmpty)
        let reparsed = try #require(second.config)
        #expect(reparsed == config)
        #expect(reparsed.written() == text)
        for comment in [" Sluice on the head-end.", " viewers", " legacy VOD spelling", " big disks", " The news channel, from the DVB receiver.",
            " primary", " end of news", " last words"]
        {
            #expect(text.contains("#" + comment))
        }
        #expect(!text.contains("url udp") && !text.contains("live ") && !text.contains("file ") && !text.contains("};"))
    }

    @Test func canonicalLayout() throws {
        let config = try #require(parseConfig("""
            # top
            http 8080;
            stream  demo {input fake://fake ;   # test picture
            dvr /storage 86400 10G;
            meta note "a \\"b\\"";}
            live pub{}
            """).config)
        #expect(config.written() == """
            # top
            http 8080;

            stream demo {
              input fake://fake; # test picture
              dvr /storage 1d 10G;
              meta note "a \\"b\\"";
            }

            template pub {
              prefix pub;
              input publish://;
            }

            """)
    }

    @Test func valuesThatNeedQuotesAreQuoted() throws {
        var config = ServerConfig()
        var settings = StreamSettings()
        settings.inputs = [InputConfig(url: try InputURL(parsing: "fake://fake"), options: [URLOption("a=b"), URLOption("t", "x y")])]
        settings.password = "#not a comment;{}"
        settings.provider = ""
        settings.meta = [MetaEntry("back\\slash", "tab\there")]
        config.streams = [StreamConfig(name: "s", kind: .static, settings: settings)]
        let text = config.written()
        let reparsed = parseConfig(text)
        #expect(reparsed.diagnostics.isEmpty)
        #expect(reparsed.config == config)
    }

    @Test func commentsStayOutOfEquality() throws {
        let a = try #require(parseConfig("# one\nstream a { input fake://fake; } # x").config)
        let b = try #require(parseConfig("\n\n\nstream a {\n # two\n input fake://fake;\n}").config)
        #expect(a == b)
        #expect(a.written() != b.written())
    }
}
