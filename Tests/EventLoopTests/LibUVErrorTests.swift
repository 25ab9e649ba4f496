import EventLoop
import Testing

@Suite("LibUVError")
struct LibUVErrorTests {
    @Test func describesTheCallTheTextAndTheName() {
        let error = LibUVError("uv_tcp_bind(0.0.0.0:80)", code: -13)
        #expect(error.name == "EACCES")
        #expect(error.message == "permission denied")
        #expect(error.description == "uv_tcp_bind(0.0.0.0:80): permission denied (EACCES)")
    }
}
