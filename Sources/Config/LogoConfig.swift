/// `logo path=... [width=] [height=] [left=|right=] [top=|bottom=];`: an image laid over the player, in pixels.
/// Only one of `left`/`right` and one of `top`/`bottom` may be given.
public struct LogoConfig: Hashable, Sendable {
    /// Relative to the web root.
    public var path: String
    public var width: Int?
    public var height: Int?
    public var left: Int?
    public var top: Int?
    public var right: Int?
    public var bottom: Int?

    public init(
        path: String, width: Int? = nil, height: Int? = nil, left: Int? = nil, top: Int? = nil, right: Int? = nil,
        bottom: Int? = nil
    ) {
        self.path = path
        self.width = width
        self.height = height
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }
}
