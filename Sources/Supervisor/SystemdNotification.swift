/// The messages a `Type=notify` service sends to systemd's `NOTIFY_SOCKET` (sd_notify(3)): newline-separated
/// `KEY=VALUE` lines in one datagram. Only the text; the caller sends it when `NOTIFY_SOCKET` is set.
public enum SystemdNotification {
    /// Startup finished: listeners bound and workers spawned.
    public static func ready(status: String) -> String { "READY=1\n" + statusLine(status) }

    /// A reload begins. systemd requires `MONOTONIC_USEC` (CLOCK_MONOTONIC in microseconds) with `RELOADING=1`;
    /// send `ready` again when the reload is done, whatever its result.
    public static func reloading(monotonicMicroseconds: UInt64) -> String {
        "RELOADING=1\nMONOTONIC_USEC=\(monotonicMicroseconds)\n"
    }

    /// Shutdown begins.
    public static let stopping = "STOPPING=1\n"

    /// A one-line status shown by `systemctl status`; newlines in `text` become spaces.
    public static func status(_ text: String) -> String { statusLine(text) }

    private static func statusLine(_ text: String) -> String {
        "STATUS=" + String(text.map { $0.isNewline ? " " : $0 }) + "\n"
    }
}
