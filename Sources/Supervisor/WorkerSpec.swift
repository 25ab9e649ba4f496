/// Everything needed to start one worker process: the supervisor re-executes its own binary with `arguments`
/// (Swift processes must not fork without exec) and hands the worker `config` over its channel before anything
/// else, so that a worker runs with exactly the config the supervisor decided on, even if the file changed since.
public struct WorkerSpec: Hashable, Sendable {
    public var id: WorkerID
    /// After the executable's path: `worker ingest --stream NAME --runtime-dir DIR --instance INSTANCE`, or
    /// `worker edge --index N --runtime-dir DIR --instance INSTANCE`.
    public var arguments: [String]
    /// Canonical config text (`ServerConfig.written()`): for an ingest worker, the globals and storages with its one
    /// stream; for an edge worker, the whole config.
    public var config: String

    public init(id: WorkerID, arguments: [String], config: String) {
        self.id = id
        self.arguments = arguments
        self.config = config
    }
}
