/// Where playlists point: relative URIs (players resolve them against the playlist's own URL), or absolute ones
/// under the stream's `url_prefix` (`http://cdn.example.com` + `/NAME/` + path).
struct StreamURL: Hashable, Sendable {
    var stream: String
    /// `url_prefix` without trailing `/`; nil for relative URIs.
    var prefix: Substring?

    init(stream: String, urlPrefix: String?) {
        self.stream = stream
        var prefix = urlPrefix?[...]
        while let text = prefix, text.hasSuffix("/") { prefix = text.dropLast() }
        self.prefix = prefix?.isEmpty == false ? prefix : nil
    }

    /// `path` (below `NAME/`) as a playlist writes it: absolute with a prefix, else `relative` (the same target
    /// as seen from the playlist's directory).
    func uri(_ path: String, relative: String) -> String {
        guard let prefix else { return relative }
        return prefix + "/" + stream + "/" + path
    }
}
