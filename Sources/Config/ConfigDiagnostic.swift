/// One problem found in a config file, printed like a compiler does (`file:line:column: error: message`) so that
/// editors and `sluice check-config` users can jump to it. Warnings never stop a config from loading; errors do.
public struct ConfigDiagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// The diagnostics of one parse, in the order they were found. Shared by the lexer, the syntax parser, the model
/// reader and the validator so that every stage reports and none stops at the first problem.
struct DiagnosticLog: Sendable {
    private(set) var entries: [ConfigDiagnostic] = []
    private(set) var hasErrors = false

    mutating func error(_ location: SourceLocation, _ message: String) {
        entries.append(ConfigDiagnostic(.error, location, message))
        hasErrors = true
    }

    mutating func warning(_ location: SourceLocation, _ message: String) {
        entries.append(ConfigDiagnostic(.warning, location, message))
    }
}
