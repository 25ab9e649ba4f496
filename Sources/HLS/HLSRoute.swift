/// What an HTTP path asks of a live stream's HLS and HTTP MPEG-TS outputs (reference.md section 3).
///
/// Forms, `NAME` being the stream (it may hold `/`: `chats/room-15/index.m3u8` is stream `chats/room-15`):
/// - `NAME/index.m3u8`, `NAME/playlist.m3u8`: the master playlist;
/// - `NAME/mono.m3u8`, `NAME/video.m3u8`, `NAME/tracks-v1a1/mono.m3u8`: media playlists (`TrackSelection`);
/// - `NAME/<segment>`, `NAME/video/<segment>`, `NAME/tracks-v1a1/<segment>`: segments (`SegmentName`);
/// - `NAME/mpegts`: live HTTP MPEG-TS.
///
/// The path is matched by its suffix, so the name is whatever comes before. Caveats: a stream whose last name
/// part is `video` or `tracks-…` cannot be told from a selection of its parent and is read as the selection;
/// the path is taken as it is, without a query and without percent-decoding. Names are checked against the
/// characters stream names may hold (letters, digits, `.`, `-`, `_`, and `/` between non-empty parts); `.` and
/// `..` parts are refused.
public struct HLSRoute: Hashable, Sendable {
    public enum Request: Hashable, Sendable {
        case masterPlaylist
        case mediaPlaylist(TrackSelection)
        case segment(TrackSelection, SegmentName)
        case mpegts

        /// A master or media playlist.
        public var isPlaylist: Bool {
            switch self {
            case .masterPlaylist, .mediaPlaylist: true
            case .segment, .mpegts: false
            }
        }
    }

    public var stream: String
    public var request: Request

    public init(stream: String, request: Request) {
        self.stream = stream
        self.request = request
    }

    /// Parses a request path (a leading `/` is optional); nil when it is none of the forms above.
    public init?(path: String) {
        var path = path[...]
        if path.hasPrefix("/") { path = path.dropFirst() }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy(Self.isNamePart) else { return nil }
        let last = parts[parts.count - 1]
        var nameEnd = parts.count - 1
        let request: Request
        switch last {
        case "index.m3u8", "playlist.m3u8":
            request = .masterPlaylist
        case "video.m3u8":
            request = .mediaPlaylist(.mainVideoAndAudio)
        case "mpegts":
            request = .mpegts
        case "mono.m3u8":
            let selection = Self.selection(parts, before: nameEnd)
            if selection != .all { nameEnd -= 1 }
            request = .mediaPlaylist(selection)
        default:
            guard parts.count >= 7,
                  let name = SegmentName(parsing: path[parts[parts.count - 6].startIndex..<last.endIndex])
            else { return nil }
            nameEnd = parts.count - 6
            let selection = Self.selection(parts, before: nameEnd)
            if selection != .all { nameEnd -= 1 }
            request = .segment(selection, name)
        }
        guard nameEnd >= 1 else { return nil }
        self.init(stream: String(path[parts[0].startIndex..<parts[nameEnd - 1].endIndex]), request: request)
    }

    /// The selection the part before `index` names (`video`, `tracks-…`), else `.all`; a part that is the whole
    /// remaining name is a stream name, not a selection.
    private static func selection(_ parts: [Substring], before index: Int) -> TrackSelection {
        guard index >= 2 else { return .all }
        let part = parts[index - 1]
        if part == "video" { return .mainVideoAndAudio }
        if part.hasPrefix("tracks-"), let selection = TrackSelection(tracksPathComponent: part.dropFirst(7)) {
            return selection
        }
        return .all
    }

    /// A non-empty part of letters, digits, `.`, `-` or `_`, other than `.` and `..`.
    private static func isNamePart(_ part: Substring) -> Bool {
        guard !part.isEmpty, part != ".", part != ".." else { return false }
        return part.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
    }
}
