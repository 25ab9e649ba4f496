/// Splits config text into tokens, working on UTF-8 bytes (a 10,000-stream file is lexed in a few milliseconds).
///
/// Rules: whitespace separates words; `;`, `{` and `}` are tokens of their own; `#` starts a comment to the end of the
/// line only where a word could start (so `srt://h:1?streamid=#!::r=a` keeps its `#`); `"..."` quotes a value, with
/// `\"` and `\\` as the only escapes; quoted and bare parts glued together make one word. A quote left open at the end
/// of its line is an error (values never span lines).
struct ConfigLexer {
    private let file: String
    private var line = 1
    private var column = 1
    private var buffer: [UInt8] = []

    init(file: String) {
        self.file = file
    }

    /// The tokens of `text`; errors go to `log` and lexing goes on after each.
    static func tokenize(_ text: String, file: String, log: inout DiagnosticLog) -> [ConfigToken] {
        var lexer = ConfigLexer(file: file)
        var text = text
        return text.withUTF8 { lexer.tokenize($0, log: &log) }
    }

    private var location: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    @inline(__always)
    private mutating func advance(over byte: UInt8) {
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    @inline(__always)
    private static func endsWord(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
    }

    private mutating func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, log: inout DiagnosticLog) -> [ConfigToken] {
        var tokens: [ConfigToken] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let start = location
            switch byte {
            case _ where Self.isSpace(byte):
                advance(over: byte)
                index += 1
            case UInt8(ascii: ";"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                let kind: ConfigToken.Kind =
                    byte == UInt8(ascii: ";") ? .semicolon : byte == UInt8(ascii: "{") ? .openBrace : .closeBrace
                tokens.append(ConfigToken(kind: kind, location: start))
                advance(over: byte)
                index += 1
            case UInt8(ascii: "#"):
                let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                var textEnd = end
                if textEnd > index + 1, bytes[textEnd - 1] == UInt8(ascii: "\r") { textEnd -= 1 }
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<textEnd]), as: UTF8.self)
                tokens.append(ConfigToken(kind: .comment(text), location: start))
                for b in bytes[index..<end] { advance(over: b) }
                index = end
            default:
                tokens.append(ConfigToken(kind: .word(lexWord(bytes, at: &index, log: &log)), location: start))
            }
        }
        return tokens
    }

    private mutating func lexWord(
        _ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int, log: inout DiagnosticLog
    ) -> ConfigArgument {
        let start = location
        buffer.removeAll(keepingCapacity: true)
        var quoted = false
        var keyLength: Int?
        while index < bytes.count, !Self.endsWord(bytes[index]) {
            let byte = bytes[index]
            if byte != UInt8(ascii: "\"") {
                if byte == UInt8(ascii: "="), keyLength == nil { keyLength = buffer.count }
                buffer.append(byte)
                advance(over: byte)
                index += 1
                continue
            }
            quoted = true
            let quoteStart = location
            advance(over: byte)
            index += 1
            var closed = false
            while index < bytes.count {
                let inner = bytes[index]
                if inner == UInt8(ascii: "\n") { break }
                advance(over: inner)
                index += 1
                if inner == UInt8(ascii: "\"") {
                    closed = true
                    break
                }
                if inner == UInt8(ascii: "\\"), index < bytes.count,
                    bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "\\")
                {
                    buffer.append(bytes[index])
                    advance(over: bytes[index])
                    index += 1
                } else {
                    buffer.append(inner)
                }
            }
            if !closed {
                log.error(quoteStart, "unterminated quoted value: expected '\"' before the end of the line")
            }
        }
        return ConfigArgument(
            text: String(decoding: buffer, as: UTF8.self), quoted: quoted, keyLength: keyLength, location: start)
    }
}
