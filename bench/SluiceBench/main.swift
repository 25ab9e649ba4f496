// `make bench` runs this (release build) beside the peers bench/run.sh measures in the same run.
//   SluiceBench remux FILE.ts [SECONDS]   demux + remux the file from memory, repeatedly; prints MB/s
//   SluiceBench ts-demux FILE.ts [PASSES] demux the file from memory in 1316-byte pieces (TSDemuxCost.swift)
//   SluiceBench config N                  parse + validate a generated N-stream config; prints ms (best of 5)
//   SluiceBench ringhop [FPS [SECONDS [PAYLOAD_BYTES]]]
//                                         write-to-read latency through a ring across two processes (RingHop.swift);
//                                         prints p50 and p99 in microseconds (defaults: 500 frames/s, 5 s, 4000 bytes)
//   SluiceBench rtmp-viewers URL COUNT SECONDS [LOW_WATER]
//                                         COUNT RTMP players of one stream from this process (RTMPViewers.swift);
//                                         prints how many play and what they received
//   SluiceBench rtmp-latency PUBLISH_URL PLAY_URL SECONDS [KBPS [FIXTURE.flv [OTHERS]]]
//                                         publishes a stamped stream and plays it back (RTMPLatency.swift); prints
//                                         p50, p99 and max of the delay in microseconds
//   SluiceBench rtmp-ingest-replay FILE.flv [PASSES]
//                                         an RTMP publish of the file decoded from memory (RTMPIngestReplay.swift);
//                                         prints the CPU time per pass
//   SluiceBench rtsp-viewers URL COUNT SECONDS [LOW_WATER]
//                                         COUNT RTSP players (TCP interleaved) of one stream from this process
//                                         (RTSPViewers.swift); prints how many play and what they received
//   SluiceBench rtsp-camera PORT SECONDS [KBPS [FIXTURE.flv]]
//                                         a stamped H.264 + AAC RTSP camera on 127.0.0.1:PORT (RTSPCamera.swift)
//   SluiceBench rtsp-latency URL SECONDS [CAMERA_PORT [KBPS [FIXTURE.flv]]]
//                                         plays a stamped camera's stream, with the camera in this process when
//                                         CAMERA_PORT is given (RTSPLatency.swift); prints p50, p99 and max of the
//                                         delay in microseconds
#if canImport(Glibc)
import Glibc
#endif
import Config
import Media

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fatalError("cannot open \(path)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// One pass: demux the whole input in 64 KB reads (as a socket would deliver it) and mux every frame again into a
/// reused output buffer. Returns the output size, so that the work cannot be optimised away.
func remuxOnce(_ input: [UInt8], output: inout [UInt8]) -> Int {
    var demuxer = TSDemuxer()
    var muxer = try! TSMuxer(tracks: [], options: TSMuxer.Options())
    var known: [Int: Track] = [:]
    var total = 0
    input.withUnsafeBytes { all in
        var offset = 0
        while offset < all.count {
            let end = min(all.count, offset + 65536)
            demuxer.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end]), withTrack: { track, info, payload in
                // Tracks appear and change as the source says so, as in live ingest.
                if known[track.id] == nil || info.flags.contains(.configChange) {
                    known[track.id] = track
                    try! muxer.setTracks(known.values.sorted { $0.id < $1.id })
                }
                muxer.write(info, payload: payload, into: &output)
            })
            total += output.count
            output.removeAll(keepingCapacity: true)
            offset = end
        }
    }
    return total
}

func benchRemux(_ path: String, seconds: Double) {
    let input = readFile(path)
    var output: [UInt8] = []
    output.reserveCapacity(1 << 20)
    _ = remuxOnce(input, output: &output)  // warm-up
    var passes = 0
    var outBytes = 0
    let start = now()
    while now() - start < seconds || passes < 3 {
        outBytes += remuxOnce(input, output: &output)
        passes += 1
    }
    let elapsed = now() - start
    let mbps = Double(input.count * passes) / elapsed / 1e6
    print("remux_mb_per_s \(Int(mbps)) passes \(passes) input_bytes \(input.count) output_bytes_per_pass \(outBytes / passes)")
}

func benchConfig(streams: Int) {
    var text = "http 8080;\nrtmp 1935;\n"
    for i in 0..<streams {
        text += """
        # channel \(i)
        stream ch\(i) {
          input udp://239.\(i / 65536 % 256).\(i / 256 % 256).\(i % 256):1234 priority=1;
          input tshttp://backup\(i % 10).example:8080/ch\(i)/mpegts priority=2;
          segment_duration 4;
          dvr /storage 3d 90%;
          push rtmp://live.example/app/key\(i);
        }

        """
    }
    var best = Double.infinity
    var streamsParsed = 0
    for _ in 0..<5 {
        let start = now()
        let result = ConfigParser.parse(text, file: "bench.conf")
        best = min(best, now() - start)
        streamsParsed = result.config?.streams.count ?? -1
        if result.config == nil { fatalError("bench config does not parse: \(result.diagnostics.prefix(3))") }
    }
    print("config_streams \(streamsParsed) config_bytes \(text.utf8.count) config_parse_ms \(Int(best * 1000))")
}

let args = CommandLine.arguments
/// The latency benchmarks' default stream (`LatencyFixture`).
let fixture = "Tests/MediaTests/Fixtures/h264_aac.flv"
switch (args.count > 1 ? args[1] : "", args.count) {
case ("remux", 3...4): benchRemux(args[2], seconds: args.count > 3 ? Double(args[3]) ?? 5 : 5)
case ("ts-demux", 3...4): benchTSDemux(path: args[2], passes: args.count > 3 ? Int(args[3]) ?? 1 : 1)
case ("config", 3): benchConfig(streams: Int(args[2]) ?? 10_000)
case ("ringhop", 2...5):
    benchRingHop(framesPerSecond: args.count > 2 ? Int(args[2]) ?? 500 : 500,
                 seconds: args.count > 3 ? Int(args[3]) ?? 5 : 5,
                 payloadBytes: args.count > 4 ? Int(args[4]) ?? 4000 : 4000)
case ("ringhop-writer", 6):
    ringHopWriter(instance: args[2], framesPerSecond: Int(args[3]) ?? 500, seconds: Int(args[4]) ?? 5,
                  payloadBytes: Int(args[5]) ?? 4000)
case ("rtmp-viewers", 5...6):
    benchRTMPViewers(url: args[2], count: Int(args[3]) ?? 1, seconds: Int(args[4]) ?? 10,
                     lowWater: args.count > 5 ? Int(args[5]) ?? 32768 : 32768)
case ("rtmp-latency", 5...8):
    benchRTMPLatency(publish: args[2], play: args[3], seconds: Int(args[4]) ?? 10,
                     kbps: args.count > 5 ? Int(args[5]) ?? 2000 : 2000,
                     fixturePath: args.count > 6 ? args[6] : fixture,
                     others: args.count > 7 ? Int(args[7]) ?? 0 : 0)
case ("rtmp-ingest-replay", 3...4):
    benchRTMPIngestReplay(path: args[2], passes: args.count > 3 ? Int(args[3]) ?? 5 : 5)
case ("rtsp-viewers", 5...6):
    benchRTSPViewers(url: args[2], count: Int(args[3]) ?? 1, seconds: Int(args[4]) ?? 10,
                     lowWater: args.count > 5 ? Int(args[5]) ?? 32768 : 32768)
case ("rtsp-camera", 4...6):
    benchRTSPCamera(port: Int(args[2]) ?? 8554, seconds: Int(args[3]) ?? 0,
                    kbps: args.count > 4 ? Int(args[4]) ?? 2000 : 2000, fixturePath: args.count > 5 ? args[5] : fixture)
case ("rtsp-latency", 4...7):
    benchRTSPLatency(url: args[2], seconds: Int(args[3]) ?? 10, cameraPort: args.count > 4 ? Int(args[4]) : nil,
                     kbps: args.count > 5 ? Int(args[5]) ?? 2000 : 2000, fixturePath: args.count > 6 ? args[6] : fixture)
default:
    print("usage: SluiceBench remux FILE.ts [SECONDS] | SluiceBench config N | SluiceBench ringhop [FPS [SECONDS [BYTES]]]"
          + " | SluiceBench rtmp-viewers URL COUNT SECONDS [LOW_WATER]"
          + " | SluiceBench rtmp-latency PUBLISH_URL PLAY_URL SECONDS [KBPS [FIXTURE.flv [OTHERS]]]"
          + " | SluiceBench rtmp-ingest-replay FILE.flv [PASSES]"
          + " | SluiceBench rtsp-viewers URL COUNT SECONDS [LOW_WATER] | SluiceBench rtsp-camera PORT SECONDS [KBPS [FIXTURE.flv]]"
          + " | SluiceBench rtsp-latency URL SECONDS [CAMERA_PORT [KBPS [FIXTURE.flv]]]")
    exit(2)
}
