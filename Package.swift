// swift-tools-version:6.0
import PackageDescription

// Module graph (docs/architecture.md): Media, Config, HTTP and JSON depend on nothing; protocol modules depend on
// Media; EventLoop on CLibUV and CSupport; Ring on Media, CSupport and EventLoop (its wake-ups wake a loop); Transcode
// on Media and CAVCodec; the roles (Supervisor, Ingest, Edge, Pusher, Inspect) are the only code that joins I/O with
// protocols.
// Sources use no Swift concurrency (async, Task, actors): without this flag every module would still link
// libswift_Concurrency, and through it libdispatch, which every worker process would map for nothing.
// Release builds skip the run-time exclusivity checks (debug builds, which the tests run, keep them): every mutation of
// a class's stored property otherwise records the access in a thread-local set, about 110 instructions, which was 5%
// of an ingest worker's instructions (docs/benchmarks.md, "Session 4").
let lean: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-implicit-concurrency-module-import"]),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    targets: [
        .systemLibrary(name: "CLibUV", pkgConfig: "libuv", providers: [.apt(["libuv1-dev"])]),
        // FFmpeg's libavcodec (the AAC encoder), libswresample and libavutil for rtsp2:// (docs/transcode.md). Loaded at
        // run time, not linked (CAVCodec/shim.h: linked, they cost every process 3 MB), so no pkgConfig: its flags link.
        .systemLibrary(name: "CAVCodec", providers: [.apt(["libavcodec-dev", "libswresample-dev"])]),
        .target(name: "CSupport"),
        .target(name: "Media", swiftSettings: lean),
        .target(name: "Config", swiftSettings: lean),
        .target(name: "HTTP", swiftSettings: lean),
        .target(name: "JSON", swiftSettings: lean),
        .target(name: "SystemCalls", swiftSettings: lean),
        .target(name: "Log", swiftSettings: lean),
        .target(name: "EventLoop", dependencies: ["CLibUV", "CSupport"], swiftSettings: lean),
        // TLS clients over OpenSSL (apt libssl-dev): a socketless engine, and the connections the roles make
        // (docs/tls.md). libssl is loaded at run time, not linked (COpenSSL/shim.h), so no pkgConfig: its flags link it.
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        .target(name: "TLS", dependencies: ["COpenSSL"], swiftSettings: lean),
        .target(name: "Outbound", dependencies: ["EventLoop", "TLS"], swiftSettings: lean),
        .target(name: "Ring", dependencies: ["Media", "CSupport", "EventLoop", "SystemCalls"], swiftSettings: lean),
        .target(name: "Ingest", dependencies: ["Media", "Config", "CFakeClip", "Control", "EventLoop", "HTTP", "HLS", "Log", "Outbound", "RTMP", "RTP", "RTSP", "Ring", "Transcode"], swiftSettings: lean),
        .target(name: "Edge", dependencies: ["Media", "Config", "Control", "EventLoop", "HTTP", "HLS", "Log", "RTMP", "RTP", "RTSP", "Ring", "SystemCalls"], swiftSettings: lean),
        .target(name: "Control", dependencies: ["JSON"], swiftSettings: lean),
        .target(name: "Pusher", dependencies: ["Media", "Config", "Control", "EventLoop", "Log", "Outbound", "RTMP", "Ring"], swiftSettings: lean),
        .target(name: "Supervisor", dependencies: ["Config", "JSON", "Control", "EventLoop", "Log", "Ring", "Ingest", "SystemCalls"], swiftSettings: lean),
        .target(name: "Inspect", dependencies: ["Media", "Config", "EventLoop", "Ingest", "JSON", "SystemCalls"], swiftSettings: lean),
        .target(name: "HLS", dependencies: ["Media"], swiftSettings: lean),
        // RTMP wire protocol and session state machines, pure (docs/rtmp.md).
        .target(name: "RTMP", dependencies: ["Media"], swiftSettings: lean),
        // RTSP wire protocol, SDP, authentication, client and server session state machines, pure (docs/rtsp.md).
        .target(name: "RTSP", dependencies: ["Media", "RTP"], swiftSettings: lean),
        // RTP/RTCP, depacketizers and packetizers for H.264, H.265, AAC, G.711, pure (docs/rtp.md).
        .target(name: "RTP", dependencies: ["Media"], swiftSettings: lean),
        // G.711 to AAC for rtsp2:// inputs, over libavcodec (docs/transcode.md).
        .target(name: "Transcode", dependencies: ["Media", "CAVCodec"], swiftSettings: lean),
        // The fake:// clip, embedded with #embed; the .ts is made by scripts/make-fixtures.sh.
        .target(name: "CFakeClip", exclude: ["fake_clip.ts"]),
        // No package dependencies: the binary is re-executed as every worker and must stay small (see
        // Sources/sluice/CommandLineParser.swift).
        .executableTarget(
            name: "sluice",
            dependencies: ["Media", "Config", "Control", "CSupport", "Edge", "Ingest", "Inspect", "Log", "Pusher", "Ring", "Supervisor", "SystemCalls"],
            swiftSettings: lean
        ),
        .executableTarget(name: "SluiceBench", dependencies: ["Media", "Config", "EventLoop", "RTMP", "RTP", "RTSP", "Ring"], path: "bench/SluiceBench"),
        .executableTarget(name: "RingTestWriter", dependencies: ["Ring", "Media"], path: "Tests/RingTestWriter"),
        // Helpers shared by the test targets: the seeded generator, running ffmpeg/ffprobe/curl/sluice.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "LogTests", dependencies: ["Log"]),
        .testTarget(name: "EdgeTests", dependencies: ["Edge", "EventLoop", "Media", "RTP", "RTSP"]),
        .testTarget(name: "ControlTests", dependencies: ["Control", "JSON"]),
        .testTarget(name: "SupervisorTests", dependencies: ["Supervisor", "Config", "Control"]),
        .testTarget(name: "EventLoopTests", dependencies: ["EventLoop"]),
        .testTarget(name: "RingTests", dependencies: ["Ring", "EventLoop", "Media", "RingTestWriter", "SystemCalls"]),
        .testTarget(name: "InspectTests", dependencies: ["Inspect", "Media"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Media", "Config", "CFakeClip", "RTMP", "RTP", "RTSP"]),
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport"]),
        .testTarget(name: "HLSTests", dependencies: ["HLS", "Media", "TestSupport"]),
        .testTarget(name: "RTMPTests", dependencies: ["RTMP", "TestSupport"]),
        .testTarget(name: "RTSPTests", dependencies: ["RTSP", "TestSupport"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "Media"]),
        // Its OpenSSL server is called directly, so linked (the TLS module loads libssl at run time: COpenSSL/shim.h).
        .testTarget(name: "TLSTests", dependencies: ["TLS", "COpenSSL", "TestSupport"],
                    linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]),
        // Its reference codecs (G.711, the AAC decoder) are called directly, so FFmpeg is linked.
        .testTarget(name: "TranscodeTests", dependencies: ["Transcode", "Media", "CAVCodec", "TestSupport"],
                    linkerSettings: [.linkedLibrary("avcodec"), .linkedLibrary("avutil")]),
    ]
)
