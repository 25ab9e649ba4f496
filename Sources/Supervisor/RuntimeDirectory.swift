#if canImport(Glibc)
import Glibc
#endif
import SystemCalls

/// The supervisor's runtime directory (default /run/sluice; `--runtime-dir` or `runtime_dir`): the control socket,
/// the pid file, and the instance name that keeps this server's rings apart from another server's on the same
/// machine.
struct RuntimeDirectory {
    let path: String
    /// `control PATH;` of the config, else `control.sock` in the directory.
    let controlSocket: String

    init(path: String, controlSocket: String? = nil) {
        self.path = path
        self.controlSocket = controlSocket ?? path + "/control.sock"
    }
    var pidFile: String { path + "/sluice.pid" }

    /// A short name for this server instance, stable for a runtime directory: 8 hex digits of a hash of its path.
    /// Ring files are named `sluice-INSTANCE-STREAM` with it.
    var instance: String {
        var hash: UInt32 = 2_166_136_261  // FNV-1a
        for byte in path.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Creates the directory (and parents) if needed, refuses one where another live supervisor has its pid file,
    /// and writes ours.
    static func prepare(_ path: String, controlSocket: String? = nil) throws -> RuntimeDirectory {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw SystemError("mkdir(\(prefix))") }
        }
        let directory = RuntimeDirectory(path: path, controlSocket: controlSocket)
        if let text = try? readSmallFile(directory.pidFile), let pid = Int32(text.filter { !$0.isWhitespace }),
           pid != getpid(), kill(pid, 0) == 0 {
            throw SystemError("another sluice (pid \(pid)) runs with \(path)", code: EEXIST)
        }
        let line = Array("\(getpid())\n".utf8)
        let fd = try systemCall("open(\(directory.pidFile))") { open(directory.pidFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
        defer { close(fd) }
        _ = try line.withUnsafeBytes { bytes in try systemCall("write(\(directory.pidFile))") { write(fd, bytes.baseAddress, bytes.count) } }
        return directory
    }

    /// Removes what `prepare` and the control socket left.
    func clean() {
        unlink(controlSocket)
        unlink(pidFile)
    }

    private static func readSmallFile(_ path: String) throws -> String {
        let fd = try systemCall("open(\(path))") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = try buffer.withUnsafeMutableBytes { b in try systemCall("read(\(path))") { read(fd, b.baseAddress, b.count) } }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }
}
