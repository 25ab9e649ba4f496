import Media

/// Which of a stream's tracks an HLS media playlist and its segments carry.
///
/// - `all`: every track (`mono.m3u8`, segments at `NAME/<segment>`).
/// - `mainVideoAndAudio`: the first video track and every audio track (`video.m3u8`, for set-top boxes that play
///   one muxed variant; segments at `NAME/video/<segment>`).
/// - `tracks`: the tracks a `tracks-v1a1` path names (`tracks-v1a1/mono.m3u8`, segments at
///   `NAME/tracks-v1a1/<segment>`). `v2` is the second video track, `a1` the first audio track, counted in track
///   order within their kind.
public enum TrackSelection: Hashable, Sendable {
    case all
    case mainVideoAndAudio
    /// Kept in canonical order (video before audio, by number), without repeats.
    case tracks([TrackReference])

    /// One track named by its kind and 1-based position among the stream's tracks of that kind.
    public struct TrackReference: Hashable, Sendable, Comparable {
        public var kind: Codec.Kind
        public var number: Int

        public init(kind: Codec.Kind, number: Int) {
            self.kind = kind
            self.number = number
        }

        public static func < (a: Self, b: Self) -> Bool {
            a.kind == b.kind ? a.number < b.number : a.kind == .video
        }
    }

    /// Parses the part after `tracks-` (`v1a1`, `a1a2`, `v2`): letters `v`/`a`, each followed by a number 1...64,
    /// in any order, none repeated; nil for anything else.
    public init?(tracksPathComponent text: Substring) {
        var references: [TrackReference] = []
        var bytes = text.utf8[...]
        while let letter = bytes.first {
            let kind: Codec.Kind
            switch letter {
            case UInt8(ascii: "v"): kind = .video
            case UInt8(ascii: "a"): kind = .audio
            default: return nil
            }
            bytes = bytes.dropFirst()
            let digits = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
            guard (1...2).contains(digits.count), digits.first != 0x30 else { return nil }
            let number = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard number <= 64 else { return nil }
            bytes = bytes.dropFirst(digits.count)
            let reference = TrackReference(kind: kind, number: number)
            guard !references.contains(reference) else { return nil }
            references.append(reference)
        }
        guard !references.isEmpty else { return nil }
        self = .tracks(references.sorted())
    }

    /// The directory of this selection's segments below the stream (`""`, `video/`, `tracks-v1a1/`).
    public var directory: String {
        switch self {
        case .all: return ""
        case .mainVideoAndAudio: return "video/"
        case .tracks(let references):
            var text = "tracks-"
            for reference in references {
                text += reference.kind == .video ? "v" : "a"
                text += String(reference.number)
            }
            return text + "/"
        }
    }

    /// The media playlist's path below the stream (`mono.m3u8`, `video.m3u8`, `tracks-v1a1/mono.m3u8`).
    public var playlistPath: String {
        self == .mainVideoAndAudio ? "video.m3u8" : directory + "mono.m3u8"
    }

    /// Segment directory as seen from the media playlist's own directory (`video/` for `video.m3u8`, else
    /// nothing: `mono.m3u8` sits beside `NAME/`'s segments, `tracks-v1a1/mono.m3u8` inside its directory).
    var directoryFromPlaylist: String {
        self == .mainVideoAndAudio ? "video/" : ""
    }

    /// The selected tracks of `tracks` (the stream's, in track order), in that order; nil when a named track does
    /// not exist or nothing is selected.
    public func select(from tracks: [Track]) -> [Track]? {
        let selected: [Track]
        switch self {
        case .all:
            selected = tracks
        case .mainVideoAndAudio:
            let video = tracks.first { $0.kind == .video }
            selected = tracks.filter { $0.kind == .audio || $0.id == video?.id }
        case .tracks(let references):
            var ids: Set<Int> = []
            for reference in references {
                let ofKind = tracks.lazy.filter { $0.kind == reference.kind }
                guard let track = ofKind.dropFirst(reference.number - 1).first else { return nil }
                ids.insert(track.id)
            }
            selected = tracks.filter { ids.contains($0.id) }
        }
        return selected.isEmpty ? nil : selected
    }
}
