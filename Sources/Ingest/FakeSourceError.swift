/// Why a clip cannot be looped by `FakeSource`: which track, and what was wrong with its frames.
public struct FakeSourceError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "fake://: \(message)" }
}
