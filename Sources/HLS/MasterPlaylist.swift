import Media

/// Writes a live stream's master playlist (`index.m3u8`, `playlist.m3u8`).
///
/// - The main variant: `mono.m3u8` (every track), with `BANDWIDTH` (peak) and `AVERAGE-BANDWIDTH` from its
///   segments, `CODECS` from every track's `codecsAttribute` (video first, each string once; tracks without one,
///   G.711 or a video track still without SPS, are left out), `RESOLUTION` and `FRAME-RATE` (three decimals) of
///   the first video track when known.
/// - With `add_audio_only` (the caller passes `audioOnly`) and a stream that has both video and audio: an
///   audio-only variant, `tracks-a1/mono.m3u8`, with only the first audio track's codec in `CODECS`.
/// - URIs relative to `NAME/`, or absolute under `url_prefix`.
public struct MasterPlaylist: Hashable, Sendable {
    public var stream: String
    private var url: StreamURL

    public init(stream: String, urlPrefix: String? = nil) {
        self.stream = stream
        self.url = StreamURL(stream: stream, urlPrefix: urlPrefix)
    }

    /// The audio-only variant's selection: the first audio track.
    public static let audioOnlySelection = TrackSelection.tracks([.init(kind: .audio, number: 1)])

    /// The playlist for a stream with `tracks` (in track order). `bandwidth` is the main variant's (see
    /// `Bandwidth(segments:)`); `audioOnly`, when given, the audio-only variant's, and asks for that variant.
    public func write(tracks: [Track], bandwidth: Bandwidth, audioOnly: Bandwidth? = nil) -> String {
        var text = "#EXTM3U\n#EXT-X-VERSION:3\n"
        text += variant(tracks, bandwidth: bandwidth, selection: .all)
        let video = tracks.first { $0.kind == .video }
        if let audioOnly, video != nil, let audio = tracks.first(where: { $0.kind == .audio }) {
            text += variant([audio], bandwidth: audioOnly, selection: Self.audioOnlySelection)
        }
        return text
    }

    private func variant(_ tracks: [Track], bandwidth: Bandwidth, selection: TrackSelection) -> String {
        var codecs: [String] = []
        for track in tracks.filter({ $0.kind == .video }) + tracks.filter({ $0.kind == .audio }) {
            if let codec = track.codecsAttribute, !codecs.contains(codec) { codecs.append(codec) }
        }
        var text = "#EXT-X-STREAM-INF:BANDWIDTH=\(bandwidth.peak),AVERAGE-BANDWIDTH=\(bandwidth.average)"
        if !codecs.isEmpty { text += ",CODECS=\"" + codecs.joined(separator: ",") + "\"" }
        if let video = tracks.first(where: { $0.kind == .video }) {
            if video.width > 0, video.height > 0 { text += ",RESOLUTION=\(video.width)x\(video.height)" }
            if let rate = video.frameRate, rate > 0, let written = DecimalText.threeDecimals(rate) {
                text += ",FRAME-RATE=" + written
            }
        }
        let path = selection.playlistPath
        return text + "\n" + url.uri(path, relative: path) + "\n"
    }
}
