import Testing
@testable import HLS
@testable import Media

@Suite struct HLSRouteTests {
    static let name = SegmentName(startSecond: 1_795_543_597, durationMs: 5000)
    static let v1a1 = TrackSelection.tracks([.init(kind: .video, number: 1), .init(kind: .audio, number: 1)])

    @Test(arguments: [
        ("/news/index.m3u8", "news", HLSRoute.Request.masterPlaylist),
        ("news/playlist.m3u8", "news", .masterPlaylist),
        ("/news/mono.m3u8", "news", .mediaPlaylist(.all)),
        ("/news/video.m3u8", "news", .mediaPlaylist(.mainVideoAndAudio)),
        ("/news/tracks-v1a1/mono.m3u8", "news", .mediaPlaylist(v1a1)),
        ("/news/tracks-a1v1/mono.m3u8", "news", .mediaPlaylist(v1a1)),
        ("/news/mpegts", "news", .mpegts),
        ("/news/2026/11/24/18/06/37-05000.ts", "news", .segment(.all, name)),
        ("/news/video/2026/11/24/18/06/37-05000.ts", "news", .segment(.mainVideoAndAudio, name)),
        ("/news/tracks-v1a1/2026/11/24/18/06/37-05000.ts", "news", .segment(v1a1, name)),
        ("/chats/room-15/index.m3u8", "chats/room-15", .masterPlaylist),
        ("/chats/room-15/tracks-a2/mono.m3u8", "chats/room-15",
         .mediaPlaylist(.tracks([.init(kind: .audio, number: 2)]))),
        ("/a/b/c/2026/11/24/18/06/37-05000.ts", "a/b/c", .segment(.all, name)),
        ("/a/b/tracks-v1/2026/11/24/18/06/37-05000.ts", "a/b",
         .segment(.tracks([.init(kind: .video, number: 1)]), name)),
        // A part that is not a valid selection belongs to the name.
        ("/cam/tracks-x1/mono.m3u8", "cam/tracks-x1", .mediaPlaylist(.all)),
        // A selection needs a stream before it.
        ("/video/2026/11/24/18/06/37-05000.ts", "video", .segment(.all, name)),
        ("/tracks-v1/mono.m3u8", "tracks-v1", .mediaPlaylist(.all)),
        ("/s_1.hd-2/mpegts", "s_1.hd-2", .mpegts),
    ])
    func everyForm(_ path: String, _ stream: String, _ request: HLSRoute.Request) throws {
        let route = try #require(HLSRoute(path: path))
        #expect(route == HLSRoute(stream: stream, request: request))
    }

    @Test(arguments: [
        "", "/", "/index.m3u8", "index.m3u8", "/news/", "/news", "/news/index.m3u8/", "//news/index.m3u8",
        "/news//index.m3u8", "/../index.m3u8", "/news/../index.m3u8", "/./news/index.m3u8", "/news/../../etc/passwd",
        "/news/index.m3u", "/news/INDEX.M3U8", "/news/index.m3u8?token=1", "/news%2Fx/index.m3u8", "/news x/mpegts",
        "/news/2026/11/24/18/06/37-05000.mp4", "/2026/11/24/18/06/37-05000.ts", "/news/2026/13/24/18/06/37-05000.ts",
        "/news/11/24/18/06/37-05000.ts", "/news/tracks-/mono.m3u8/x", "/новости/index.m3u8", "\u{0}/index.m3u8",
        "/news/mpegts/x", "/news/tracks-v1a1/video.m3u8x",
    ])
    func garbageIsRefused(_ path: String) {
        #expect(HLSRoute(path: path) == nil)
    }

    @Test(arguments: ["v1a1", "a1a2", "v2", "a64", "v1v2a1a2a3"])
    func selectionsParse(_ text: String) throws {
        let selection = try #require(TrackSelection(tracksPathComponent: text[...]))
        #expect(selection.directory == "tracks-\(text)/")
        #expect(selection.playlistPath == "tracks-\(text)/mono.m3u8")
    }

    @Test(arguments: ["", "v", "v0", "v01", "a65", "v1v1", "x1", "v1 ", "V1", "a1a", "v100"])
    func badSelectionsAreRefused(_ text: String) {
        #expect(TrackSelection(tracksPathComponent: text[...]) == nil)
    }

    @Test func selectionsPickTracksByKindAndPosition() throws {
        let tracks = [Track(id: 1, codec: .h264), Track(id: 2, codec: .aac), Track(id: 3, codec: .h264),
                      Track(id: 4, codec: .mp2)]
        #expect(TrackSelection.all.select(from: tracks)?.map(\.id) == [1, 2, 3, 4])
        #expect(TrackSelection.mainVideoAndAudio.select(from: tracks)?.map(\.id) == [1, 2, 4])
        let a2v2 = try #require(TrackSelection(tracksPathComponent: "a2v2"))
        #expect(a2v2.select(from: tracks)?.map(\.id) == [3, 4])
        let v3 = try #require(TrackSelection(tracksPathComponent: "v3"))
        #expect(v3.select(from: tracks) == nil)
        #expect(TrackSelection.all.select(from: []) == nil)
        let audioOnly = [Track(id: 1, codec: .aac)]
        #expect(TrackSelection.mainVideoAndAudio.select(from: audioOnly)?.map(\.id) == [1])
        #expect(TrackSelection.mainVideoAndAudio.playlistPath == "video.m3u8")
        #expect(TrackSelection.all.playlistPath == "mono.m3u8")
    }
}
