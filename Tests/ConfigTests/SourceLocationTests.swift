import Testing
@testable import Config

@Suite struct SourceLocationTests {
    @Test func printsLikeACompiler() {
        #expect(SourceLocation(file: "/etc/sluice.conf", line: 3, column: 7).description == "/etc/sluice.conf:3:7")
    }
}
