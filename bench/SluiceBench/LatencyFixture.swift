import Media

/// The stream of the latency benchmarks, an FLV fixture (Tests/MediaTests/Fixtures/h264_aac.flv: its real H.264 and
/// AAC sequence headers and frames) as a loop: sequence headers, then frames with their times within one pass.
/// rtmp-latency publishes the tags; the RTSP camera sends them as Sluice's canonical frames (`canonical()`).
struct LatencyFixture {
    var videoHeader: [UInt8] = []
    var audioHeader: [UInt8]?
    var frames: [FLVTag] = []
    /// One pass of the loop, in ms: the end of its last frame.
    var loopMs: UInt32 = 0
    var nalLengthSize = 4

    init(path: String) {
        let (tags, reader) = FLVFileReader.tags(of: readFile(path))
        if let failure = reader.failure { die("\(path): \(failure)") }
        var lastByType: [FLVTagType: (UInt32, UInt32)] = [:]  // last timestamp, last step
        for tag in tags where tag.body.count >= 2 {
            switch tag.type {
            case .video where tag.body[1] == 0:
                videoHeader = tag.body
                if tag.body.count > 9 { nalLengthSize = Int(tag.body[9] & 3) + 1 }  // avcC lengthSizeMinusOne
            case .audio where tag.body[0] >> 4 == 10 && tag.body[1] == 0:
                audioHeader = tag.body
            case .video where tag.body[1] != 1:
                break  // end of sequence (ffmpeg writes one at the end of the file)
            case .video, .audio:
                let last = lastByType[tag.type]
                lastByType[tag.type] = (tag.timestamp, last.map { tag.timestamp &- $0.0 } ?? 0)
                frames.append(tag)
            case .scriptData:
                break
            }
        }
        guard !videoHeader.isEmpty, frames.contains(where: { $0.type == .video }) else {
            die("\(path): no H.264 sequence header or frames")
        }
        frames.sort { $0.timestamp < $1.timestamp }
        loopMs = lastByType.values.map { $0.0 + max($0.1, 1) }.max() ?? 1000
    }

    /// The size to pad each video frame to, so that the stream carries about `kbps` (audio comes on top).
    func videoFrameBytes(kbps: Int) -> Int {
        let videoFrames = frames.filter { $0.type == .video }.count
        return kbps * 1000 / 8 * Int(loopMs) / 1000 / max(videoFrames, 1)
    }

    /// One pass as Sluice's tracks and canonical frames, in decode order (FLVTagDemuxer: 4-byte NAL lengths,
    /// parameter sets in the track), with the tags' times (DTS = ms x 90).
    func canonical() -> (tracks: [Track], frames: [Frame]) {
        var headers = [FLVTag(type: .video, timestamp: 0, body: videoHeader)]
        if let audioHeader { headers.append(FLVTag(type: .audio, timestamp: 0, body: audioHeader)) }
        let (all, demuxer) = FLVTagDemuxer.frames(of: headers + frames)
        return (demuxer.tracks, all)
    }
}
