/// One argument of a directive as written: `8080`, `rtsp://cam/x`, `priority=2`, `"a value with spaces"`.
///
/// Quotes are resolved (`"a \"b\""` is `a "b"`); `quoted` remembers that some part was quoted, and `keyLength` marks
/// a `key=value` option: the UTF-8 length of the key before the first `=` written outside quotes. So `"a=b"` is a
/// plain value while `title="a b"` is the option `title` with the value `a b`.
public struct ConfigArgument: Hashable, Sendable {
    public var text: String
    public var quoted: Bool
    public var keyLength: Int?
    public var location: SourceLocation

    public init(text: String, quoted: Bool = false, keyLength: Int? = nil, location: SourceLocation) {
        self.text = text
        self.quoted = quoted
        self.keyLength = keyLength
        self.location = location
    }

    /// The key of a `key=value` option, or nil for a plain value or a bare flag.
    public var optionKey: String? {
        guard let keyLength else { return nil }
        return String(decoding: text.utf8.prefix(keyLength), as: UTF8.self)
    }

    /// The value of a `key=value` option (may be empty), or nil for a plain value or a bare flag.
    public var optionValue: String? {
        guard let keyLength else { return nil }
        return String(decoding: text.utf8.dropFirst(keyLength + 1), as: UTF8.self)
    }
}
