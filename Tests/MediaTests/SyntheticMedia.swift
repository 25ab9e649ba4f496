import Foundation
@testable import Media
import TestSupport

/// Frames made by ffmpeg from its test sources, split by hand (raw H.264 with AUDs, ADTS AAC), so that the muxer
/// can be checked against ffprobe without any demuxer.
enum SyntheticMedia {
    /// Two seconds of 320x240 25 fps H.264 or H.265 (no B-frames, GOP 25) and 44.1 kHz stereo AAC, interleaved
    /// by DTS.
    static func videoAAC(_ codec: Codec, in dir: URL) throws -> (tracks: [Track], frames: [Frame]) {
        let video = dir.appendingPathComponent("v.es").path
        let audio = dir.appendingPathComponent("a.aac").path
        let ff = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
        let encoder = codec == .h264
            ? ["-c:v", "libx264", "-x264-params", "aud=1:threads=1", "-f", "h264"]
            : ["-c:v", "libx265", "-x265-params", "aud=1:log-level=error:pools=1:frame-threads=1", "-f", "hevc"]
        var r = try ExternalTool.run(ff + ["-i", "testsrc2=size=320x240:rate=25", "-t", "2", "-bf", "0", "-g", "25",
                                            "-pix_fmt", "yuv420p"] + encoder + [video])
        guard r.status == 0 else { throw TSTestReader.TestError(description: r.stderr) }
        r = try ExternalTool.run(ff + ["-i", "sine=frequency=440:sample_rate=44100", "-t", "2", "-ac", "2", "-c:a", "aac",
                                       "-f", "adts", audio])
        guard r.status == 0 else { throw TSTestReader.TestError(description: r.stderr) }

        var videoTrack = Track(id: 1, codec: codec)
        videoTrack.width = 320
        videoTrack.height = 240
        var frames: [Frame] = []
        var unit: [UInt8] = []
        var key = false
        func flush() {
            guard !unit.isEmpty else { return }
            let dts = Int64(frames.count) * 3600
            frames.append(Frame(info: FrameInfo(track: 1, flags: key ? .keyframe : [], dts: dts, pts: dts), payload: unit))
            unit = []
            key = false
        }
        for nal in AnnexB.nalUnits([UInt8](try Data(contentsOf: URL(fileURLWithPath: video)))) {
            let type = codec == .h264 ? Int(nal[0] & 0x1F) : Int(nal[0] >> 1) & 0x3F
            let (aud, vps, sps, pps) = codec == .h264 ? (9, -1, 7, 8) : (35, 32, 33, 34)
            switch type {
            case aud: flush()
            case vps: if videoTrack.parameterSets.vps.isEmpty { videoTrack.parameterSets.vps = [nal] }
            case sps: if videoTrack.parameterSets.sps.isEmpty { videoTrack.parameterSets.sps = [nal] }
            case pps: if videoTrack.parameterSets.pps.isEmpty { videoTrack.parameterSets.pps = [nal] }
            default:
                if codec == .h264 ? type == 5 : (16...23).contains(type) { key = true }
                nal.withUnsafeBytes { LengthPrefixed.append($0, to: &unit) }
            }
        }
        flush()

        var audioTrack = Track(id: 2, codec: .aac)
        let adts = [UInt8](try Data(contentsOf: URL(fileURLWithPath: audio)))
        var i = 0
        var n: Int64 = 0
        while i + 7 <= adts.count {
            let length = Int(adts[i + 3] & 3) << 11 | Int(adts[i + 4]) << 3 | Int(adts[i + 5] >> 5)
            if audioTrack.audioConfig == nil {
                let config = AudioSpecificConfig(objectType: Int(adts[i + 2] >> 6) + 1, frequencyIndex: Int(adts[i + 2] >> 2) & 0xF,
                                                 channelConfiguration: Int(adts[i + 2] & 1) << 2 | Int(adts[i + 3] >> 6))
                audioTrack.audioConfig = config
                audioTrack.sampleRate = config.sampleRate
                audioTrack.channels = config.channels
            }
            let t = MediaTime.from(n * 1024, rate: 44100)
            frames.append(Frame(info: FrameInfo(track: 2, flags: .keyframe, dts: t, pts: t), payload: Array(adts[(i + 7)..<(i + length)])))
            i += length
            n += 1
        }
        return ([videoTrack, audioTrack], frames.sorted { $0.info.dts < $1.info.dts })
    }

    /// Two seconds of a stereo sine in MP2, MP3, AC-3 or E-AC-3 at `rate`, as frames of track `id`.
    static func audio(_ codec: Codec, rate: Int, id: Int, in dir: URL) throws -> (track: Track, frames: [Frame]) {
        let path = dir.appendingPathComponent("a\(id).\(codec.rawValue)").path
        let encoder: [String] = switch codec {
        case .mp2: ["-c:a", "mp2", "-f", "mp2"]
        case .mp3: ["-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3"]
        case .ac3: ["-c:a", "ac3", "-f", "ac3"]
        default: ["-c:a", "eac3", "-f", "eac3"]
        }
        let r = try ExternalTool.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(rate)",
                                      "-t", "2", "-ac", "2"] + encoder + [path])
        guard r.status == 0 else { throw TSTestReader.TestError(description: r.stderr) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var track = Track(id: id, codec: codec)
        track.sampleRate = rate
        track.channels = 2
        var frames: [Frame] = []
        var i = 0
        var samples: Int64 = 0
        while i < bytes.count {
            let (length, perFrame) = try bytes[i...].withUnsafeBytes { raw -> (Int, Int) in
                if codec == .mp2 || codec == .mp3 {
                    let header = try MPEGAudioHeader(parsing: raw)
                    return (header.frameLength, header.samplesPerFrame)
                }
                let header = try AC3Header(parsing: raw)
                return (header.frameLength, header.samplesPerFrame)
            }
            guard length > 0, i + length <= bytes.count else { throw TSTestReader.TestError(description: "\(codec) frame at \(i)") }
            let t = MediaTime.from(samples, rate: Int64(rate))
            frames.append(Frame(info: FrameInfo(track: id, flags: .keyframe, dts: t, pts: t), payload: Array(bytes[i..<(i + length)])))
            samples += Int64(perFrame)
            i += length
        }
        return (track, frames)
    }
}
