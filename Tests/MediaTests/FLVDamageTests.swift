import Testing
@testable import Media
import TestSupport

/// Hostile FLV input: tags cut short, absurd NAL lengths, unknown codecs, garbage decoder configurations, random
/// mutations, broken files. Each is an error or a counter, never a crash, and a bad tag changes nothing.
@Suite struct FLVDamageTests {
    private let tags: [FLVTag]

    init() throws {
        tags = try FLVBuild.fixtureTags("h264_aac.flv")
    }

    /// Every tag of the fixture after the sequence headers, cut at each of its first 24 lengths and at a few
    /// more, fed to a demuxer that has read all tags before it: malformed, dropped or ignored (or a smaller frame,
    /// where the cut falls at the end of a NAL unit), and a failed tag changes no track.
    @Test func truncatedTags() throws {
        var random = SplitMix64(seed: 11)
        var demuxer = FLVTagDemuxer()
        for (index, tag) in tags.enumerated() {
            defer { tag.body.withUnsafeBytes { _ = demuxer.feed(tag.type, timestamp: tag.timestamp, body: $0) { _, _ in } } }
            guard index > 2 && tag.type != .scriptData else { continue }
            var cuts = Array(0..<min(24, tag.body.count))
            if tag.body.count > 24 { cuts += (0..<4).map { _ in Int.random(in: 24..<tag.body.count, using: &random) } }
            for cut in cuts {
                var copy = demuxer
                let outcome = Array(tag.body[..<cut]).withUnsafeBytes {
                    copy.feed(tag.type, timestamp: tag.timestamp, body: $0) { _, _ in }
                }
                switch outcome {
                case .failed(let error):
                    #expect(error.kind == .malformed, "tag \(index) cut to \(cut): \(error)")
                    #expect(copy.tracks == demuxer.tracks)
                case .ignored, .dropped, .frame: break
                case .sequenceHeader: Issue.record("tag \(index) cut to \(cut) read as a sequence header")
                }
            }
        }
        #expect(demuxer.stats.frames == 138)
    }

    @Test func absurdNALLengths() throws {
        var run = FLVDemuxRun()
        run.feed(Array(tags.prefix(4)))  // metadata, both sequence headers, the first video frame
        let frames = run.frames.count
        for length: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x10, 0x00], [0, 0, 0]] {
            let outcome = run.feed(.video, 40, [0x17, 0x01, 0, 0, 0] + length + [0x65, 0x88])
            guard case .failed(let error) = outcome else {
                Issue.record("\(length): \(outcome)")
                continue
            }
            #expect(error.kind == .malformed && error.what == "FLV video tag")
        }
        // A good NAL unit followed by one whose length runs past the end: nothing of the tag is delivered.
        let good = FLVBuild.lengthPrefixed([[0x41, 0x9A, 0x01]])
        #expect(run.feed(.video, 80, [0x27, 0x01, 0, 0, 0] + good + [0, 0, 1, 0, 0x41]) != .frame)
        #expect(run.frames.count == frames && run.demuxer.stats.malformedTags == 5)
        #expect(run.demuxer.lastError?.reason.contains("past the end") == true)
    }

    @Test func unknownCodecsAreUnsupportedAndMakeNoTrack() throws {
        var run = FLVDemuxRun()
        let av01 = Array("av01".utf8)
        let outcomes = [
            run.feed(.video, 0, [0x90] + av01 + [0x81, 0x00, 0x0C, 0x00]),  // AV1 SequenceStart (av1C)
            run.feed(.video, 0, [0x93] + av01 + [0x12, 0x00]),
            run.feed(.video, 0, [0x12, 0x00, 0x00]),  // Sorenson H.263
            run.feed(.audio, 0, [0xB6, 0x00, 0x01]),  // Speex
            run.feed(.audio, 0, [0x91] + Array("Opus".utf8) + [0xFC]),
            run.feed(.video, 0, [0x96, 0x00] + Array("hvc1".utf8)),  // multitrack
        ]
        for outcome in outcomes {
            guard case .failed(let error) = outcome else {
                Issue.record("\(outcome)")
                continue
            }
            #expect(error.kind == .unsupported)
        }
        #expect(run.demuxer.tracks.isEmpty && run.frames.isEmpty && run.demuxer.stats.unsupportedTags == 6)
        #expect(run.demuxer.lastError?.description == "FLV video tag: unsupported enhanced RTMP multitrack video")
    }

    @Test func garbageSequenceHeaders() throws {
        var random = SplitMix64(seed: 3)
        let avcC = try #require(tags.first { $0.type == .video }).body
        var garbage: [[UInt8]] = [
            [0x17, 0x00, 0, 0, 0],  // no record at all
            [0x17, 0x00, 0, 0, 0, 0x02, 0x64, 0x00, 0x0D, 0xFF, 0xE1],  // configurationVersion 2
            Array(avcC.prefix(12)),  // the SPS cut short
            [0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x0D, 0xFF, 0xE1, 0x00, 0x03, 0x67, 0xFF, 0xFF, 0x01, 0x00, 0x01, 0x68],
            [0x90] + Array("hvc1".utf8) + [0x01] + [UInt8](repeating: 0xFF, count: 30),
            [0xAF, 0x00],  // no AudioSpecificConfig
            [0xAF, 0x00, 0x7F, 0xF0],  // sampling frequency index 15 without its 24 bits
        ]
        garbage += (0..<40).map { _ in [0x17, 0x00, 0, 0, 0, 0x01] + (0..<Int.random(in: 0...64, using: &random)).map { _ in
            UInt8.random(in: 0...255, using: &random)
        } }
        for body in garbage {
            var run = FLVDemuxRun()
            let type: FLVTagType = body[0] == 0xAF ? .audio : .video
            guard case .failed(let error) = run.feed(type, 0, body) else {
                Issue.record("\(body) was taken")
                continue
            }
            #expect(error.kind == .malformed && error.reason.contains("sequence header"))
            #expect(run.demuxer.tracks.isEmpty)
            // What follows is dropped as coming before any sequence header.
            let next = type == .video ? FLVBuild.legacyVideo(key: true, packetType: 1, [0, 0, 0, 1, 0x65])
                                      : FLVBuild.aac(sequenceHeader: false, [0x21])
            #expect(run.feed(type, 0, next) == .dropped(.beforeSequenceHeader))
        }
    }

    /// Random bytes changed in the fixture's tags: whatever comes out keeps the frame invariants.
    @Test func mutatedTagsKeepTheInvariants() throws {
        var random = SplitMix64(seed: 5)
        for round in 0..<30 {
            var run = FLVDemuxRun()
            for var tag in tags {
                if !tag.body.isEmpty && Int.random(in: 0..<4, using: &random) == 0 {
                    for _ in 0..<Int.random(in: 1...4, using: &random) {
                        let at = Int.random(in: 0..<min(tag.body.count, 64), using: &random)
                        tag.body[at] = UInt8.random(in: 0...255, using: &random)
                    }
                    if Int.random(in: 0..<4, using: &random) == 0 {
                        tag.body.removeLast(Int.random(in: 0...tag.body.count, using: &random))
                    }
                }
                run.feed(tag.type, tag.timestamp, tag.body)
            }
            var lastDTS: [Int: Int64] = [:]
            for (frame, track) in zip(run.frames, run.frameTracks) {
                #expect(frame.info.pts >= frame.info.dts, "round \(round)")
                #expect(frame.info.dts >= lastDTS[frame.info.track, default: .min], "round \(round)")
                lastDTS[frame.info.track] = frame.info.dts
                #expect(track.id == frame.info.track)
                if track.kind == .video { #expect((try? LengthPrefixed.nalUnits(frame.payload)) != nil, "round \(round)") }
            }
            let s = run.demuxer.stats
            #expect(s.frames + s.sequenceHeaders + s.ignoredTags + s.droppedBeforeKeyframe + s.droppedBeforeSequenceHeader
                    + s.malformedTags + s.unsupportedTags == s.tags)
        }
    }

    @Test func brokenFiles() throws {
        let file = try Fixture.bytes("h264_aac.flv")
        // Not FLV at all: fails at once, reads nothing more.
        var (tags, reader) = FLVFileReader.tags(of: Array("GET / HTTP/1.1\r\n".utf8) + file)
        #expect(tags.isEmpty && reader.failure?.reason == "no FLV signature")
        (tags, reader) = FLVFileReader.tags(of: [0x46, 0x4C, 0x56, 1, 5, 0, 0, 0, 3] + file)
        #expect(tags.isEmpty && reader.failure?.reason == "header size 3, less than 9")
        // Cut short in a tag: the tags before it, and the rest held.
        (tags, reader) = FLVFileReader.tags(of: Array(file.prefix(50_000)))
        #expect(reader.failure == nil && !tags.isEmpty && reader.pendingBytes > 0)
        #expect(tags == Array(self.tags.prefix(tags.count)))
        // A wrong PreviousTagSize is counted; the tag is still taken. Unknown tag types are skipped.
        var damaged = file
        damaged[13 + 11 + 293 + 3] ^= 0xFF  // the onMetaData tag's PreviousTagSize
        damaged[13 + 11 + 293 + 4] = 0x0F  // the next tag's type: 15
        (tags, reader) = FLVFileReader.tags(of: damaged)
        #expect(reader.stats.previousTagSizeErrors == 1 && reader.stats.skippedTags == 1)
        #expect(tags.count == self.tags.count - 1)
    }
}
