#if canImport(Glibc)
import Glibc
#endif
import Config
import EventLoop
import Ingest
import Media

/// Runs `sluice inspect`: reads a file to its end, or a `udp://`, `tshttp://` or `tshttps://` source for at most
/// `seconds` through the same inputs as the ingest worker (so an operator sees what ingest would see), feeding a
/// `StreamAnalysis`.
public enum Inspector {
    public static func inspect(_ source: String, seconds: Double, options: TSDemuxer.Options) throws -> InspectReport {
        var analysis = StreamAnalysis(options: options)
        guard source.contains("://") else {
            try FileSource.read(source) { analysis.feed($0) }
            analysis.finish()
            return analysis.report(source: source, wallSeconds: nil)
        }
        let url = try InputURL(parsing: source)
        let loop = try EventLoop()
        var opened = false
        var failure: String?
        var input: IngestInput?
        let timer = try Timer(loop: loop)
        func finish() {
            input?.stop()
            input = nil
            timer.close()
        }
        let events = TransportStreamEvents(
            opened: { opened = true },
            bytes: { analysis.feed($0) },
            failed: { reason in
                failure = reason
                finish()
            })
        switch url.scheme {
        case "udp": input = UDPInput(url: url, loop: loop, events: events)
        case "tshttp", "tshttps": input = HTTPInput(url: url, loop: loop, events: events)
        default:
            timer.close()
            _ = loop.run()
            throw InputError("\(source): sluice inspect reads files, udp://, tshttp:// and tshttps:// (not \(url.scheme)://)")
        }
        let started = monotonicSeconds()
        do {
            try input?.start()
            try timer.start(after: UInt64(max(seconds, 0) * 1000)) { finish() }
        } catch {
            finish()
            _ = loop.run()
            throw error
        }
        _ = loop.run()
        // A source that delivered and then ended (a finite HTTP body) is analysed as far as it went; one that never
        // delivered is an error.
        if let failure, !opened || analysis.inputBytes == 0 { throw InputError("\(source): \(failure)") }
        analysis.finish()
        return analysis.report(source: source, wallSeconds: monotonicSeconds() - started)
    }

    private static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
