/// The comments written around one directive: the lines before it and the one after it on its line.
public struct Comments: Hashable, Sendable {
    public var leading: [String]
    public var trailing: String?

    public init(leading: [String] = [], trailing: String? = nil) {
        self.leading = leading
        self.trailing = trailing
    }

    public var isEmpty: Bool { leading.isEmpty && trailing == nil }
}

/// Names one directive inside a block by its canonical name and its rank among directives of that name
/// (`input` #0, `input` #1...). Legacy spellings count under the canonical name (`url` is `input`).
public struct DirectiveKey: Hashable, Sendable {
    public var name: String
    public var occurrence: Int

    public init(_ name: String, _ occurrence: Int = 0) {
        self.name = name
        self.occurrence = occurrence
    }
}

/// Where one directive was written and the comments around it.
public struct DirectiveNote: Hashable, Sendable {
    public var location: SourceLocation?
    public var comments: Comments

    public init(location: SourceLocation? = nil, comments: Comments = Comments()) {
        self.location = location
        self.comments = comments
    }
}

/// What the source text said around a block of the model that is not configuration: where it was, its comments, and
/// the place and comments of each directive inside it. The writer puts the comments back; diagnostics use the places.
///
/// Caveat, on purpose: all `SourceNotes` are equal to each other and hash alike, so the synthesized equality of the
/// model (used by the reload diff and the round-trip tests) ignores comments and line numbers. Moving a stream or
/// editing its comments never restarts it.
public struct SourceNotes: Hashable, Sendable {
    public var location: SourceLocation?
    /// The comments of the block's own first line (`stream NAME {`).
    public var comments: Comments
    public var directives: [DirectiveKey: DirectiveNote]
    /// The comments after the block's last directive (or at the end of the file, for the whole config).
    public var closingComments: [String]

    public init(
        location: SourceLocation? = nil, comments: Comments = Comments(), directives: [DirectiveKey: DirectiveNote] = [:],
        closingComments: [String] = []
    ) {
        self.location = location
        self.comments = comments
        self.directives = directives
        self.closingComments = closingComments
    }

    public static func == (lhs: SourceNotes, rhs: SourceNotes) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}

    /// The place of a directive, else of the block itself, else the start of `file`.
    func location(of key: DirectiveKey, file: String) -> SourceLocation {
        directives[key]?.location ?? blockLocation(file: file)
    }

    /// The place of the block itself, else the start of `file` (for a model built in code).
    func blockLocation(file: String) -> SourceLocation {
        location ?? SourceLocation(file: file, line: 1, column: 1)
    }
}
