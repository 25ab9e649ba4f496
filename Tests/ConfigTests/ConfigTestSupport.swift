@testable import Config

/// Parses `text` as the file `t.conf`.
func parseConfig(_ text: String) -> ConfigParseResult {
    ConfigParser.parse(text, file: "t.conf")
}

/// The diagnostics of `text`, printed as `check-config` prints them.
func diagnostics(_ text: String) -> [String] {
    parseConfig(text).diagnostics.map(\.description)
}

/// The one stream of a config that must parse without errors.
func onlyStream(_ text: String) -> StreamConfig? {
    parseConfig(text).config?.streams.first
}
