import JSON

/// A control request or reply that does not decode: a line that is not JSON, not an object, or lacks a field. The
/// server answers it with `ControlResponse.failure(description)` and keeps the connection; it never crashes.
public struct ControlProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension JSONValue {
    /// The object in one line of the protocol, or an error saying what the line is instead.
    static func controlObject(line: String, what: String) throws(ControlProtocolError) -> JSONValue {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONValue.parse(line)
        } catch {
            throw ControlProtocolError("\(what) is not JSON: \(error)")
        }
        guard case .object = value else { throw ControlProtocolError("\(what) is not a JSON object") }
        return value
    }

    /// A member that must be there with the right kind, for decoding replies; `read` returns nil for the wrong kind.
    func required<T>(_ key: String, _ read: (JSONValue) -> T?, in what: String) throws(ControlProtocolError) -> T {
        guard let member = self[key] else { throw ControlProtocolError("\(what): missing \"\(key)\"") }
        guard let value = read(member) else { throw ControlProtocolError("\(what): \"\(key)\" has the wrong type: \(member.serialized())") }
        return value
    }
}
