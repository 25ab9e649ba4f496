/// A source that cannot be read for a reason of its own (HTTP status, bad redirect, unsupported URL).
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
