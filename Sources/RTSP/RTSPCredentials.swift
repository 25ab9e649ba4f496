/// A user name and password, from an `rtsp://user:pass@host/` URL (percent-decoded) or a stream's config.
public struct RTSPCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}
