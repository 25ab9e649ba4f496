import Testing
@testable import Media

@Suite struct Base64Tests {
    @Test func encodesAndDecodesAsRFC4648SaysAndAsCamerasWrite() {
        #expect(Base64.encode(Array("Aladdin:open sesame".utf8)) == "QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
        #expect(Base64.decode("Z2QAHw==") == [0x67, 0x64, 0x00, 0x1F])
        #expect(Base64.decode("aM4=") == [0x68, 0xCE] && Base64.decode("aM4") == [0x68, 0xCE])
        #expect(Base64.decode("a*==") == nil && Base64.decode("a") == nil)
    }
}
