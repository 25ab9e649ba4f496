/// `thumbnails [url=URL];`: preview JPEGs, decoded from the stream or fetched from `url` (e.g. a camera snapshot).
public struct ThumbnailsConfig: Hashable, Sendable {
    public var url: String?
    /// Every other option, in the order written.
    public var options: [URLOption]

    public init(url: String? = nil, options: [URLOption] = []) {
        self.url = url
        self.options = options
    }
}
