/// Collects the places and comments of the directives of one block into `SourceNotes`, numbering repeated
/// directives (`input` #0, #1...) by their canonical name.
struct DirectiveNotesBuilder {
    private(set) var notes: SourceNotes
    private var counts: [String: Int] = [:]

    /// Starts the notes of the block opened by `directive` (or of a file, with `block` only).
    init(directive: ConfigDirective?, block: ConfigBlock) {
        notes = SourceNotes(
            location: directive?.location,
            comments: Comments(leading: directive?.leadingComments ?? [], trailing: directive?.trailingComment),
            closingComments: block.closingComments)
    }

    /// Records `directive` under its canonical name and returns its key.
    @discardableResult
    mutating func record(_ directive: ConfigDirective, as name: String) -> DirectiveKey {
        let key = DirectiveKey(name, counts[name, default: 0])
        counts[name] = key.occurrence + 1
        notes.directives[key] = DirectiveNote(
            location: directive.location,
            comments: Comments(leading: directive.leadingComments, trailing: directive.trailingComment))
        return key
    }

    /// The place of the first directive recorded under `name`, for "already set at ..." messages.
    func firstLocation(of name: String) -> SourceLocation? {
        notes.directives[DirectiveKey(name)]?.location
    }
}
