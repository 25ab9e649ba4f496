/// A source that cannot be used, with the reason (which URL, what went wrong).
struct InputError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
