import EventLoop
import Media

/// `fake://fake`: the built-in test picture and tone (`FakeSource`), delivered in real time from a 20 ms timer.
/// One clip is decoded per worker and shared by every restart of the input.
final class FakeInput: IngestInput {
    private var source: FakeSource
    private let loop: EventLoop
    private let events: IngestInputEvents
    private var timer: Timer?
    private var startedAt: UInt64 = 0

    init(source: FakeSource, loop: EventLoop, events: IngestInputEvents) {
        self.source = source
        self.loop = loop
        self.events = events
    }

    public func start() throws {
        let timer = try Timer(loop: loop)
        self.timer = timer
        loop.updateTime()
        startedAt = loop.now
        try timer.start(after: 0, repeating: 20) { [unowned self] in
            let elapsed = Int64(loop.now - startedAt) * MediaTime.hz / 1000
            source.frames(upTo: elapsed, events.frame)
        }
        events.opened()
    }

    public func stop() {
        timer?.close()
        timer = nil
    }
}
