#if canImport(Glibc)
import Glibc
#endif
import Media
import Ring

// The writer process of RingTests' cross-process tests:
//   RingTestWriter DIRECTORY INSTANCE STREAM FRAMES INTERVAL_MICROSECONDS KEYFRAME_INTERVAL
// opens the ring the test created, sets two tracks, bumps the generation, writes FRAMES pattern frames
// (FramePattern, with its segment starts) INTERVAL_MICROSECONDS apart, and exits 0; on bad arguments it exits 2,
// on any error 1.

func run(_ arguments: [String]) throws {
    guard arguments.count == 7, let frames = Int(arguments[4]), let interval = UInt32(arguments[5]),
          let keyframeInterval = Int(arguments[6]), keyframeInterval > 0 else {
        print("usage: RingTestWriter DIRECTORY INSTANCE STREAM FRAMES INTERVAL_MICROSECONDS KEYFRAME_INTERVAL")
        exit(2)
    }
    let name = try RingName(instance: arguments[2], stream: arguments[3], directory: arguments[1])
    let writer = try RingWriter(open: name)
    var video = Track(id: 1, codec: .h264)
    video.width = 1280
    video.height = 720
    video.parameterSets = ParameterSets(sps: [[0x67, 0x64, 0x00, 0x1F]], pps: [[0x68, 0xEE, 0x3C, 0x80]])
    var audio = Track(id: 2, codec: .aac)
    audio.audioConfig = AudioSpecificConfig(objectType: 2, frequencyIndex: 3, channelConfiguration: 2)
    audio.sampleRate = 48000
    audio.channels = 2
    try writer.setTracks([video, audio])
    writer.bumpGeneration()
    var payload: [UInt8] = []
    for index in 0..<frames {
        FramePattern.fill(index, into: &payload)
        try writer.write(FramePattern.info(index, keyframeInterval: keyframeInterval), payload: payload,
                         segment: FramePattern.segment(index, keyframeInterval: keyframeInterval))
        if interval > 0 { usleep(interval) }
    }
}

do {
    try run(CommandLine.arguments)
} catch {
    print("RingTestWriter: \(error)")
    exit(1)
}
