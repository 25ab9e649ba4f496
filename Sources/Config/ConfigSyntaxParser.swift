/// Builds the syntax tree (`ConfigBlock` of `ConfigDirective`s) from tokens, keeping every comment.
///
/// It reports every syntax error and carries on (a directive missing its `;` is still kept, so that the model reader
/// can report more). Blocks nest at most `maxDepth` deep: deeper input is an error and is skipped without recursion,
/// so hostile input cannot exhaust the stack.
struct ConfigSyntaxParser {
    static let maxDepth = 8

    private let tokens: [ConfigToken]
    private var index = 0

    private init(tokens: [ConfigToken]) {
        self.tokens = tokens
    }

    static func parse(_ text: String, file: String, log: inout DiagnosticLog) -> ConfigBlock {
        var parser = ConfigSyntaxParser(tokens: ConfigLexer.tokenize(text, file: file, log: &log))
        return parser.parseBlock(depth: 0, log: &log)
    }

    /// Parses directives up to (not including) the `}` that closes the block, or to the end of the input.
    private mutating func parseBlock(depth: Int, log: inout DiagnosticLog) -> ConfigBlock {
        var block = ConfigBlock()
        var pending: [String] = []
        var lastEndLine = -1
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .comment(let text):
                index += 1
                if token.location.line == lastEndLine, let last = block.directives.indices.last,
                    block.directives[last].trailingComment == nil
                {
                    block.directives[last].trailingComment = text
                } else {
                    pending.append(text)
                }
            case .closeBrace:
                if depth > 0 {
                    block.closingComments = pending
                    return block
                }
                log.error(token.location, "unexpected '}' with no block open")
                index += 1
            case .semicolon:
                log.warning(token.location, "empty directive (a stray ';')")
                index += 1
            case .openBrace:
                log.error(token.location, "expected a directive name before '{'")
                var skipped = ConfigDirective(name: "", location: token.location)
                lastEndLine = parseBody(of: &skipped, depth: depth, log: &log)
            case .word(let name):
                index += 1
                var directive = ConfigDirective(name: name.text, location: token.location, leadingComments: pending)
                pending = []
                lastEndLine = parseRest(of: &directive, depth: depth, log: &log)
                block.directives.append(directive)
            }
        }
        block.closingComments = pending
        return block
    }

    /// Reads the arguments and the terminator of a directive whose name was just read; returns the line it ended on.
    private mutating func parseRest(of directive: inout ConfigDirective, depth: Int, log: inout DiagnosticLog) -> Int {
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .word(let argument):
                directive.arguments.append(argument)
                index += 1
            case .comment(let text):
                directive.leadingComments.append(text)
                index += 1
            case .semicolon:
                index += 1
                return token.location.line
            case .openBrace:
                return parseBody(of: &directive, depth: depth, log: &log)
            case .closeBrace:
                log.error(directive.location, "expected ';' to end the directive '\(directive.name)' before '}'")
                return token.location.line
            }
        }
        log.error(directive.location, "expected ';' to end the directive '\(directive.name)' before the end of the file")
        return -1
    }

    /// Reads `{ ... }` and an optional `;` after it; the current token is the `{`. Returns the line it ended on.
    private mutating func parseBody(of directive: inout ConfigDirective, depth: Int, log: inout DiagnosticLog) -> Int {
        let open = tokens[index].location
        index += 1
        if depth + 1 > Self.maxDepth {
            log.error(open, "blocks nested more than \(Self.maxDepth) deep")
            return skipNestedBlock()
        }
        if index < tokens.count, case .comment(let text) = tokens[index].kind, tokens[index].location.line == open.line {
            directive.trailingComment = text
            index += 1
        }
        directive.block = parseBlock(depth: depth + 1, log: &log)
        guard index < tokens.count else {
            log.error(open, "the block of '\(directive.name)' opened here is never closed (expected '}')")
            return -1
        }
        var endLine = tokens[index].location.line
        index += 1
        if index < tokens.count, case .semicolon = tokens[index].kind {
            endLine = tokens[index].location.line
            index += 1
        }
        return endLine
    }

    /// Skips to just after the `}` matching an already consumed `{`, iteratively.
    private mutating func skipNestedBlock() -> Int {
        var open = 1
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if case .openBrace = token.kind { open += 1 }
            if case .closeBrace = token.kind {
                open -= 1
                if open == 0 { return token.location.line }
            }
        }
        return -1
    }
}
