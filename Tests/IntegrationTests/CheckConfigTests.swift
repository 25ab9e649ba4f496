import Testing

@Suite struct CheckConfigTests {
    @Test func shippedConfigIsValid() throws {
        let result = try Sluice.sluice("check-config", Sluice.root.appendingPathComponent("etc/sluice.conf").path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(": ok: "))
    }

    @Test func everyErrorIsReportedWithItsPlace() throws {
        let path = try Sluice.temporaryFile("broken.conf", """
        http 8080;
        stream good { input udp://239.0.0.1:1234; }
        stream "bad name!" { input fake://fake; }
        stream other {
          input udp://239.0.0.1:1234;
          segment_count banana;
        }
        """)
        let result = try Sluice.sluice("check-config", path)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(path):3:") && $0.contains("error") })
        #expect(lines.contains { $0.hasPrefix("\(path):5:") })
        #expect(lines.contains { $0.hasPrefix("\(path):6:") })
    }

    @Test func missingFileIsAClearError() throws {
        let result = try Sluice.sluice("check-config", "/nonexistent/sluice.conf")
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/sluice.conf"))
    }
}
