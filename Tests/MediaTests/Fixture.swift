import Foundation

/// The fixtures in Tests/MediaTests/Fixtures (transport streams, elementary streams, audio frames), made by
/// scripts/make-fixtures.sh with ffmpeg 5.1.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}
