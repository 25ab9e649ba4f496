import Foundation
import Media
import Testing
@testable import Ring
import SystemCalls

@Suite struct RingTests {
    @Test func framesTracksAndGenerationRoundTrip() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 256 * 1024)
            var video = Track(id: 1, codec: .h265)
            video.parameterSets = ParameterSets(vps: [[0x40, 0x01]], sps: [[0x42, 0x01, 0x02]], pps: [[0x44, 0x01]])
            video.width = 1920
            video.height = 1080
            video.frameRate = 25
            var audio = Track(id: 2, codec: .aac)
            audio.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 4, channelConfiguration: 2)
            audio.sampleRate = 44100
            audio.channels = 2
            audio.language = "eng"
            try writer.setTracks([video, audio])
            #expect(writer.bumpGeneration() == 1)

            let reader = try RingReader(open: name)
            #expect(try reader.tracks() == [video, audio])
            let frames = [
                Frame(info: FrameInfo(track: 1, flags: [.keyframe, .configChange, .discontinuity], dts: -5, pts: 3000),
                      payload: [0, 0, 0, 2, 0x26, 0x01]),
                Frame(info: FrameInfo(track: 2, flags: .keyframe, dts: 1_000_000_000_000, pts: 1_000_000_000_000),
                      payload: [0x21, 0x10]),
                Frame(info: FrameInfo(track: 1, dts: 3000, pts: 9000), payload: []),
            ]
            for frame in frames { try writer.write(frame.info, payload: frame.payload) }
            var payload: [UInt8] = []
            let events = drain(reader, into: &payload)
            #expect(events.map { $0.0.frame?.info } == frames.map(\.info))
            #expect(events.map(\.1) == frames.map(\.payload))
            #expect(events.map { $0.0.frame?.sequence } == [0, 1, 2])
            #expect(events.allSatisfy { $0.0.frame?.generation == 1 })

            let status = reader.status()
            #expect(status.generation == 1)
            #expect(status.frames == 3)
            #expect(status.bytes == 8)
            #expect(status.lastFrameDts == 3000)
            #expect(status.nextSequence == 3)
            #expect(status.lastWriteNanos > 0)

            // The source restarts: frames from then on carry the new generation.
            #expect(writer.bumpGeneration() == 2)
            try writer.write(FrameInfo(track: 1, flags: [.keyframe, .discontinuity], dts: 0, pts: 0), payload: [9])
            #expect(reader.next(into: &payload)?.frame?.generation == 2)
            #expect(reader.status().generation == 2)
        }
    }

    /// A reader tells when its ring's name no longer points to the file it mapped: removed, or created again.
    @Test func aReaderNoticesItsRingWasReplaced() throws {
        try withRingName { name in
            try Ring.create(name, capacity: 64 * 1024)
            let reader = try RingReader(open: name)
            #expect(!reader.isReplaced)
            try Ring.remove(name)
            #expect(reader.isReplaced)
            try Ring.create(name, capacity: 64 * 1024)
            #expect(reader.isReplaced)
            #expect(!(try RingReader(open: name).isReplaced))
        }
    }

    @Test func wrapsAroundManyTimes() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 64 * 1024)
            let reader = try RingReader(open: name)
            let next = try writeOddSizedFramesCheckingEach(3000, to: writer, readBy: reader)
            #expect(next == 3000)
            #expect(reader.lostFrames == 0)
            #expect(reader.status().writePosition > 20 * 64 * 1024)
        }
    }

    @Test func lappedReaderResynchronisesAtNewestKeyframeAndCountsTheLoss() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 64 * 1024)
            let reader = try RingReader(open: name)
            var payload: [UInt8] = []
            // The writer laps the idle reader many times over: it never waits for it.
            for index in 0..<2005 {
                let frame = testFrame(index, gop: 10, size: 500)
                try writer.write(frame.info, payload: frame.payload)
            }
            let newest = try #require(reader.keyframes().last)
            #expect(newest.sequence == 2000)
            #expect(reader.next(into: &payload) == .lapped(lost: 2000))
            #expect(reader.lostFrames == 2000)
            #expect(reader.laps == 1)
            let events = drain(reader, into: &payload)
            #expect(events.map { $0.0.frame?.sequence } == [2000, 2001, 2002, 2003, 2004])
            #expect(events.first?.0.frame?.info.isKeyframe == true)
            #expect(events.last?.1 == testFrame(2004, size: 500).payload)
        }
    }

    @Test func lateReaderStartsAtNewestKeyframe() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 1024 * 1024)
            for index in 0..<35 { try writer.write(testFrame(index).info, payload: testFrame(index).payload) }
            let reader = try RingReader(open: name)
            var payload: [UInt8] = []
            #expect(drain(reader, into: &payload).map { $0.0.frame?.sequence } == [30, 31, 32, 33, 34])
            #expect(reader.keyframes().map(\.sequence) == [0, 10, 20, 30])
            #expect(reader.seek(to: try #require(reader.keyframes().first)))
            #expect(drain(reader, into: &payload).count == 35)
        }
    }

    @Test func readerOfEmptyRingWaitsForTheFirstFrame() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 64 * 1024)
            let reader = try RingReader(open: name)
            var payload: [UInt8] = []
            #expect(reader.next(into: &payload) == nil)
            #expect(reader.wait(timeoutMs: 5) == false)
            try writer.write(testFrame(1).info, payload: testFrame(1).payload)
            #expect(reader.wait(timeoutMs: 1000))
            #expect(reader.next(into: &payload)?.frame?.sequence == 0)
        }
    }

    @Test func onlyVideoKeyframesAreIndexedWhenThereIsVideo() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 64 * 1024)
            try writer.setTracks([Track(id: 1, codec: .h264), Track(id: 2, codec: .aac)])
            try writer.write(FrameInfo(track: 2, flags: .keyframe, dts: 0, pts: 0), payload: [1])
            try writer.write(FrameInfo(track: 1, flags: .keyframe, dts: 0, pts: 0), payload: [2])
            try writer.write(FrameInfo(track: 2, flags: .keyframe, dts: 0, pts: 0), payload: [3])
            let reader = try RingReader(open: name)
            #expect(reader.keyframes().map(\.sequence) == [1])
        }
    }

    @Test func damagedRecordIsSkippedAndCountedNeverTrusted() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 64 * 1024)
            for index in 0..<3 { try writer.write(testFrame(index).info, payload: testFrame(index).payload) }
            // Frame 1's payload length becomes absurd.
            let file = try FileHandle(forUpdating: URL(fileURLWithPath: name.path))
            try file.seek(toOffset: UInt64(RingLayout.dataOffset + RingLayout.recordSize(payload: 100) + RingLayout.recordLength))
            try file.write(contentsOf: Data([0xFF, 0xFF, 0xFF, 0x7F]))
            try file.close()
            let reader = try RingReader(open: name)
            var payload: [UInt8] = []
            #expect(reader.next(into: &payload)?.frame?.sequence == 0)
            #expect(reader.next(into: &payload) == nil)
            try writer.write(testFrame(3).info, payload: testFrame(3).payload)
            #expect(reader.next(into: &payload) == .lapped(lost: 2))
            #expect(reader.next(into: &payload)?.frame?.sequence == 3)
            #expect(payload == testFrame(3).payload)
        }
    }

    @Test func secondWriterIsRefusedAndASuccessorResumes() throws {
        try withRingName { name in
            var writer: RingWriter? = try RingWriter(create: name, capacity: 64 * 1024)
            #expect(throws: RingError.writerBusy(path: name.path)) { try RingWriter(open: name) }
            try writer?.write(testFrame(0).info, payload: testFrame(0).payload)
            writer = nil
            let successor = try RingWriter(open: name)
            #expect(successor.nextSequence == 1)
            try successor.write(testFrame(1).info, payload: testFrame(1).payload)
            let reader = try RingReader(open: name)
            var payload: [UInt8] = []
            #expect(drain(reader, into: &payload).map { $0.0.frame?.sequence } == [0, 1])
        }
    }

    @Test func rejectsWhatDoesNotFit() throws {
        try withRingName { name in
            let writer = try RingWriter(create: name, capacity: 64 * 1024)
            #expect(throws: RingError.frameTooLarge(track: 1, size: 20_040, limit: 16_384)) {
                try writer.write(FrameInfo(track: 1, dts: 0, pts: 0), payload: [UInt8](repeating: 0, count: 20_000))
            }
            #expect(throws: RingError.invalidField(what: "frame track", value: 70_000)) {
                try writer.write(FrameInfo(track: 70_000, dts: 0, pts: 0), payload: [])
            }
            let nine = (1...9).map { Track(id: $0, codec: .aac) }
            #expect(throws: RingError.tooManyTracks(count: 9, limit: 8)) { try writer.setTracks(nine) }
            #expect(throws: RingError.invalidCapacity(1000)) { try Ring.create(name, capacity: 1000) }
            let reader = try RingReader(open: name)
            #expect(reader.status().frames == 0)
        }
    }

    @Test func refusesFilesThatAreNotRings() throws {
        try withRingName { name in
            let junk = [UInt8](repeating: 0x5A, count: RingLayout.dataOffset + RingLayout.minimumCapacity)
            try Data(junk).write(to: URL(fileURLWithPath: name.path))
            #expect(throws: RingError.badFormat(path: name.path, reason: "bad magic \(UInt64(0x5A5A_5A5A_5A5A_5A5A))")) {
                try RingReader(open: name)
            }
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: name.path))
            #expect(throws: RingError.badFormat(path: name.path, reason: "file of 3 bytes is smaller than any ring")) {
                try RingReader(open: name)
            }
            try Ring.remove(name)
            try Ring.remove(name)
            #expect(throws: RingError.system(SystemError("open(\(name.path))", code: ENOENT))) { try RingReader(open: name) }
        }
    }

    @Test func sizingAndNames() throws {
        // 10 s of 4 Mbps: (5 MB of payload + 1000 records × 48 bytes) × 1.5, rounded up to 4 KiB.
        let capacity = Ring.capacity(seconds: 10, bitrate: 4_000_000)
        #expect(capacity == 7_573_504)
        #expect(capacity % 4096 == 0)
        #expect(Ring.capacity(seconds: 1, bitrate: 1000) == 64 * 1024)
        #expect(Ring.capacity(seconds: 1e12, bitrate: Int.max) == 1 << 32)

        let name = try RingName(instance: "main", stream: "news/hd-1 é")
        #expect(name.path == "/dev/shm/sluice-main-news%2Fhd%2D1%20%C3%A9")
        #expect(try RingName(instance: "a-b", stream: "c").path != RingName(instance: "a", stream: "b-c").path)
        #expect(throws: RingError.self) { try RingName(instance: "", stream: "x") }
        #expect(throws: RingError.self) { try RingName(instance: "x", stream: String(repeating: "/", count: 100)) }
    }
}
