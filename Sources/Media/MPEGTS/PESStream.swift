/// One demuxed elementary stream: reads its PES packets, unwraps their timestamps, frames its access units
/// (`VideoAccessUnitFramer`, `AudioFrameSplitter`), normalises the timestamps and hands the frames on, with its
/// track, which it keeps up to date (parameter sets, audio configuration). Owned by `TSDemuxer`, one per selected
/// PID; the track lives here rather than in an array beside the streams, so that a packet reaches one array.
///
/// Video PES packets are not collected: each packet's bytes go to the framer as they come (`StreamedPES`), so an
/// access unit is copied once, into its frame. Audio PES packets, small, are collected whole (`PESAssembler`).
struct PESStream: Sendable {
    /// What the streams of one demuxer share: the clock (all PES timestamps of a multiplex count on one
    /// clock, unwrapped and normalised together) and the counters.
    struct Context: Sendable {
        var unwrapper = TimestampUnwrapper()
        var normalizer = TimestampNormalizer()
        var stats = TSDemuxStats()
    }

    typealias Sink = (Track, FrameInfo, UnsafeRawBufferPointer) -> Void

    let pid: Int
    var track: Track
    private var pes = PESAssembler()
    private var streamed = StreamedPES()
    private var video = VideoAccessUnitFramer()
    private var audio: AudioFrameSplitter
    /// Data was lost: the next frame is flagged `.discontinuity`.
    private var lossPending = false
    /// Last video DTS and step, to stamp a PES that carries no PTS.
    private var lastVideo: (dts: Int64, step: Int64)?

    init(pid: Int, track: Track) {
        self.pid = pid
        self.track = track
        self.audio = AudioFrameSplitter(codec: track.codec)
    }

    /// Takes the payload of one packet of the PID. Inlined into the demuxer's packet loop, as is the video path
    /// under it: a call per layer per packet cost more than the work of the layer.
    @inline(__always)
    mutating func payload(_ payload: UnsafeRawBufferPointer, unitStart: Bool, context: inout Context, sink: Sink) {
        if track.kind == .video { return videoPayload(payload, unitStart: unitStart, context: &context, sink: sink) }
        if unitStart {
            if pes.isOpen { finishPES(context: &context, sink: sink) }
            pes.open(payload)
        } else if pes.append(payload) == .oversized {
            context.stats.droppedFrames += 1
            lossPending = true
        }
        if pes.isFull { finishPES(context: &context, sink: sink) }
    }

    /// Packets were lost (a continuity error): the PES in progress and any carried audio are dropped.
    mutating func lose(context: inout Context) {
        if pes.isOpen || streamed.isOpen { context.stats.pesErrors += 1 }
        pes.close()
        streamed.close()
        audio.reset()
        lossPending = true
    }

    /// End of input: delivers the PES in progress if it is complete.
    mutating func flush(context: inout Context, sink: Sink) {
        if pes.isOpen { finishPES(context: &context, sink: sink) }
        if streamed.isOpen { finishVideoPES(context: &context, sink: sink) }
        audio.reset()
    }

    @inline(__always)
    private mutating func videoPayload(_ payload: UnsafeRawBufferPointer, unitStart: Bool, context: inout Context,
                                       sink: Sink) {
        if unitStart {
            if streamed.isOpen { finishVideoPES(context: &context, sink: sink) }
            streamed.open()
            video.begin(codec: track.codec)
        }
        switch streamed.take(payload) {
        case .bytes(let es):
            if !es.isEmpty { video.append(es) }
        case .badHeader:
            context.stats.pesErrors += 1
            lossPending = true
        case .oversized:
            context.stats.droppedFrames += 1
            lossPending = true
        }
        if streamed.isFull { finishVideoPES(context: &context, sink: sink) }
    }

    private mutating func finishVideoPES(context: inout Context, sink: Sink) {
        defer { streamed.close() }
        guard streamed.isComplete, let header = streamed.header else {
            context.stats.pesErrors += 1
            lossPending = true
            return
        }
        frameVideo(stamps: unwrap(header, context: &context), context: &context, sink: sink)
    }

    private mutating func finishPES(context: inout Context, sink: Sink) {
        defer { pes.close() }
        guard let size = pes.completeSize else {
            context.stats.pesErrors += 1
            lossPending = true
            return
        }
        pes.buffer.withUnsafeBytes { all in
            let bytes = UnsafeRawBufferPointer(rebasing: all[0..<size])
            guard let header = try? PESHeader(parsing: bytes) else {
                context.stats.pesErrors += 1
                lossPending = true
                return
            }
            let es = UnsafeRawBufferPointer(rebasing: bytes[header.payloadOffset...])
            frameAudio(es, pts: unwrap(header, context: &context)?.pts, context: &context, sink: sink)
        }
    }

    /// The PES's timestamps on the multiplex's unwrapped clock, when it carries them.
    private func unwrap(_ header: PESHeader, context: inout Context) -> (dts: Int64, pts: Int64)? {
        guard let dts = header.dts, let pts = header.pts else { return nil }
        let unwrapped = context.unwrapper.unwrap(dts)
        return (unwrapped, context.unwrapper.unwrap(pts))
    }

    private mutating func frameVideo(stamps: (dts: Int64, pts: Int64)?, context: inout Context, sink: Sink) {
        guard let (dts, pts) = stamps ?? lastVideo.map({ ($0.dts + $0.step, $0.dts + $0.step) }) else {
            context.stats.pesErrors += 1
            return
        }
        if let last = lastVideo {
            lastVideo = (dts, dts > last.dts ? min(dts - last.dts, MediaTime.hz) : last.step)
        } else {
            lastVideo = (dts, MediaTime.hz / 25)
        }
        let outcome: VideoAccessUnitFramer.Outcome
        do {
            outcome = try video.finish(track: &track)
        } catch {
            context.stats.pesErrors += 1
            return
        }
        switch outcome {
        case .frame(let flags):
            video.withPayload {
                Self.emit($0, flags: flags, dts: dts, pts: pts, track: track, loss: &lossPending, context: &context, sink: sink)
            }
        case .beforeKeyframe:
            context.stats.droppedFrames += 1
        case .empty:
            break
        }
    }

    private mutating func frameAudio(_ es: UnsafeRawBufferPointer, pts: Int64?, context: inout Context, sink: Sink) {
        audio.append(es, pts: pts)
        let result = audio.split { payload, info in
            var flags: FrameFlags = .keyframe
            if Self.describe(&track, info) { flags.insert(.configChange) }
            Self.emit(payload, flags: flags, dts: info.pts, pts: info.pts, track: track, loss: &lossPending,
                      context: &context, sink: sink)
        }
        context.stats.pesErrors += result.skipped
        context.stats.droppedFrames += result.unstamped
    }

    /// Updates the track from an audio frame's header; true when its description changed.
    private static func describe(_ track: inout Track, _ info: AudioFrameSplitter.FrameInfo) -> Bool {
        var changed = false
        if track.codec != info.codec {
            track.codec = info.codec
            changed = true
        }
        if let adts = info.adts, !(track.audioConfig.map { adts.describes($0) } ?? false) {
            track.audioConfig = adts.config
            track.profile = adts.objectType
            changed = true
        }
        if track.sampleRate != info.sampleRate || track.channels != info.channels {
            track.sampleRate = info.sampleRate
            track.channels = info.channels
            changed = true
        }
        return changed
    }

    private static func emit(_ payload: UnsafeRawBufferPointer, flags: FrameFlags, dts: Int64, pts: Int64, track: Track,
                             loss: inout Bool, context: inout Context, sink: Sink) {
        var flags = flags
        let out = context.normalizer.normalize(track: track.id, dts: dts, pts: pts)
        if out.discontinuity {
            context.stats.timestampJumps += 1
            flags.insert(.discontinuity)
        }
        if loss {
            flags.insert(.discontinuity)
            loss = false
        }
        sink(track, FrameInfo(track: track.id, flags: flags, dts: out.dts, pts: out.pts), payload)
    }
}
