/// One lexical unit of the config language.
struct ConfigToken: Sendable {
    enum Kind: Sendable, Equatable {
        /// A bare or quoted value, or a run of both glued together (`key="a b"`).
        case word(ConfigArgument)
        case semicolon
        case openBrace
        case closeBrace
        /// The text after `#`, up to the end of the line, without the newline.
        case comment(String)
    }

    var kind: Kind
    var location: SourceLocation
}
