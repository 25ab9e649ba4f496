import Testing
@testable import Config

@Suite struct ConfigSyntaxParserTests {
    private func tree(_ text: String) -> (ConfigBlock, [String]) {
        let (tree, diagnostics) = ConfigParser.parseSyntax(text, file: "t.conf")
        return (tree, diagnostics.map(\.description))
    }

    @Test func directivesAndBlocks() throws {
        let (root, errors) = tree("http 8080;\nstream a {\n  input udp://239.0.0.1:1234 priority=1;\n};\nlive x {}")
        #expect(errors.isEmpty)
        try #require(root.directives.count == 3)
        #expect(root.directives[0].name == "http" && root.directives[0].arguments.map(\.text) == ["8080"])
        let stream = root.directives[1]
        #expect(stream.arguments.map(\.text) == ["a"])
        let input = try #require(stream.block?.directives.first)
        #expect(input.arguments.map(\.text) == ["udp://239.0.0.1:1234", "priority=1"])
        #expect(input.location.description == "t.conf:3:3")
        #expect(root.directives[2].block?.directives.isEmpty == true)
    }

    @Test func commentsAttachToTheirDirectives() throws {
        let text = """
            # header
            # second
            http 8080; # port
            stream a { # main
              # the source
              input fake://fake; # test
              # end of block
            } # after close
            # end of file
            """
        let (root, errors) = tree(text)
        #expect(errors.isEmpty)
        try #require(root.directives.count == 2)
        #expect(root.directives[0].leadingComments == [" header", " second"])
        #expect(root.directives[0].trailingComment == " port")
        let stream = root.directives[1]
        #expect(stream.trailingComment == " main")
        let block = try #require(stream.block)
        #expect(block.directives[0].leadingComments == [" the source"])
        #expect(block.directives[0].trailingComment == " test")
        #expect(block.closingComments == [" end of block"])
        #expect(root.closingComments == [" after close", " end of file"])
    }

    @Test func closeLineCommentIsTrailingWhenTheOpenLineHasNone() throws {
        let (root, _) = tree("stream a {\n input fake://fake;\n}; # closed\n")
        #expect(root.directives.first?.trailingComment == " closed")
    }

    @Test func commentBetweenArgumentsIsKept() {
        let (root, _) = tree("input rtsp://h/x # cam\n  tracks=1;")
        #expect(root.directives.first?.leadingComments == [" cam"])
        #expect(root.directives.first?.arguments.count == 2)
    }

    @Test func missingSemicolonBeforeCloseAndAtEnd() {
        #expect(tree("stream a {\n  input x\n}").1 == ["t.conf:2:3: error: expected ';' to end the directive 'input' before '}'"])
        #expect(tree("http 80").1 == ["t.conf:1:1: error: expected ';' to end the directive 'http' before the end of the file"])
    }

    @Test func unbalancedBraces() {
        #expect(tree("}\nhttp 80;").1 == ["t.conf:1:1: error: unexpected '}' with no block open"])
        #expect(tree("stream a {\n input x;\n").1 == ["t.conf:1:10: error: the block of 'stream' opened here is never closed (expected '}')"])
        #expect(tree("{ x; }").1 == ["t.conf:1:1: error: expected a directive name before '{'"])
        #expect(tree("a;;").1 == ["t.conf:1:3: warning: empty directive (a stray ';')"])
    }

    @Test func nestingDepthIsCapped() {
        let deep = String(repeating: "a {", count: 100_000) + String(repeating: "}", count: 100_000)
        let (_, errors) = tree(deep)
        #expect(errors == ["t.conf:1:27: error: blocks nested more than 8 deep"])
        let result = parseConfig(deep + "\n" + String(repeating: "{", count: 50_000))
        #expect(result.config == nil)
    }
}
