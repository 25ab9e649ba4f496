/// One node of the syntax tree: `name arg arg ... ;` or `name [arg...] { ... }`, with the comments around it.
///
/// `leadingComments` are the comment lines just before the directive (and any comment written between its own
/// arguments); `trailingComment` is the comment on the same line after its `;` (or after its `{`, or after its `}`
/// when the `{` line had none). Comment texts are what follows `#`, kept byte for byte.
public struct ConfigDirective: Sendable {
    public var name: String
    public var location: SourceLocation
    public var arguments: [ConfigArgument]
    /// The `{ ... }` part, nil for a plain `;`-terminated directive.
    public var block: ConfigBlock?
    public var leadingComments: [String]
    public var trailingComment: String?

    public init(
        name: String, location: SourceLocation, arguments: [ConfigArgument] = [], block: ConfigBlock? = nil,
        leadingComments: [String] = [], trailingComment: String? = nil
    ) {
        self.name = name
        self.location = location
        self.arguments = arguments
        self.block = block
        self.leadingComments = leadingComments
        self.trailingComment = trailingComment
    }
}

/// The directives between `{` and `}`, or of a whole file; `closingComments` are the comments after the last
/// directive (before the `}`, or at the end of the file).
public struct ConfigBlock: Sendable {
    public var directives: [ConfigDirective]
    public var closingComments: [String]

    public init(directives: [ConfigDirective] = [], closingComments: [String] = []) {
        self.directives = directives
        self.closingComments = closingComments
    }
}
