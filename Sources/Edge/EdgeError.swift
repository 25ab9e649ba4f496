/// An edge worker error that is not a libuv or ring error: a bad argument from the supervisor.
struct EdgeError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
