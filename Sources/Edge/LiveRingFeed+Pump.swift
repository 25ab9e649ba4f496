import Log
import Media
import Ring

extension LiveRingFeed {
    /// Reads what the ring has for a live output that hands its bytes out in pieces cut at groups of pictures
    /// (HTTP MPEG-TS, RTMP, RTSP): `flush` hands out what was built, after a lap (logged, naming the `reader`), before
    /// each group start (then `groupStart` runs) and at the end; `tracks` and `frame` package.
    func pump(log: Logger, reader: @autoclosure () -> String, flush: () -> Void, tracks: ([Track]) -> Void,
              groupStart: () -> Void, frame: (FrameInfo, UnsafeRawBufferPointer) -> Void) {
        drain(lapped: { lost in
            log.notice("\(reader()) lapped, \(lost) frames lost, resuming at a keyframe")
            flush()
        }) { event in
            switch event {
            case .tracks(let list):
                tracks(list)
            case .groupStart:
                flush()
                groupStart()
            case .frame(let info, let payload):
                frame(info, payload)
            }
        }
        flush()
    }
}
