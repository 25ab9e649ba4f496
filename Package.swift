// swift-tools-version:6.0
import PackageDescription

// Module graph (docs/architecture.md): Media and Config depend on nothing; protocol modules (HTTP, ...)
// depend on Media; the roles (Inspect, later Supervisor, Ingest, Edge) join I/O with protocols.
let package = Package(
    name: "sluice",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Media"),
        .target(name: "Config"),
        .target(name: "HTTP"),
        .target(name: "JSON"),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "Media", "Config",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MediaTests", dependencies: ["Media"], exclude: ["Fixtures"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
    ]
)
