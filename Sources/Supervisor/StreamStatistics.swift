#if canImport(Glibc)
import Glibc
#endif
import Control
import Ring

/// What the supervisor knows of each stream for `sluice ctl streams`: the ring's counters (frames, bytes, last
/// frame, generation), read through one read-only mapping per stream, and the bitrate over the last sample.
struct StreamStatistics {
    private struct Sample {
        var reader: RingReader
        var bytes: UInt64 = 0
        var at: UInt64 = 0
        var bitrate = 0
    }

    private var samples: [String: Sample] = [:]
    private let instance: String

    init(instance: String) { self.instance = instance }

    /// Forgets a stream whose ring was removed or replaced.
    mutating func forget(_ stream: String) { samples[stream] = nil }

    /// frames, bitrate (bits/s, over the time since the previous call, at least a second), last frame age (ms), generation.
    mutating func read(_ stream: String) -> (frames: Int, bitrate: Int, lastFrameAgeMs: Int?, generation: Int)? {
        if samples[stream] == nil {
            guard let name = try? RingName(instance: instance, stream: stream), let reader = try? RingReader(open: name) else {
                return nil
            }
            samples[stream] = Sample(reader: reader)
        }
        guard var sample = samples[stream] else { return nil }
        let status = sample.reader.status()
        let now = Self.monotonicNanos()
        if sample.at == 0 {
            sample.bytes = status.bytes
            sample.at = now
        } else if now - sample.at >= 1_000_000_000 {
            sample.bitrate = Int((status.bytes &- sample.bytes) * 8 * 1_000_000_000 / (now - sample.at))
            sample.bytes = status.bytes
            sample.at = now
        }
        samples[stream] = sample
        let age = status.frames == 0 || status.lastWriteNanos == 0 ? nil : Int((now &- status.lastWriteNanos) / 1_000_000)
        return (Int(status.frames), sample.bitrate, age, Int(status.generation))
    }

    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
