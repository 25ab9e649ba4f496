import Testing
@testable import Media

@Suite struct TSMuxerTests {
    static let sps: [UInt8] = [0x67, 0x64, 0x00, 0x0D, 0xAC]
    static let pps: [UInt8] = [0x68, 0xEE, 0x3C, 0x80]

    static func tracks() -> [Track] {
        var video = Track(id: 1, codec: .h264)
        video.parameterSets = ParameterSets(sps: [sps], pps: [pps])
        var audio = Track(id: 2, codec: .aac)
        audio.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 3, channelConfiguration: 2)
        audio.sampleRate = 48000
        return [video, audio]
    }

    /// Length-prefixed NAL units of `sizes` bytes each, the first a slice of type `type`.
    static func videoPayload(_ sizes: [Int], type: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        for (i, size) in sizes.enumerated() {
            let nal = [i == 0 ? type : 0x06] + (1..<size).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }
            nal.withUnsafeBytes { LengthPrefixed.append($0, to: &out) }
        }
        return out
    }

    /// Two seconds of 25 fps video (a keyframe per second, 3000-byte frames, PTS 2 frames after DTS) and
    /// 48 kHz AAC, interleaved by DTS and starting at `start`; each frame written in its own call.
    static func mux(start: Int64 = 0, videoEvery: Int64 = 3600, options: TSMuxer.Options = .init()) throws -> (TSMuxer, [UInt8]) {
        var muxer = try TSMuxer(tracks: tracks(), options: options)
        var out: [UInt8] = []
        muxer.writeTables(into: &out)
        for frame in frames(start: start, videoEvery: videoEvery) {
            frame.payload.withUnsafeBytes { muxer.write(frame.info, payload: $0, into: &out) }
        }
        return (muxer, out)
    }

    /// The frames `mux` writes, in order.
    static func frames(start: Int64 = 0, videoEvery: Int64 = 3600) -> [Frame] {
        var frames: [Frame] = []
        var dts = start
        var n = 0
        while dts < start + 180_000 {
            let key = n % 25 == 0
            frames.append(Frame(info: FrameInfo(track: 1, flags: key ? .keyframe : [], dts: dts, pts: dts + 7200),
                                payload: videoPayload([3000, 20], type: key ? 0x65 : 0x41)))
            dts += videoEvery
            n += 1
        }
        for i in 0..<Int64(94) {
            let t = start + MediaTime.from(i * 1024, rate: 48000)
            frames.append(Frame(info: FrameInfo(track: 2, flags: .keyframe, dts: t, pts: t), payload: [UInt8](repeating: 0x21, count: 300)))
        }
        frames.sort { $0.info.dts < $1.info.dts }
        return frames
    }

    @Test func everyPacketIsWholeAndCountersRunOnPerPID() throws {
        var (muxer, out) = try Self.mux()
        // A second segment from the same muxer: its counters continue.
        muxer.writeTables(into: &out)
        Self.videoPayload([5000], type: 0x65).withUnsafeBytes {
            muxer.write(FrameInfo(track: 1, flags: .keyframe, dts: 180_000, pts: 180_000), payload: $0, into: &out)
        }
        let reader = try TSTestReader(out)
        #expect(reader.packets.count == out.count / 188)
        for pid in Set(reader.packets.map(\.pid)) {
            var last: UInt8?
            for packet in reader.on(pid) {
                if let last {
                    #expect(packet.counter == (packet.hasPayload ? (last + 1) & 0x0F : last), "PID \(pid)")
                }
                last = packet.counter
            }
        }
        #expect(Set(reader.packets.map(\.pid)) == [0, 0x11, 0x1000, 0x100, 0x101])
    }

    @Test func pcrAtLeastEvery40msAndOnKeyframes() throws {
        // 10 fps video: the muxer adds PCR-only packets on the video PID between video frames.
        for every in [Int64(3600), 9000] {
            let (_, out) = try Self.mux(start: 900_000, videoEvery: every)
            let reader = try TSTestReader(out)
            let pcrs = reader.packets.compactMap { $0.pid == 0x100 ? $0.pcr : nil }
            let firstPCR: Int64 = 900_000 - 63000
            #expect(pcrs.first == firstPCR)
            for (a, b) in zip(pcrs, pcrs.dropFirst()) {
                #expect(b >= a && b - a <= 3600 + 1920, "PCR step \(b - a) at \(every)")
            }
            #expect(reader.packets.allSatisfy { $0.pid == 0x100 || $0.pcr == nil })
            for pes in try reader.pes(0x100) where pes.randomAccess {
                #expect(pes.pcr != nil)
            }
        }
    }

    @Test func pcrNeverGoesBelowZeroForAStreamStartingAtZero() throws {
        let (_, out) = try Self.mux(start: 0)
        let pcrs = try TSTestReader(out).packets.compactMap(\.pcr)
        #expect(pcrs.first == 0)
        #expect(zip(pcrs, pcrs.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func videoPESCarriesDelimiterParameterSetsAndStartCodes() throws {
        let (_, out) = try Self.mux(start: 1000)
        let units = try TSTestReader(out).pes(0x100)
        #expect(units.count == 50)
        let key = units[0]
        #expect(key.streamID == 0xE0 && key.packetLength == 0 && key.randomAccess)
        #expect(key.dts == 1000 && key.pts == 8200)
        let expectedKey = [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1] + Self.sps + [0, 0, 0, 1] + Self.pps
            + (try LengthPrefixed.nalUnits(Self.videoPayload([3000, 20], type: 0x65))).flatMap { [0, 0, 0, 1] + $0 }
        #expect(key.body == expectedKey)
        let next = units[1]
        #expect(!next.randomAccess)
        #expect(next.body == [0, 0, 0, 1, 0x09, 0xF0]
            + (try LengthPrefixed.nalUnits(Self.videoPayload([3000, 20], type: 0x41))).flatMap { [0, 0, 0, 1] + $0 })
    }

    @Test func audioPESHasADTSAndExactLengthAndNoDTS() throws {
        let (_, out) = try Self.mux(start: 5000)
        let units = try TSTestReader(out).pes(0x101)
        #expect(units.count == 94)
        for (i, unit) in units.enumerated() {
            #expect(unit.streamID == 0xC0 && unit.dts == nil)
            #expect(unit.pts == 5000 + MediaTime.from(Int64(i) * 1024, rate: 48000))
            #expect(unit.body.count == 307 && unit.packetLength == 14 - 6 + 307)
            #expect(Array(unit.body.prefix(2)) == [0xFF, 0xF1])
            #expect(Int(unit.body[3] & 3) << 11 | Int(unit.body[4]) << 3 | Int(unit.body[5] >> 5) == 307)
        }
    }

    @Test func lastPacketsAreStuffedWithAdaptationFieldNotPayload() throws {
        let (_, out) = try Self.mux()
        let reader = try TSTestReader(out)
        for packet in reader.packets where packet.pid == 0x100 || packet.pid == 0x101 {
            #expect(packet.stuffing.allSatisfy { $0 == 0xFF })
        }
        // Parsing PES with exact lengths (audio) and exact bodies (video) shows no payload padding; one more check:
        // a unit's last packet ends with the unit's own last byte.
        let audio = reader.on(0x101)
        for (packet, next) in zip(audio, audio.dropFirst()) where next.unitStart {
            #expect(packet.payload.last == 0x21)
        }
    }

    @Test func tablesAtStartBeforeKeyframesAndEvery500ms() throws {
        let (_, out) = try Self.mux()
        let reader = try TSTestReader(out)
        #expect(Array(reader.packets.prefix(3).map(\.pid)) == [0x11, 0, 0x1000])
        // writeTables (the first keyframe follows it without repeating them), then at 0.5 s, at the keyframe at
        // 1 s, and at 1.5 s.
        #expect(try reader.sections(0).count == 4)
        #expect(try reader.sections(0x1000).count == 4)
        #expect(try reader.sections(0x11).count == 2)
        // PAT and PMT right before the second keyframe.
        let keyIndex = try #require(reader.packets.indices.filter { reader.packets[$0].randomAccess }.last)
        #expect(reader.packets[keyIndex - 2].pid == 0 && reader.packets[keyIndex - 1].pid == 0x1000)
    }

    @Test func timestampsWrapAt33Bits() throws {
        let start = MediaTime.wrap33 * 3 - 90_000
        let (_, out) = try Self.mux(start: start)
        let reader = try TSTestReader(out)
        let video = try reader.pes(0x100)
        #expect(video[0].dts == MediaTime.wrap33 - 90_000)
        #expect(video[25].dts == 0 && video[25].pts == 7200)
        #expect(try reader.pes(0x101)[0].pts == MediaTime.wrap33 - 90_000)
    }

    @Test func trackChangeBumpsThePMTVersionAndResendsIt() throws {
        var muxer = try TSMuxer(tracks: Self.tracks(), options: .init())
        var out: [UInt8] = []
        let key = Self.videoPayload([100], type: 0x65)
        key.withUnsafeBytes { muxer.write(FrameInfo(track: 1, flags: .keyframe, dts: 0, pts: 0), payload: $0, into: &out) }
        var changed = Self.tracks()
        changed[1].language = "deu"
        try muxer.setTracks(changed)
        let audio = [UInt8](repeating: 1, count: 10)
        audio.withUnsafeBytes { muxer.write(FrameInfo(track: 2, flags: .keyframe, dts: 10, pts: 10), payload: $0, into: &out) }
        let pmts = try TSTestReader(out).sections(0x1000)
        #expect(pmts.map { ($0[5] >> 1) & 0x1F } == [0, 1])
        #expect(pmts[1].count > pmts[0].count)
    }

    @Test func badFramesAreDroppedAndCountedUnknownTracksIgnored() throws {
        var muxer = try TSMuxer(tracks: Self.tracks(), options: .init())
        var out: [UInt8] = []
        let broken: [UInt8] = [0, 0, 0, 50, 0x65, 1]
        broken.withUnsafeBytes { muxer.write(FrameInfo(track: 1, flags: .keyframe, dts: 0, pts: 0), payload: $0, into: &out) }
        let huge = [UInt8](repeating: 0, count: 9000)
        huge.withUnsafeBytes { muxer.write(FrameInfo(track: 2, flags: .keyframe, dts: 0, pts: 0), payload: $0, into: &out) }
        #expect(out.isEmpty && muxer.droppedFrames == 2)
        [UInt8(1)].withUnsafeBytes { muxer.write(FrameInfo(track: 9, dts: 0, pts: 0), payload: $0, into: &out) }
        #expect(out.isEmpty && muxer.droppedFrames == 2)
        var noConfig = Self.tracks()
        noConfig[1].audioConfig = nil
        try muxer.setTracks(noConfig)
        [UInt8(1)].withUnsafeBytes { muxer.write(FrameInfo(track: 2, flags: .keyframe, dts: 0, pts: 0), payload: $0, into: &out) }
        #expect(out.isEmpty && muxer.droppedFrames == 3)
        #expect(muxer.lastDropReason?.what == "AAC track 2")
    }

    @Test func extremeTimestampsDoNotTrap() throws {
        var muxer = try TSMuxer(tracks: Self.tracks(), options: .init())
        var out: [UInt8] = []
        let frame = Self.videoPayload([10], type: 0x65)
        for (dts, pts) in [(Int64.max, Int64.max), (Int64.min, Int64.max), (0, Int64.min), (Int64.max, 0)] {
            frame.withUnsafeBytes { muxer.write(FrameInfo(track: 1, flags: .keyframe, dts: dts, pts: pts), payload: $0, into: &out) }
        }
        #expect(try TSTestReader(out).pes(0x100).count == 4)
    }

    @Test func delimitersInThePayloadAreNotDoubled() throws {
        var muxer = try TSMuxer(tracks: Self.tracks(), options: .init())
        var out: [UInt8] = []
        var payload: [UInt8] = []
        for nal: [UInt8] in [[0x09, 0x10], [0x41, 5, 6]] { nal.withUnsafeBytes { LengthPrefixed.append($0, to: &payload) } }
        payload.withUnsafeBytes { muxer.write(FrameInfo(track: 1, dts: 0, pts: 0), payload: $0, into: &out) }
        #expect(try TSTestReader(out).pes(0x100)[0].body == [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1, 0x41, 5, 6])
    }

    @Test func discontinuityResendsTablesAndFlagsThePCR() throws {
        var muxer = try TSMuxer(tracks: Self.tracks(), options: .init())
        var out: [UInt8] = []
        let frame = Self.videoPayload([500], type: 0x41)
        frame.withUnsafeBytes { muxer.write(FrameInfo(track: 1, dts: 900_000, pts: 900_000), payload: $0, into: &out) }
        frame.withUnsafeBytes { muxer.write(FrameInfo(track: 1, flags: .discontinuity, dts: 100, pts: 100), payload: $0, into: &out) }
        let reader = try TSTestReader(out)
        #expect(try reader.sections(0).count == 2)
        let flagged = reader.packets.filter { $0.pcr != nil }
        #expect(flagged.map(\.discontinuity) == [false, true])
        #expect(flagged.map(\.pcr) == [900_000 - 63000, 0])
    }

    @Test func pidLayoutAndGsm711() throws {
        var g711 = Track(id: 3, codec: .pcma)
        g711.sampleRate = 8000
        let options = TSMuxer.Options(layout: TSPIDLayout(pmt: 4095, audio: [1: 0x44]), programNumber: 10)
        let muxer = try TSMuxer(tracks: [g711] + Self.tracks(), options: options)
        #expect(muxer.tracks.map(\.id) == [1, 2])
        #expect(muxer.pids == [1: 0x100, 2: 0x44])
        #expect(muxer.pcrPID == 0x100)
        #expect(throws: MediaError.self) { try TSMuxer(tracks: Self.tracks(), options: .init(layout: TSPIDLayout(video: [1: 0x1000]))) }
        #expect(throws: MediaError.self) { try TSMuxer(tracks: [], options: .init(programNumber: 0)) }
    }
}
