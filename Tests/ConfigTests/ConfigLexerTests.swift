import Testing
@testable import Config

@Suite struct ConfigLexerTests {
    private func tokens(_ text: String) -> ([ConfigToken.Kind], [ConfigDiagnostic]) {
        var log = DiagnosticLog()
        let tokens = ConfigLexer.tokenize(text, file: "t.conf", log: &log)
        return (tokens.map(\.kind), log.entries)
    }

    private func words(_ text: String) -> [String] {
        tokens(text).0.compactMap { if case .word(let argument) = $0 { argument.text } else { nil } }
    }

    @Test func splitsWordsAndPunctuation() {
        let (kinds, errors) = tokens("stream a{input x;};")
        #expect(errors.isEmpty)
        #expect(kinds.count == 8)
        #expect(kinds[2] == .openBrace && kinds[5] == .semicolon && kinds[6] == .closeBrace && kinds[7] == .semicolon)
        #expect(words("stream a{input x;};") == ["stream", "a", "input", "x"])
    }

    @Test func quotedValuesAndEscapes() {
        #expect(words(#"title "a b" "say \"hi\"" "back\\slash" "a\nb""#) == ["title", "a b", #"say "hi""#, #"back\slash"#, #"a\nb"#])
        #expect(words(#"x "" y"#) == ["x", "", "y"])
    }

    @Test func optionsKeepTheirKeyOnlyOutsideQuotes() throws {
        let (kinds, _) = tokens(#"title="a b" "c=d" k=v=w"#)
        let arguments = kinds.compactMap { if case .word(let argument) = $0 { argument } else { nil } }
        try #require(arguments.count == 3)
        #expect(arguments[0].optionKey == "title" && arguments[0].optionValue == "a b" && arguments[0].quoted)
        #expect(arguments[1].optionKey == nil && arguments[1].text == "c=d")
        #expect(arguments[2].optionKey == "k" && arguments[2].optionValue == "v=w")
    }

    @Test func commentsStartOnlyWhereAWordCould() {
        let (kinds, _) = tokens("input srt://h:1?streamid=#!::r=a; # note\r\n#two")
        #expect(kinds.count == 5)
        #expect(words("input srt://h:1?streamid=#!::r=a;") == ["input", "srt://h:1?streamid=#!::r=a"])
        #expect(kinds[3] == .comment(" note"))
        #expect(kinds[4] == .comment("two"))
        #expect(tokens("a;#x").0.last == .comment("x"))
    }

    @Test func locationsCountLinesAndUnicodeScalars() {
        var log = DiagnosticLog()
        let tokens = ConfigLexer.tokenize("é x;\n\t  y", file: "t.conf", log: &log)
        #expect(tokens.map(\.location.description) == ["t.conf:1:1", "t.conf:1:3", "t.conf:1:4", "t.conf:2:4"])
    }

    @Test func unterminatedQuoteIsAnErrorAtTheQuote() {
        let (kinds, errors) = tokens("a \"open\nb;")
        #expect(errors.map(\.description) == ["t.conf:1:3: error: unterminated quoted value: expected '\"' before the end of the line"])
        #expect(kinds.count == 4)
        #expect(tokens("x \"").1.count == 1)
        #expect(tokens("x \"\\").1.count == 1)
    }
}
