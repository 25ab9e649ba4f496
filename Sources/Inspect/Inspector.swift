#if canImport(Glibc)
import Glibc
#endif
import Config
import Media

/// Runs `sluice inspect`: opens a file, `udp://` or `tshttp://` source, feeds a `StreamAnalysis` for at most
/// `seconds` (a file is read to its end), and returns the report.
public enum Inspector {
    public static func inspect(_ source: String, seconds: Double, options: TSDemuxer.Options) throws -> InspectReport {
        var input = try open(source)
        defer { input.close() }
        var analysis = StreamAnalysis(options: options)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let isLive = source.contains("://")
        let start = monotonicSeconds()
        while true {
            let left = seconds - (monotonicSeconds() - start)
            if isLive && left <= 0 { break }
            let wait = isLive ? Int32(min(max(left * 1000, 1), 1000)) : -1
            guard let n = try buffer.withUnsafeMutableBytes({ try input.read(into: $0, timeoutMs: wait) }) else { break }
            if n > 0 { buffer.withUnsafeBytes { analysis.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
        }
        analysis.finish()
        return analysis.report(source: source, wallSeconds: isLive ? monotonicSeconds() - start : nil)
    }

    private static func open(_ source: String) throws -> any ByteSource {
        guard source.contains("://") else { return try FileSource(path: source) }
        let url = try InputURL(parsing: source)
        switch url.scheme {
        case "udp":
            guard let port = url.port, port > 0, port <= 65535 else { throw InputError("\(source): a UDP source needs a port") }
            return try UDPSource(address: url.host, port: UInt16(port), interfaceName: url.interface,
                                 interfaceAddress: url.sourceInterfaceIP)
        case "tshttp":
            return try HTTPSource(url: source)
        default:
            throw InputError("\(source): sluice inspect reads files, udp:// and tshttp:// (not \(url.scheme)://)")
        }
    }

    private static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
