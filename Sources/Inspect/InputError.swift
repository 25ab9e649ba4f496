/// A source `sluice inspect` cannot read, with the reason (which URL, what went wrong).
public struct InputError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
