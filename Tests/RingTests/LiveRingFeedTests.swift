import Media
import Testing
@testable import Ring

@Suite struct LiveRingFeedTests {
    /// Frames in order, tracks before the frame that needs them, a group start before each video keyframe, and the
    /// bitrate over the stream's own timeline.
    @Test func eventsInOrderAndTheBitrate() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 1 << 20)
            let feed = try LiveRingFeed(reader: try RingReader(open: name))
            var video = Track(id: 1, codec: .h264)
            video.parameterSets = ParameterSets(sps: [[0x67, 0x42]], pps: [[0x68]])
            try writer.setTracks([video])
            // 25 frames a second of 5,000 bytes (1 Mbit/s) for 6 s, a keyframe every second.
            for index in 0..<150 {
                let flags: FrameFlags = index % 25 == 0 ? (index == 0 ? [.keyframe, .configChange] : .keyframe) : []
                let dts = Int64(index) * 3600
                try writer.write(FrameInfo(track: 1, flags: flags, dts: dts, pts: dts), payload: [UInt8](repeating: 1, count: 5000))
            }
            var events: [String] = []
            feed.drain(lapped: { _ in events.append("lapped") }) { event in
                switch event {
                case .tracks(let tracks): events.append("tracks \(tracks.count)")
                case .groupStart: events.append("group")
                case .frame(let info, let payload): if info.dts == 0 || info.dts == 3600 { events.append("frame \(payload.count)") }
                }
            }
            #expect(events.prefix(4) == ["tracks 1", "group", "frame 5000", "frame 5000"])
            #expect(events.filter { $0 == "group" }.count == 6)
            #expect(!events.contains("lapped"))
            let rate = try #require(feed.bitsPerSecond)
            #expect(rate >= 990_000 && rate <= 1_010_000, "\(rate)")
        }
    }
}
