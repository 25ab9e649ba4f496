/// The stream options that are one plain value (a text, a number, a duration, a flag, a list of words). One table
/// drives both the reader and the writer, so such an option is added in one place.
struct SimpleStreamOption: Sendable {
    enum Value: Sendable {
        case text(WritableKeyPath<StreamSettings, String?> & Sendable)
        /// A duration, stored in seconds.
        case seconds(WritableKeyPath<StreamSettings, Int?> & Sendable, ClosedRange<Int>)
        case count(WritableKeyPath<StreamSettings, Int?> & Sendable, ClosedRange<Int>)
        /// Present or not, no argument.
        case flag(WritableKeyPath<StreamSettings, Bool> & Sendable)
        /// One or more words.
        case words(WritableKeyPath<StreamSettings, [String]?> & Sendable)
    }

    let name: String
    let value: Value

    private static let year = 366 * 86_400

    /// In the order the writer emits them.
    static let all: [SimpleStreamOption] = [
        .init(name: "backup", value: .text(\.backup)),
        .init(name: "url_prefix", value: .text(\.urlPrefix)),
        .init(name: "on_play", value: .text(\.onPlay)),
        .init(name: "on_publish", value: .text(\.onPublish)),
        .init(name: "password", value: .text(\.password)),
        .init(name: "domains", value: .words(\.domains)),
        .init(name: "allowed_countries", value: .words(\.allowedCountries)),
        .init(name: "max_sessions", value: .count(\.maxSessions, 0...10_000_000)),
        .init(name: "max_bitrate", value: .count(\.maxBitrate, 1...100_000_000)),
        .init(name: "provider", value: .text(\.provider)),
        .init(name: "segment_duration", value: .seconds(\.segmentDuration, 1...3600)),
        .init(name: "segment_count", value: .count(\.segmentCount, 1...1000)),
        .init(name: "group", value: .text(\.group)),
        .init(name: "retry_limit", value: .count(\.retryLimit, 0...1_000_000)),
        .init(name: "clients_timeout", value: .seconds(\.clientsTimeout, 0...year)),
        .init(name: "source_timeout", value: .seconds(\.sourceTimeout, 1...year)),
        .init(name: "frames_timeout", value: .seconds(\.framesTimeout, 1...year)),
        .init(name: "add_audio_only", value: .flag(\.addAudioOnly)),
        .init(name: "disabled", value: .flag(\.disabled)),
    ]

    static let byName: [String: SimpleStreamOption] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
