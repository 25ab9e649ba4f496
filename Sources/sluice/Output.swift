#if canImport(Glibc)
import Glibc
#endif

/// One line to stderr in a single write(2), for command-line errors and warnings.
func printError(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
