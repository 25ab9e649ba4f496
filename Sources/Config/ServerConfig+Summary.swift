extension ServerConfig {
    /// One line for `sluice check-config`: "3 streams (2 static, 1 ondemand), 1 template, http 8080, rtmp 1935".
    public var summary: String {
        let statics = streams.count { $0.kind == .static }
        let ondemand = streams.count { $0.kind == .ondemand }
        let templates = streams.count { $0.kind == .template }
        var parts = [
            "\(statics + ondemand) stream\(statics + ondemand == 1 ? "" : "s") (\(statics) static, \(ondemand) ondemand)",
            "\(templates) template\(templates == 1 ? "" : "s")",
        ]
        for (name, addresses) in [("http", http), ("rtmp", rtmp), ("rtsp", rtsp), ("srt", srt)] {
            parts += addresses.map { "\(name) \($0)" }
        }
        return parts.joined(separator: ", ")
    }
}
