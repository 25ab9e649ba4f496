import Log

/// One stream's live output on an edge worker (HTTP MPEG-TS, RTMP, RTSP): one ring reader shared by its viewers.
protocol LiveChannel: AnyObject {
    var stream: String { get }
    /// Nobody watches (or holds) it any more: it can be dropped.
    var isIdle: Bool { get }
    /// Its ring was removed or created again: its viewers watch a stream that is gone.
    var isReplaced: Bool { get }
    /// Reads what the ring has and hands it out (or holds it, `LiveOutput`); returns when it wants to be pumped
    /// again whatever its ring gets meanwhile (ms, the loop's clock), nil when it wants to hear of every frame.
    func pump() -> UInt64?
    /// Ends every viewer's connection.
    func closeAll()
}

/// The live channels of one output on an edge worker, by key (the stream's name, or more for RTMP's message stream
/// ids), with what the worker does to all of them: pump them when woken, drop them when they are idle,
/// let go of those whose stream changed or whose ring was replaced (their viewers reconnect to what serves the
/// stream now).
struct LiveChannelTable<Channel: LiveChannel> {
    private var channels: [String: Channel] = [:]

    var isEmpty: Bool { channels.isEmpty }

    /// The streams that have a channel (viewers, or a channel not yet found idle).
    var streams: Set<String> { Set(channels.values.map(\.stream)) }

    subscript(key: String) -> Channel? { channels[key] }

    mutating func insert(_ channel: Channel, key: String) { channels[key] = channel }

    /// Pumps every channel, telling `next` what each returned; idle ones are dropped.
    mutating func pump(_ next: (UInt64?) -> Void) {
        for (key, channel) in channels {
            next(channel.pump())
            if channel.isIdle { channels[key] = nil }
        }
    }

    /// A stream removed or changed by a reload: its viewers are disconnected.
    mutating func forget(_ stream: String) {
        for (key, channel) in channels where channel.stream == stream {
            channel.closeAll()
            channels[key] = nil
        }
    }

    /// Channels whose ring was replaced: their viewers are disconnected, with a log line naming `what` they watched.
    mutating func dropReplaced(log: Logger, what: String) {
        for (key, channel) in channels where channel.isReplaced {
            log.info("\(channel.stream): its ring was replaced; \(what) disconnected")
            channel.closeAll()
            channels[key] = nil
        }
    }

    mutating func removeAll() { channels.removeAll() }
}
