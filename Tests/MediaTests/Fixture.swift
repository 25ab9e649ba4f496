import Foundation

/// The MPEG-TS fixtures in Tests/MediaTests/Fixtures, made by scripts/make-fixtures.sh (ffmpeg 5.1).
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}
