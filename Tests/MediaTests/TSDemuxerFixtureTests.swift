import Testing
@testable import Media

/// The demuxer over the ffmpeg-made fixtures (scripts/make-fixtures.sh); counts cross-checked with
/// `ffprobe -show_packets`. Every stream is fed whole, byte by byte and in random chunks, with identical results.
@Suite struct TSDemuxerFixtureTests {
    /// Demuxes `name` the three ways, checks they agree, and returns the frames and the demuxer.
    private func demuxAllWays(_ name: String, options: TSDemuxer.Options = .init()) throws -> (frames: [Frame], demuxer: TSDemuxer) {
        let bytes = try Fixture.bytes(name)
        let reference = Feeding.whole.run(bytes, options: options)
        for feeding in [Feeding.byteByByte, .randomChunks] {
            let other = feeding.run(bytes, options: options)
            expectSameFrames(other.frames, reference.frames, "\(name) fed \(feeding)")
            #expect(other.demuxer.tracks == reference.demuxer.tracks, "\(name) fed \(feeding)")
            #expect(other.demuxer.stats == reference.demuxer.stats, "\(name) fed \(feeding)")
        }
        return reference
    }

    /// Per track: DTS never decreases, PTS >= DTS, audio frames are all keyframes.
    private func checkTimestamps(_ frames: [Frame], _ tracks: [Track]) {
        for track in tracks {
            let f = frames.of(track: track.id)
            for (a, b) in zip(f, f.dropFirst()) { #expect(b.info.dts >= a.info.dts, "track \(track.id)") }
            #expect(f.allSatisfy { $0.info.pts >= $0.info.dts })
            if track.kind == .audio { #expect(f.allSatisfy { $0.info.isKeyframe }) }
        }
    }

    @Test func h264AAC() throws {
        let (frames, demuxer) = try demuxAllWays("h264_aac.ts")
        let tracks = demuxer.tracks
        try #require(tracks.count == 2)
        #expect(tracks[0].id == 1 && tracks[0].codec == .h264 && tracks[0].width == 320 && tracks[0].height == 240)
        #expect(tracks[0].parameterSets.sps.count == 1 && tracks[0].parameterSets.pps.count == 1)
        #expect(tracks[1].id == 2 && tracks[1].codec == .aac && tracks[1].sampleRate == 44100 && tracks[1].channels == 2)
        #expect(tracks[1].audioConfig?.bytes == [0x12, 0x10])
        let video = frames.of(track: 1), audio = frames.of(track: 2)
        #expect(video.count == 50 && video.filter { $0.info.isKeyframe }.count == 2)
        #expect(audio.count == 88)
        // ffprobe: video 71294 bytes as Annex B with parameter sets and AUDs; here without them.
        #expect(audio.reduce(0) { $0 + $1.payload.count } == 16243)
        // The first frame of each track carries the configuration; no discontinuity anywhere.
        #expect(video[0].info.flags == [.keyframe, .configChange])
        #expect(audio[0].info.flags == [.keyframe, .configChange])
        #expect(frames.allSatisfy { !$0.info.flags.contains(.discontinuity) })
        // The first timestamps are the source's (ffmpeg starts at 1.4 s), not zero.
        #expect(video[0].info.dts == 126_000 && video[0].info.pts == 133_200)
        // AAC frames follow each other by 1024 samples at 44.1 kHz.
        #expect(audio[1].info.pts - audio[0].info.pts == MediaTime.from(1024, rate: 44100))
        // Video payload: length-prefixed NAL units, none of them a parameter set or delimiter.
        for frame in video {
            for nal in try LengthPrefixed.nalUnits(frame.payload) {
                #expect(![H264.sps, H264.pps, H264.aud].contains(H264.nalType(nal[0])))
            }
        }
        checkTimestamps(frames, tracks)
        let stats = demuxer.stats
        #expect(stats.packets == 556 && stats.bytes == 104_528 && stats.skippedBytes == 0)
        #expect(stats.continuityErrors == 0 && stats.crcErrors == 0 && stats.pesErrors == 0 && stats.droppedFrames == 0)
        #expect(stats.pcrCount > 0 && stats.lastPCR[256] != nil)
        let program = try #require(demuxer.programs.first)
        #expect(program.number == 1 && program.pmtPID == 0x1000 && program.pcrPID == 256)
        #expect(program.name == "Service01" && program.provider == "FFmpeg")
        #expect(program.streams.map(\.pid) == [256, 257] && program.streams.map(\.trackID) == [1, 2])
    }

    @Test func h265MP2() throws {
        let (frames, demuxer) = try demuxAllWays("h265_mp2.ts")
        let tracks = demuxer.tracks
        try #require(tracks.count == 2)
        #expect(tracks[0].codec == .h265 && tracks[0].width == 320 && tracks[0].height == 240)
        let sets = tracks[0].parameterSets
        #expect(sets.vps.count == 1 && sets.sps.count == 1 && sets.pps.count == 1)
        #expect(tracks[1].codec == .mp2 && tracks[1].sampleRate == 48000 && tracks[1].channels == 2)
        #expect(frames.of(track: 1).count == 50 && frames.of(track: 1).filter { $0.info.isKeyframe }.count == 2)
        let audio = frames.of(track: 2)
        #expect(audio.count == 84)
        // MP2 frames keep their header.
        #expect(audio.allSatisfy { $0.payload[0] == 0xFF && $0.payload[1] & 0xE0 == 0xE0 })
        checkTimestamps(frames, tracks)
    }

    @Test func h264MP3AC3() throws {
        let (frames, demuxer) = try demuxAllWays("h264_mp3_ac3.ts")
        let tracks = demuxer.tracks
        try #require(tracks.count == 3)
        // Stream type 3 is announced as MPEG audio; the frame headers say MP3.
        #expect(tracks.map(\.codec) == [.h264, .mp3, .ac3])
        #expect(tracks[1].sampleRate == 48000 && tracks[2].sampleRate == 48000 && tracks[2].channels == 2)
        #expect(frames.of(track: 1).count == 25)
        #expect(frames.of(track: 2).count == 43)
        #expect(frames.of(track: 3).count == 32)
        #expect(frames.of(track: 3).allSatisfy { $0.payload.count == 768 && $0.payload[0] == 0x0B && $0.payload[1] == 0x77 })
        checkTimestamps(frames, tracks)
    }

    @Test func twoProgramsSelection() throws {
        let first = try demuxAllWays("two_programs.ts")
        #expect(first.demuxer.tracks.map(\.codec) == [.h264, .aac])
        #expect(first.demuxer.tracks[0].width == 320)
        #expect(first.demuxer.programs.map(\.number) == [1, 2])
        #expect(first.demuxer.programs.map(\.name) == ["One", "Two"])
        #expect(first.demuxer.programs[1].streams.allSatisfy { $0.trackID == nil })

        let second = try demuxAllWays("two_programs.ts", options: .init(program: 2))
        #expect(second.demuxer.tracks.map(\.codec) == [.h264, .mp2])
        #expect(second.demuxer.tracks.map(\.id) == [1, 2])
        #expect(second.demuxer.tracks[0].width == 160 && second.demuxer.tracks[0].height == 120)
        #expect(second.frames.of(track: 1).count == 50 && second.frames.of(track: 2).count == 84)
        #expect(second.demuxer.programs[1].streams.map(\.trackID) == [1, 2])

        // pids= alone picks across programs: program 2's video and program 1's audio.
        let picked = try demuxAllWays("two_programs.ts", options: .init(pids: [0x101, 0x102]))
        #expect(picked.demuxer.tracks.map(\.codec) == [.aac, .h264])
        #expect(picked.demuxer.tracks[1].width == 160)
        #expect(picked.frames.of(track: 1).count == 88 && picked.frames.of(track: 2).count == 50)

        // pids= within a program.
        let audioOnly = try demuxAllWays("two_programs.ts", options: .init(program: 2, pids: [0x103]))
        #expect(audioOnly.demuxer.tracks.map(\.codec) == [.mp2])
        #expect(audioOnly.frames.count == 84)

        let none = try demuxAllWays("two_programs.ts", options: .init(program: 7))
        #expect(none.demuxer.tracks.isEmpty && none.frames.isEmpty && none.demuxer.programs.count == 2)
    }

    @Test func wrap33ContinuesAcrossTheWrap() throws {
        let (frames, demuxer) = try demuxAllWays("wrap33.ts")
        #expect(frames.of(track: 1).count == 75 && frames.of(track: 2).count == 131)
        #expect(frames.allSatisfy { !$0.info.flags.contains(.discontinuity) })
        #expect(demuxer.stats.timestampJumps == 0 && demuxer.stats.pcrDiscontinuities == 0)
        checkTimestamps(frames, demuxer.tracks)
        // It starts before the wrap and ends after it, unwrapped, in steps of one frame.
        let video = frames.of(track: 1)
        #expect(video[0].info.dts < MediaTime.wrap33 && video[video.count - 1].info.dts > MediaTime.wrap33)
        #expect(zip(video, video.dropFirst()).allSatisfy { $1.info.dts - $0.info.dts == 3600 })
        #expect(demuxer.stats.lastPCR[256].map { $0 > MediaTime.wrap33 * TSPacket.pcrTicksPer90kHz } == true)
    }

    @Test func cutStreamGivesTheFramesItHolds() throws {
        let (frames, demuxer) = try demuxAllWays("cut.ts")
        let full = Feeding.whole.run(try Fixture.bytes("h264_aac.ts")).frames
        #expect(demuxer.stats.skippedBytes == 77 && demuxer.stats.packets == 300)
        // Every frame out is the one of the whole stream (the last video PES, unbounded, ends with the input).
        let video = frames.of(track: 1), audio = frames.of(track: 2)
        #expect(video.count == 26 && audio.count == 29)
        expectSameFrames(Array(video.dropLast()), Array(full.of(track: 1).prefix(25)))
        expectSameFrames(audio, Array(full.of(track: 2).prefix(29)))
    }
}
