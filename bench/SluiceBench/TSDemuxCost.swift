import Media

/// `SluiceBench ts-demux FILE.ts [PASSES]`: the MPEG-TS demuxer alone, fed the file from memory in 1316-byte pieces
/// (7 TS packets, as a UDP source delivers them), `PASSES` times. Prints the frames and payload bytes delivered per
/// pass and the rate. Under callgrind, `--toggle-collect='*tsDemuxPass*'` counts the demuxer's instructions without
/// the file's reading, the sockets, the ring or the event loop (docs/benchmarks.md, "Session 4").
func benchTSDemux(path: String, passes: Int) {
    let input = readFile(path)
    var frames = 0, bytes = 0
    let start = now()
    for _ in 0..<passes { tsDemuxPass(input, frames: &frames, bytes: &bytes) }
    let seconds = now() - start
    print("ts_demux frames \(frames / passes) payload_bytes \(bytes / passes) input_bytes \(input.count) passes \(passes) "
          + "mb_per_s \(Int(Double(input.count * passes) / seconds / 1e6))")
}

/// One pass over `input`; counts the frames and their payload bytes.
@inline(never)
func tsDemuxPass(_ input: [UInt8], frames: inout Int, bytes: inout Int) {
    var demuxer = TSDemuxer()
    input.withUnsafeBytes { all in
        var offset = 0
        while offset < all.count {
            let end = min(all.count, offset + 1316)
            demuxer.feed(UnsafeRawBufferPointer(rebasing: all[offset..<end])) { _, payload in
                frames += 1
                bytes += payload.count
            }
            offset = end
        }
    }
    demuxer.flush { _, payload in
        frames += 1
        bytes += payload.count
    }
}
