import Log
import Media
import Transcode

/// What `rtsp2://` adds to `rtsp://`: the input's G.711 audio reaches the worker as AAC (docs/transcode.md), other
/// frames as they come. It sits between an input and the worker: `events` are the worker's events with every frame
/// passed through one `AudioTranscoder`. The input holds them, so the transcoder lives and dies with the input, and
/// a reconnect starts a fresh one.
final class AudioTranscoding {
    private let transcoder = AudioTranscoder()
    private let worker: IngestInputEvents
    private let log: Logger
    /// G.711 tracks whose transcoding was logged.
    private var announced: Set<Int> = []
    private var failed = false

    init(_ worker: IngestInputEvents, log: Logger) {
        self.worker = worker
        self.log = log
    }

    /// The events to give the input.
    var events: IngestInputEvents {
        IngestInputEvents(opened: worker.opened, frame: { [self] in frame($0, $1, $2) }, failed: worker.failed)
    }

    private func frame(_ track: Track, _ info: FrameInfo, _ payload: UnsafeRawBufferPointer) {
        guard !failed else { return }
        if AudioTranscoder.transcodes(track.codec), announced.insert(track.id).inserted {
            log.info("transcoding track \(track.id): \(AudioTranscoder.summary(of: track))")
        }
        do {
            try transcoder.process(track, info, payload, worker.frame)
        } catch {
            failed = true  // the worker closes the input on `failed`; nothing more of it is written
            worker.failed("G.711 to AAC: \(error)")
        }
    }
}
