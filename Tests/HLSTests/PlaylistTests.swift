import Foundation
import Testing
@testable import HLS
@testable import Media

/// Media and master playlists, byte for byte.
@Suite struct PlaylistTests {
    static let start: Int64 = 1_795_543_597_123

    /// Segments 10 and 11 (4 s), 12 (4.16 s, after a source restart), 13 (still being written).
    static let segments = [
        HLSSegment(number: 10, discontinuitySequence: 0, isDiscontinuity: false, generation: 1, startDTS: 0,
                   duration: 360_000, wallClockMs: start, byteSize: 500_000),
        HLSSegment(number: 11, discontinuitySequence: 0, isDiscontinuity: false, generation: 1, startDTS: 360_000,
                   duration: 360_000, wallClockMs: start + 4000, byteSize: 500_000),
        HLSSegment(number: 12, discontinuitySequence: 1, isDiscontinuity: true, generation: 2, startDTS: 0,
                   duration: 374_400, wallClockMs: start + 8877, byteSize: 600_000),
        HLSSegment(number: 13, discontinuitySequence: 1, isDiscontinuity: false, generation: 2, startDTS: 374_400,
                   wallClockMs: start + 13_037),
    ]

    @Test func mediaPlaylistWithADiscontinuity() throws {
        let playlist = MediaPlaylist(stream: "news")
        let text = try #require(playlist.write(Self.segments, longestSegment: 0))
        #expect(text == """
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:10
            #EXT-X-DISCONTINUITY-SEQUENCE:0
            #EXT-X-PROGRAM-DATE-TIME:2026-11-24T18:06:37.123Z
            #EXTINF:4.000,
            2026/11/24/18/06/37-04000.ts
            #EXTINF:4.000,
            2026/11/24/18/06/41-04000.ts
            #EXT-X-DISCONTINUITY
            #EXT-X-PROGRAM-DATE-TIME:2026-11-24T18:06:46.000Z
            #EXTINF:4.160,
            2026/11/24/18/06/46-04160.ts

            """)
    }

    @Test func theDiscontinuityLeavingTheWindowIsCountedNotTagged() throws {
        let playlist = MediaPlaylist(stream: "news", segmentCount: 2)
        var segments = Self.segments
        segments[3].duration = 360_000
        let text = try #require(playlist.write(segments, longestSegment: 585_000))
        #expect(text == """
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-TARGETDURATION:7
            #EXT-X-MEDIA-SEQUENCE:12
            #EXT-X-DISCONTINUITY-SEQUENCE:1
            #EXT-X-PROGRAM-DATE-TIME:2026-11-24T18:06:46.000Z
            #EXTINF:4.160,
            2026/11/24/18/06/46-04160.ts
            #EXTINF:4.000,
            2026/11/24/18/06/50-04000.ts

            """)
    }

    @Test func urlPrefixAndSelectionsPlaceSegmentURIs() throws {
        let complete = Array(Self.segments.prefix(2))
        let v1a1 = try #require(TrackSelection(tracksPathComponent: "v1a1"))
        let expectations: [(TrackSelection, String?, String)] = [
            (.all, nil, "2026/11/24/18/06/37-04000.ts"),
            (.mainVideoAndAudio, nil, "video/2026/11/24/18/06/37-04000.ts"),
            (v1a1, nil, "2026/11/24/18/06/37-04000.ts"),
            (.all, "http://cdn.example.com/", "http://cdn.example.com/chats/room-15/2026/11/24/18/06/37-04000.ts"),
            (.mainVideoAndAudio, "http://cdn.example.com",
             "http://cdn.example.com/chats/room-15/video/2026/11/24/18/06/37-04000.ts"),
            (v1a1, "https://cdn/base", "https://cdn/base/chats/room-15/tracks-v1a1/2026/11/24/18/06/37-04000.ts"),
        ]
        for (selection, prefix, uri) in expectations {
            let playlist = MediaPlaylist(stream: "chats/room-15", selection: selection, urlPrefix: prefix)
            let text = try #require(playlist.write(complete, longestSegment: 0))
            #expect(text.split(separator: "\n")[7] == uri[...], "\(selection) \(prefix ?? "-")")
        }
    }

    @Test func neverAnEmptyPlaylist() {
        let playlist = MediaPlaylist(stream: "news")
        #expect(playlist.minimumSegments == 2)
        #expect(playlist.write([], longestSegment: 0) == nil)
        #expect(playlist.write([Self.segments[0], Self.segments[3]], longestSegment: 0) == nil)
        #expect(!playlist.isReady(Array(Self.segments.suffix(2))))
        #expect(playlist.isReady(Self.segments))
        let single = MediaPlaylist(stream: "news", segmentCount: 1)
        #expect(single.minimumSegments == 1 && single.isReady([Self.segments[0]]))
    }

    @Test func targetDurationRoundsTheLongestSegmentAndNeverGoesBelowTheSetting() {
        let playlist = MediaPlaylist(stream: "news", segmentDuration: 4)
        #expect(playlist.targetDuration(longestSegment: 0) == 4)
        // 4.499 s and 4.500 s as EXTINF writes them (rounded to the millisecond), then rounded to the second.
        #expect(playlist.targetDuration(longestSegment: 404_910) == 4)
        #expect(playlist.targetDuration(longestSegment: 404_955) == 5)
        #expect(playlist.targetDuration(longestSegment: 405_000) == 5)
        #expect(playlist.targetDuration(longestSegment: 540_000) == 6)
        #expect(playlist.targetDuration(longestSegment: -5) == 4)
    }

    @Test func masterPlaylistWithAudioOnlyVariant() throws {
        let bytes = [UInt8](try Data(contentsOf: EndToEndTests.fixture))
        let tracks = TSDemuxer.frames(of: bytes).demuxer.tracks
        var video = try #require(tracks.first { $0.kind == .video })
        video.frameRate = 25
        let bandwidth = try #require(Bandwidth(segments: Self.segments))
        #expect(bandwidth == Bandwidth(peak: 1_153_847, average: 1_052_632))
        let audio = try #require(Bandwidth(bytes: 32_000, ticks: 360_000))
        let master = MasterPlaylist(stream: "news")
        let text = master.write(tracks: tracks.map { $0.kind == .video ? video : $0 }, bandwidth: bandwidth,
                                audioOnly: audio)
        #expect(text == """
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-STREAM-INF:BANDWIDTH=1153847,AVERAGE-BANDWIDTH=1052632,CODECS="avc1.64000d,mp4a.40.2",\
            RESOLUTION=320x240,FRAME-RATE=25.000
            mono.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=64000,AVERAGE-BANDWIDTH=64000,CODECS="mp4a.40.2"
            tracks-a1/mono.m3u8

            """)
        let absolute = MasterPlaylist(stream: "news", urlPrefix: "http://cdn").write(tracks: [tracks[1]],
                                                                                     bandwidth: audio, audioOnly: audio)
        #expect(absolute == """
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-STREAM-INF:BANDWIDTH=64000,AVERAGE-BANDWIDTH=64000,CODECS="mp4a.40.2"
            http://cdn/news/mono.m3u8

            """)
    }

    @Test func bandwidthNeedsMeasuredSegments() {
        #expect(Bandwidth(segments: [Self.segments[3]]) == nil)
        #expect(Bandwidth(bytes: 1, ticks: 0) == nil)
        #expect(Bandwidth(bytes: 1, ticks: 90_000) == Bandwidth(peak: 8, average: 8))
        #expect(Bandwidth(bytes: Int.max, ticks: 1) == nil)
    }
}
