/// The entry point of the config language: text in, typed config and diagnostics out. It never traps on any input
/// (hostile text, huge numbers, deep nesting), so it is also the fuzzing entry.
public enum ConfigParser {
    /// Lexes, parses, reads and validates `text`; `file` names it in the diagnostics. Every problem is reported,
    /// in file order; `config` is nil when any of them is an error.
    public static func parse(_ text: String, file: String) -> ConfigParseResult {
        var log = DiagnosticLog()
        let document = ConfigSyntaxParser.parse(text, file: file, log: &log)
        var reader = ConfigReader(file: file, log: log)
        let config = reader.read(document)
        log = reader.log
        ConfigValidator(file: file).validate(config, log: &log)
        let diagnostics = log.entries.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        return ConfigParseResult(config: log.hasErrors ? nil : config, diagnostics: diagnostics)
    }

    /// The syntax tree alone, with the syntax errors, for tools that edit config text while keeping its layout.
    public static func parseSyntax(_ text: String, file: String) -> (tree: ConfigBlock, diagnostics: [ConfigDiagnostic]) {
        var log = DiagnosticLog()
        let tree = ConfigSyntaxParser.parse(text, file: file, log: &log)
        return (tree, log.entries)
    }
}

/// What `ConfigParser.parse` found.
public struct ConfigParseResult: Sendable {
    /// nil when any diagnostic is an error.
    public var config: ServerConfig?
    public var diagnostics: [ConfigDiagnostic]

    public var errors: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [ConfigDiagnostic] { diagnostics.filter { $0.severity == .warning } }
}
