import Testing
@testable import Config

@Suite struct ConfigDiffTests {
    private func config(_ text: String) throws -> ServerConfig {
        let result = parseConfig(text)
        #expect(result.errors.isEmpty, "\(result.diagnostics)")
        return try #require(result.config)
    }

    @Test func addedRemovedChangedUnchanged() throws {
        let old = try config("""
            stream keep { input fake://fake; }
            stream edit { input fake://fake; }
            stream gone { input fake://fake; }
            template t { prefix t; }
            """)
        let new = try config("""
            # a comment and a new place never restart a stream
            template t {
              prefix t; # same
            }
            stream fresh { input fake://fake; }
            stream edit { input fake://fake; segment_count 5; }
            stream keep {
              input fake://fake;
            }
            """)
        let diff = ConfigDiff(old: old, new: new)
        #expect(diff.added == ["fresh"])
        #expect(diff.removed == ["gone"])
        #expect(diff.changed == ["edit"])
        #expect(diff.unchanged == ["t", "keep"])
        #expect(!diff.isEmpty)
        #expect(ConfigDiff(old: new, new: new).isEmpty)
    }

    @Test func kindAndLegacySpellings() throws {
        let old = try config("stream a { url fake://fake; }\nlive p {}\nondemand c { input fake://fake; }")
        let new = try config("stream a { input fake://fake; }\ntemplate p { prefix p; input publish://; }\nstream c { input fake://fake; }")
        let diff = ConfigDiff(old: old, new: new)
        #expect(diff.unchanged == ["a", "p"])
        #expect(diff.changed == ["c"])
    }

    @Test func inheritedGlobalsChangeTheStreamsThatUseThem() throws {
        let base = """
            vod vod { storage /v; }
            dvr raid { root /s1; }
            stream own { input fake://fake; url_prefix http://own/; }
            stream inherits { input fake://fake; }
            stream archived { input fake://fake; url_prefix http://x/; dvr @raid 1d; }
            stream backed { input fake://fake; url_prefix http://x/; backup vod/a.mp4; }
            """
        let old = try config("url_prefix http://cdn1/;\n" + base)
        let prefixChanged = ConfigDiff(old: old, new: try config("url_prefix http://cdn2/;\n" + base))
        #expect(prefixChanged.changed == ["inherits"])
        #expect(prefixChanged.unchanged == ["own", "archived", "backed"])
        let sameExplicit = ConfigDiff(old: old, new: try config(base.replacingOccurrences("stream inherits { input fake://fake; }",
            with: "stream inherits { input fake://fake; url_prefix http://cdn1/; }") + "\nurl_prefix http://cdn1/;"))
        #expect(sameExplicit.changed.isEmpty)
        let storageMoved = ConfigDiff(old: old, new: try config("url_prefix http://cdn1/;\n" + base.replacingOccurrences("/s1", with: "/s2")))
        #expect(storageMoved.changed == ["archived"])
        let vodMoved = ConfigDiff(old: old, new: try config("url_prefix http://cdn1/;\n" + base.replacingOccurrences("/v;", with: "/w;")))
        #expect(vodMoved.changed == ["backed"])
    }
}

extension String {
    /// Replaces every occurrence of `target` (test helper, no Foundation needed).
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
