/// Columns aligned with spaces for `sluice ctl` output meant for people: a header row, then one row per item, two
/// spaces between columns, no trailing spaces. Widths count Characters, so wide (CJK) names misalign slightly.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        case right
    }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// Each row has one cell per column; missing cells are empty, extra ones ignored.
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as lines, each ending in a newline.
    public func rendered() -> String {
        let all = [columns.map(\.title)] + rows
        let widths = columns.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        var out = ""
        for row in all {
            var line = ""
            for (index, column) in columns.enumerated() {
                let cell = row.indices.contains(index) ? row[index] : ""
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += column.alignment == .left ? cell + padding : padding + cell
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
