/// A `key=value` option or a bare flag (`value` nil) written after a URL, or one item of a URL query.
public struct URLOption: Hashable, Sendable {
    public var key: String
    public var value: String?

    public init(_ key: String, _ value: String? = nil) {
        self.key = key
        self.value = value
    }
}
