import Testing
@testable import Media
import TestSupport

/// FLVTagDemuxer over tags built by hand: enhanced RTMP H.265 as the spec lays it out (Debian's ffmpeg 5.1 cannot
/// make it), NAL length sizes, in-band parameter sets, drops, timestamps, track ids, codec changes, audio codecs.
@Suite struct FLVTagDemuxerTests {
    /// H.265 Main 320x240 (h265_main.h265): VPS, SPS, PPS, then three pictures: SEI + IDR, TRAIL_R, TRAIL_N.
    let hevcSets: ParameterSets
    let hevcPictures: [[[UInt8]]]
    /// H.264 High 320x240 (h264_high.h264): SPS, PPS, then SEI + IDR, P, B.
    let avcSets: ParameterSets
    let avcPictures: [[[UInt8]]]

    init() throws {
        let hevc = try Fixture.nalUnits("h265_main.h265")
        hevcSets = ParameterSets(vps: [hevc[0]], sps: [hevc[1]], pps: [hevc[2]])
        hevcPictures = [[hevc[3], hevc[4]], [hevc[5]], [hevc[6]]]
        let avc = try Fixture.nalUnits("h264_high.h264")
        avcSets = ParameterSets(sps: [avc[0]], pps: [avc[1]])
        avcPictures = [[avc[2], avc[3]], [avc[4]], [avc[5]]]
    }

    func hvcC() throws -> [UInt8] { try HEVCDecoderConfigurationRecord(parameterSets: hevcSets).bytes }

    /// An avcC declaring NAL lengths of `lengthSize` bytes.
    func avcC(lengthSize: Int = 4, _ sets: ParameterSets? = nil) throws -> [UInt8] {
        var record = try AVCDecoderConfigurationRecord(parameterSets: sets ?? avcSets).bytes
        record[4] = 0xFC | UInt8(lengthSize - 1)
        return record
    }

    /// Enhanced RTMP v2, "Enhanced Video": a publisher's H.265 stream. ExVideoTagHeader byte: IsExHeader (1),
    /// FrameType (UB[3]), VideoPacketType (UB[4]); FourCC 'hvc1'; ExVideoTagBody: SequenceStart carries the
    /// HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1.2), CodedFrames an SI24 composition time and the
    /// NAL units, CodedFramesX the NAL units alone, SequenceEnd nothing.
    @Test func enhancedRTMPH265() throws {
        var run = FLVDemuxRun()
        let hvc1: [UInt8] = [0x68, 0x76, 0x63, 0x31]
        // Key frame, SequenceStart.
        #expect(run.feed(.video, 0, [0x90] + hvc1 + (try hvcC())) == .sequenceHeader)
        let track = try #require(run.demuxer.tracks.first)
        #expect(track.id == 1 && track.codec == .h265 && track.width == 320 && track.height == 240)
        #expect(track.parameterSets == hevcSets)
        // Key frame, CodedFrames, composition time 80 ms (0x000050).
        #expect(run.feed(.video, 0, [0x91] + hvc1 + [0x00, 0x00, 0x50] + FLVBuild.lengthPrefixed(hevcPictures[0])) == .frame)
        // Inter frame, CodedFramesX: composition time 0, not on the wire.
        #expect(run.feed(.video, 40, [0xA3] + hvc1 + FLVBuild.lengthPrefixed(hevcPictures[1])) == .frame)
        // Inter frame, CodedFrames, composition time -40 ms (0xFFFFD8): PTS may not go below DTS.
        #expect(run.feed(.video, 80, [0xA1] + hvc1 + [0xFF, 0xFF, 0xD8] + FLVBuild.lengthPrefixed(hevcPictures[2])) == .frame)
        // SequenceEnd.
        #expect(run.feed(.video, 120, [0x92] + hvc1) == .ignored)
        #expect(run.frames.map(\.info) == [
            FrameInfo(track: 1, flags: [.keyframe, .configChange], dts: 0, pts: 7200),
            FrameInfo(track: 1, flags: [], dts: 3600, pts: 3600),
            FrameInfo(track: 1, flags: [], dts: 7200, pts: 7200),
        ])
        #expect(run.frames.map(\.payload) == hevcPictures.map { FLVBuild.lengthPrefixed($0) })
        #expect(run.frameTracks.allSatisfy { $0 == track })
        #expect(run.demuxer.stats.frames == 3 && run.demuxer.stats.sequenceHeaders == 1 && run.demuxer.stats.ignoredTags == 1)
    }

    /// Legacy CodecID 12 (HEVC as some Chinese encoders send it) reads like AVC, with an hvcC.
    @Test func legacyCodecID12H265() throws {
        var run = FLVDemuxRun()
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, codecID: 12, packetType: 0, try hvcC()))
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, codecID: 12, packetType: 1, compositionTime: 40,
                                                  FLVBuild.lengthPrefixed(hevcPictures[0])))
        #expect(run.demuxer.tracks.map(\.codec) == [.h265])
        #expect(run.frames.map(\.info) == [FrameInfo(track: 1, flags: [.keyframe, .configChange], dts: 0, pts: 3600)])
    }

    /// 4-byte lengths with nothing to take out: the sink gets the tag's own bytes, not a copy.
    @Test func canonicalPayloadsArePassedWithoutACopy() throws {
        var demuxer = FLVTagDemuxer()
        try FLVBuild.legacyVideo(key: true, packetType: 0, avcC()).withUnsafeBytes {
            #expect(demuxer.feed(.video, timestamp: 0, body: $0) { _, _ in } == .sequenceHeader)
        }
        let body = FLVBuild.legacyVideo(key: true, packetType: 1, FLVBuild.lengthPrefixed(avcPictures[0]))
        var delivered = 0
        body.withUnsafeBytes { raw in
            _ = demuxer.feed(.video, timestamp: 0, body: raw) { _, payload in
                #expect(payload.baseAddress == raw.baseAddress! + 5 && payload.count == raw.count - 5)
                delivered += 1
            }
        }
        #expect(delivered == 1)
    }

    @Test(arguments: [1, 2, 4])
    func nalLengthsBecomeFourBytes(_ lengthSize: Int) throws {
        // Small made-up slices, so that 1-byte lengths can hold them; the demuxer does not look into slices.
        let pictures: [[[UInt8]]] = [[[0x06, 0x05, 0x01, 0x80], [0x65, 0x88, 0x84, 0x00, 0x33]], [[0x41, 0x9A, 0x02]]]
        var run = FLVDemuxRun()
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 0, try avcC(lengthSize: lengthSize)))
        for (i, picture) in pictures.enumerated() {
            run.feed(.video, UInt32(i * 40), FLVBuild.legacyVideo(key: i == 0, packetType: 1,
                                                                  FLVBuild.lengthPrefixed(picture, size: lengthSize)))
        }
        #expect(run.frames.map(\.payload) == pictures.map { FLVBuild.lengthPrefixed($0) })
        #expect(run.frames.map(\.info.isKeyframe) == [true, false])
    }

    /// Delimiters and parameter sets in band are taken out; new parameter sets go into the track and flag the
    /// frame, as the MPEG-TS demuxer does (the same VideoAccessUnitFramer).
    @Test func inBandParameterSetsGoIntoTheTrack() throws {
        let big = try Fixture.h264ParameterSets("h264_1080.h264")
        let aud: [UInt8] = [0x09, 0xF0]
        var run = FLVDemuxRun()
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 0, try avcC()))
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 1, FLVBuild.lengthPrefixed([aud] + avcPictures[0])))
        // The same sets again in band: no change.
        run.feed(.video, 40, FLVBuild.legacyVideo(key: false, packetType: 1,
                                                  FLVBuild.lengthPrefixed([aud] + avcSets.sps + avcSets.pps + avcPictures[1])))
        // Other sets: the track changes at this frame.
        run.feed(.video, 80, FLVBuild.legacyVideo(key: true, packetType: 1,
                                                  FLVBuild.lengthPrefixed(big.sps + big.pps + avcPictures[0])))
        #expect(run.frames.map(\.payload) == [avcPictures[0], avcPictures[1], avcPictures[0]].map { FLVBuild.lengthPrefixed($0) })
        #expect(run.frames.map(\.info.flags) == [[.keyframe, .configChange], [], [.keyframe, .configChange]])
        #expect(run.frameTracks.map(\.height) == [240, 240, 1080])
        #expect(run.demuxer.tracks[0].parameterSets == big)
    }

    @Test func framesBeforeTheSequenceHeaderOrTheFirstKeyframeAreDroppedAndCounted() throws {
        var run = FLVDemuxRun()
        #expect(run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 1, FLVBuild.lengthPrefixed(avcPictures[0])))
                == .dropped(.beforeSequenceHeader))
        #expect(run.feed(.audio, 0, FLVBuild.aac(sequenceHeader: false, [0x21, 0x10])) == .dropped(.beforeSequenceHeader))
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 0, try avcC()))
        #expect(run.feed(.video, 40, FLVBuild.legacyVideo(key: false, packetType: 1, FLVBuild.lengthPrefixed(avcPictures[1])))
                == .dropped(.beforeKeyframe))
        let key = FLVBuild.legacyVideo(key: true, packetType: 1, FLVBuild.lengthPrefixed(avcPictures[0]))
        #expect(run.feed(.video, 80, key) == .frame)
        #expect(run.feed(.video, 120, FLVBuild.legacyVideo(key: false, packetType: 1, [])) == .ignored)
        let stats = run.demuxer.stats
        #expect(stats.droppedBeforeSequenceHeader == 2 && stats.droppedBeforeKeyframe == 1 && stats.frames == 1)
        #expect(stats.tags == 6 && stats.ignoredTags == 1)
    }

    @Test func timestampsUnwrapAcross32BitsAndJumpsAreAbsorbed() throws {
        let frame = try mp3Frames()[0]
        var run = FLVDemuxRun()
        // Every 24 ms across the 32-bit wrap (49.7 days in), then a jump of 65 s forward, then on.
        let timestamps: [UInt32] = [0xFFFF_FFC0, 0xFFFF_FFD8, 0xFFFF_FFF0, 0x0000_0008, 0x0000_0020, 0x0001_0020, 0x0001_0038]
        for timestamp in timestamps { run.feed(.audio, timestamp, [0x2F] + frame) }
        let dts = run.frames.map(\.info.dts)
        #expect(dts.first == Int64(0xFFFF_FFC0) * 90)  // the source's own first timestamp, in 90 kHz
        #expect(zip(dts, dts.dropFirst()).map { $1 - $0 } == Array(repeating: 24 * 90, count: 6))
        #expect(run.frames.map { $0.info.flags.contains(.discontinuity) } == [false, false, false, false, false, true, false])
        #expect(run.demuxer.stats.timestampJumps == 1)
        #expect(run.frames.allSatisfy { $0.info.pts == $0.info.dts })
    }

    /// Track ids follow the order in which the tracks appear, and stay.
    @Test func trackIdsInOrderOfAppearance() throws {
        var run = FLVDemuxRun()
        #expect(run.feed(.scriptData, 0, [0x02, 0x00, 0x0A] + Array("onMetaData".utf8)) == .ignored)
        run.feed(.audio, 0, FLVBuild.aac(sequenceHeader: true, [0x12, 0x10]))
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 0, try avcC()))
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 1, FLVBuild.lengthPrefixed(avcPictures[0])))
        run.feed(.audio, 10, FLVBuild.aac(sequenceHeader: false, [0x21, 0x10, 0x04]))
        run.feed(.audio, 33, FLVBuild.aac(sequenceHeader: false, [0x21, 0x10, 0x05]))
        #expect(run.demuxer.tracks.map(\.codec) == [.aac, .h264] && run.demuxer.tracks.map(\.id) == [1, 2])
        #expect(run.frames.map(\.info.track) == [2, 1, 1])
        #expect(run.frames.map(\.info.flags) == [[.keyframe, .configChange], [.keyframe, .configChange], .keyframe])
        #expect(run.frames.map(\.payload) == [FLVBuild.lengthPrefixed(avcPictures[0]), [0x21, 0x10, 0x04], [0x21, 0x10, 0x05]])
        #expect(run.frameTracks[1].sampleRate == 44100 && run.frameTracks[1].channels == 2 && run.frameTracks[1].profile == 2)
    }

    /// A sequence header of another codec keeps the track's id, changes its codec, and waits for a keyframe.
    @Test func aNewSequenceHeaderOfAnotherCodec() throws {
        var run = FLVDemuxRun()
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 0, try avcC()))
        run.feed(.video, 0, FLVBuild.legacyVideo(key: true, packetType: 1, FLVBuild.lengthPrefixed(avcPictures[0])))
        run.feed(.video, 40, FLVBuild.exVideo(key: true, packetType: 0, try hvcC()))
        // H.264 frames after the switch are frames of no known sequence.
        #expect(run.feed(.video, 40, FLVBuild.legacyVideo(key: false, packetType: 1, FLVBuild.lengthPrefixed(avcPictures[1])))
                == .dropped(.beforeSequenceHeader))
        #expect(run.feed(.video, 80, FLVBuild.exVideo(key: false, packetType: 3, FLVBuild.lengthPrefixed(hevcPictures[1])))
                == .dropped(.beforeKeyframe))
        let key = FLVBuild.exVideo(key: true, packetType: 3, FLVBuild.lengthPrefixed(hevcPictures[0]))
        #expect(run.feed(.video, 120, key) == .frame)
        #expect(run.demuxer.tracks.map(\.codec) == [.h265] && run.demuxer.tracks[0].id == 1)
        #expect(run.frames.map(\.info.flags) == [[.keyframe, .configChange], [.keyframe, .configChange]])
        #expect(run.frameTracks.map(\.codec) == [.h264, .h265])
        #expect(run.frameTracks[1].parameterSets == hevcSets)
    }

    @Test func aacConfigurationChanges() throws {
        var run = FLVDemuxRun()
        run.feed(.audio, 0, FLVBuild.aac(sequenceHeader: true, [0x12, 0x10]))
        run.feed(.audio, 0, FLVBuild.aac(sequenceHeader: false, [1]))
        run.feed(.audio, 23, FLVBuild.aac(sequenceHeader: true, [0x12, 0x10]))  // the same again: no change
        run.feed(.audio, 23, FLVBuild.aac(sequenceHeader: false, [2]))
        run.feed(.audio, 46, FLVBuild.aac(sequenceHeader: true, [0x11, 0x88]))  // AAC LC 48 kHz mono
        run.feed(.audio, 46, FLVBuild.aac(sequenceHeader: false, [3]))
        #expect(run.frames.map(\.info.flags) == [[.keyframe, .configChange], .keyframe, [.keyframe, .configChange]])
        #expect(run.frameTracks.map(\.sampleRate) == [44100, 44100, 48000])
        #expect(run.frameTracks.map(\.channels) == [2, 2, 1])
        #expect(run.demuxer.stats.sequenceHeaders == 3)
    }

    @Test func mp3G711AndEnhancedAC3Audio() throws {
        // MP3 at 48 kHz stereo: the legacy header says 44 kHz, the frame header is believed.
        var run = FLVDemuxRun()
        let mp3 = try mp3Frames()
        for (i, frame) in mp3.prefix(3).enumerated() { run.feed(.audio, UInt32(i * 24), [0x2F] + frame) }
        #expect(run.demuxer.tracks.map(\.codec) == [.mp3])
        #expect(run.demuxer.tracks[0].sampleRate == 48000 && run.demuxer.tracks[0].channels == 2)
        #expect(run.frames.map(\.payload) == Array(mp3.prefix(3)))
        #expect(run.frames.map(\.info.flags) == [[.keyframe, .configChange], .keyframe, .keyframe])

        // G.711 mu-law stereo, 8 kHz.
        run = FLVDemuxRun()
        run.feed(.audio, 0, [0x83] + [UInt8](repeating: 0xFF, count: 320))
        #expect(run.demuxer.tracks.map(\.codec) == [.pcmu] && run.demuxer.tracks[0].sampleRate == 8000)
        #expect(run.demuxer.tracks[0].channels == 2 && run.frames[0].payload.count == 320)

        // AC-3 in enhanced RTMP v2 ("Enhanced Audio"): SoundFormat 9, AudioPacketType 1 (CodedFrames), 'ac-3'.
        run = FLVDemuxRun()
        let ac3 = try Fixture.bytes("audio.ac3")
        let length = try ac3.withUnsafeBytes { try AC3Header(parsing: $0).frameLength }
        #expect(run.feed(.audio, 0, [0x91] + Array("ac-3".utf8) + ac3[0..<length]) == .frame)
        #expect(run.demuxer.tracks.map(\.codec) == [.ac3] && run.demuxer.tracks[0].sampleRate == 48000)
        #expect(run.frames[0].payload == Array(ac3[0..<length]))

        // AAC in enhanced RTMP v2: 'mp4a', SequenceStart with the AudioSpecificConfig, CodedFrames raw.
        run = FLVDemuxRun()
        #expect(run.feed(.audio, 0, [0x90] + Array("mp4a".utf8) + [0x12, 0x10]) == .sequenceHeader)
        #expect(run.feed(.audio, 0, [0x91] + Array("mp4a".utf8) + [0x21, 0x22]) == .frame)
        #expect(run.demuxer.tracks.map(\.codec) == [.aac] && run.frames.map(\.payload) == [[0x21, 0x22]])
    }

    /// An audio codec change keeps the id; the AAC configuration goes.
    @Test func anAudioCodecChange() throws {
        var run = FLVDemuxRun()
        run.feed(.audio, 0, FLVBuild.aac(sequenceHeader: true, [0x12, 0x10]))
        run.feed(.audio, 0, FLVBuild.aac(sequenceHeader: false, [1]))
        run.feed(.audio, 23, [0x2F] + (try mp3Frames()[0]))
        #expect(run.feed(.audio, 46, FLVBuild.aac(sequenceHeader: false, [2])) == .dropped(.beforeSequenceHeader))
        #expect(run.frameTracks.map(\.codec) == [.aac, .mp3] && run.frameTracks.map(\.id) == [1, 1])
        #expect(run.frameTracks[1].audioConfig == nil && run.frames[1].info.flags.contains(.configChange))
    }

    func mp3Frames() throws -> [[UInt8]] {
        let bytes = try Fixture.bytes("audio.mp3")
        var frames: [[UInt8]] = []
        var i = 0
        while i + 4 <= bytes.count {
            let length = try bytes[i...].withUnsafeBytes { try MPEGAudioHeader(parsing: $0).frameLength }
            guard i + length <= bytes.count else { break }
            frames.append(Array(bytes[i..<(i + length)]))
            i += length
        }
        return frames
    }
}
