/// A whole config file, typed: the global directives, the named storages and event sinks, and the streams in the
/// order written. Built by `ConfigParser.parse`, written back by `written()`, compared per stream by `ConfigDiff`.
///
/// Equality ignores comments and places (see `SourceNotes`).
public struct ServerConfig: Hashable, Sendable {
    /// `http [ADDR:]PORT;` (repeatable).
    public var http: [ListenAddress] = []
    public var rtmp: [ListenAddress] = []
    public var rtsp: [ListenAddress] = []
    public var srt: [ListenAddress] = []
    /// `edit_auth USER PASS;`: HTTP Basic auth for API calls that change things.
    public var editAuth: Credentials?
    /// `view_auth USER PASS;`: HTTP Basic auth for API calls that read.
    public var viewAuth: Credentials?
    /// `url_prefix URL;`: the default of every stream's `url_prefix`.
    public var urlPrefix: String?
    public var logLevel: LogLevel?
    /// `workers N;`: edge workers; nil means one per core.
    public var workers: Int?
    /// `control PATH;`: the control socket; nil means `RUNTIME_DIR/control.sock`.
    public var control: String?
    /// `runtime_dir DIR;`: nil means `/run/sluice`.
    public var runtimeDir: String?
    /// `vod NAME { storage DIR; }` (legacy `file NAME { path DIR; }`).
    public var vods: [VODLocation] = []
    /// `dvr NAME { root DIR; }`: storages that streams name as `dvr @NAME`.
    public var dvrStorages: [DVRStorage] = []
    public var eventSinks: [EventSink] = []
    /// Streams, ondemand streams and templates, in the order written.
    public var streams: [StreamConfig] = []
    /// The comments of global directives, and those at the end of the file.
    public var notes = SourceNotes()

    public init() {}
}

/// A user and a password for HTTP Basic auth.
public struct Credentials: Hashable, Sendable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// `loglevel debug|info|notice|error;`.
public enum LogLevel: String, Hashable, Sendable, CaseIterable {
    case debug, info, notice, error
}

/// `vod NAME { storage DIR; }`: files served and used as `file://NAME/...` inputs and `backup NAME/...`.
public struct VODLocation: Hashable, Sendable {
    public var name: String
    public var storage: String
    public var notes: SourceNotes

    public init(name: String, storage: String, notes: SourceNotes = SourceNotes()) {
        self.name = name
        self.storage = storage
        self.notes = notes
    }
}

/// `dvr NAME { root DIR; [disk DIR; ...] }`: a named archive storage.
public struct DVRStorage: Hashable, Sendable {
    public var name: String
    public var root: String
    /// `disk DIR;` lines: the disks of a storage spread over several.
    public var disks: [String]
    public var notes: SourceNotes

    public init(name: String, root: String, disks: [String] = [], notes: SourceNotes = SourceNotes()) {
        self.name = name
        self.root = root
        self.disks = disks
        self.notes = notes
    }
}

/// `event_sink NAME { url URL; [only event=a,b ...;] }`: where events are POSTed, and which.
public struct EventSink: Hashable, Sendable {
    public var name: String
    public var url: String
    /// The `key=value` filters of `only` (e.g. `event=source_opened,source_closed`); empty means every event.
    public var only: [URLOption]
    public var notes: SourceNotes

    public init(name: String, url: String, only: [URLOption] = [], notes: SourceNotes = SourceNotes()) {
        self.name = name
        self.url = url
        self.only = only
        self.notes = notes
    }
}
