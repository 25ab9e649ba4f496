internal import CLibUV
#if canImport(Glibc)
internal import Glibc
#endif

/// A child process spawned on the loop (fork and exec in one step, as Swift requires), reaped by libuv, which
/// reports its exit on the loop. Close the handle once `onExit` ran (or to stop watching a detached child).
public final class Process: Handle {
    /// What a child's descriptor 0, 1, 2, 3... is, in order.
    public enum Stdio {
        /// Opened on nothing (`/dev/null` semantics are up to the child).
        case ignore
        /// The parent's descriptor of the same number.
        case inherit
        /// The parent's descriptor `fd`, at this position in the child (a listening socket handed to a worker).
        case fileDescriptor(Int32)
        /// A new socketpair between the parent's `Pipe` (initialised, not opened; IPC mode for a worker channel)
        /// and the child's descriptor.
        case pipe(Pipe)
        /// The descriptor under an open stream handle of the parent.
        case stream(StreamHandle)
    }

    public private(set) var pid: Int32 = 0
    private var onExit: ((_ status: Int64, _ signal: Int32) -> Void)?

    /// Starts `executable` with `arguments` (not counting argv[0], which is `executable`) and `environment`
    /// (`KEY=value` strings; nil: the parent's). `onExit` gets the exit status, or the terminating signal (then
    /// status 0). A spawn failure (no such file, not executable) is thrown, naming the executable.
    public init(loop: EventLoop, executable: String, arguments: [String], environment: [String]? = nil,
                workingDirectory: String? = nil, stdio: [Stdio] = [.inherit, .inherit, .inherit],
                detached: Bool = false, onExit: @escaping (_ status: Int64, _ signal: Int32) -> Void) throws {
        var spawned: Int32 = 0
        try super.init(loop: loop, type: UV_PROCESS, call: "uv_spawn") { uv, memory in
            // A failed uv_spawn still leaves the handle registered with the loop, so it is opened either way and
            // closed below on failure.
            spawned = Process.spawn(uv, memory.assumingMemoryBound(to: uv_process_t.self), executable: executable,
                                    arguments: arguments, environment: environment,
                                    workingDirectory: workingDirectory, stdio: stdio, detached: detached)
            return 0
        }
        guard spawned >= 0 else {
            close()
            throw LibUVError("uv_spawn(\(executable))", code: spawned)
        }
        self.onExit = onExit
        pid = uv_process_get_pid(typed(uv_process_t.self))
    }

    private static func spawn(_ loop: UnsafeMutablePointer<uv_loop_t>, _ process: UnsafeMutablePointer<uv_process_t>,
                              executable: String, arguments: [String], environment: [String]?,
                              workingDirectory: String?, stdio: [Stdio], detached: Bool) -> Int32 {
        let argv = CStringArray([executable] + arguments)
        let envp = environment.map(CStringArray.init)
        let cwd = workingDirectory.map { CStringArray([$0]) }
        var containers = stdio.enumerated().map { index, item in
            var container = uv_stdio_container_t()
            switch item {
            case .ignore:
                container.flags = UV_IGNORE
            case .inherit:
                container.flags = UV_INHERIT_FD
                container.data.fd = Int32(index)
            case .fileDescriptor(let fd):
                container.flags = UV_INHERIT_FD
                container.data.fd = fd
            case .pipe(let pipe):
                container.flags = uv_stdio_flags(UV_CREATE_PIPE.rawValue | UV_READABLE_PIPE.rawValue
                                                 | UV_WRITABLE_PIPE.rawValue)
                container.data.stream = pipe.stream
            case .stream(let stream):
                container.flags = UV_INHERIT_STREAM
                container.data.stream = stream.stream
            }
            return container
        }
        return containers.withUnsafeMutableBufferPointer { containers in
            var options = uv_process_options_t()
            options.exit_cb = { process, status, signal in
                guard let owner = Process.owner(of: UnsafeMutableRawPointer(process)) else { return }
                let onExit = owner.onExit
                owner.onExit = nil
                onExit?(status, signal)
            }
            options.file = UnsafePointer(argv.pointers[0])
            options.args = argv.pointers.baseAddress
            options.env = envp?.pointers.baseAddress
            options.cwd = cwd.flatMap { UnsafePointer($0.pointers[0]) }
            options.flags = detached ? UInt32(UV_PROCESS_DETACHED.rawValue) : 0
            options.stdio_count = Int32(containers.count)
            options.stdio = containers.baseAddress
            return uv_spawn(loop, process, &options)
        }
    }

    /// Sends `signal` to the child (SIGTERM to stop a worker, SIGKILL when it will not).
    public func kill(_ signal: Int32) throws {
        try uvCheck("uv_process_kill(pid \(pid), signal \(signal))", uv_process_kill(typed(uv_process_t.self), signal))
    }

    override func dropCallbacks() {
        onExit = nil
    }
}

/// A NULL-terminated `char *[]` of copies of Swift strings, freed with the array: what `exec` takes.
private final class CStringArray {
    let pointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    deinit {
        for pointer in pointers { free(pointer) }
        pointers.deallocate()
    }
}
