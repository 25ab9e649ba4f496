#if canImport(Glibc)
import Glibc
#endif

// What every benchmark process needs: its output lines, its own CPU, enough descriptors, a clean failure.

/// A process serving many sockets needs more than the usual 1024 descriptors: the soft limit goes to the hard one.
func raiseDescriptorLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// User + system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// One line to a descriptor in a single write(2) (1: stdout, unbuffered, so a script reading the file sees it at
/// once; 2: stderr).
func writeLine(_ line: String, to descriptor: Int32 = 1) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(descriptor, $0.baseAddress, $0.count) }
}

/// Ends the benchmark with a message on stderr (a failed run, not a crash to debug).
func die(_ message: String) -> Never {
    writeLine("SluiceBench: \(message)", to: 2)
    exit(1)
}

extension String {
    init(format1 value: Double) { self = String(Double(Int((value * 10).rounded())) / 10) }
    init(format2 value: Double) { self = String(Double(Int((value * 100).rounded())) / 100) }
}
