/// What `sluice ctl streams` says about a stream's inputs (`InputSelector.status`).
public struct InputStatus: Hashable, Sendable {
    public enum State: String, Hashable, Sendable {
        /// An input is the stream's source.
        case running
        /// No input is the source yet: connecting, or waiting to retry.
        case waiting
        /// `retry_limit` was reached: the selector gave up.
        case error
    }

    public var state: State
    /// The active input's URL as written; while waiting, the URL being tried (nil between attempts).
    public var input: String?
    /// Attempts to restore the stream since it last ran well (`RetryBackoff.stableAfter`).
    public var retryCount: Int
    /// The latest failure, as `URL: reason`.
    public var lastError: String?

    public init(state: State, input: String?, retryCount: Int, lastError: String?) {
        self.state = state
        self.input = input
        self.retryCount = retryCount
        self.lastError = lastError
    }
}
