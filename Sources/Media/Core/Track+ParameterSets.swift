extension Track {
    /// Stores a video track's parameter sets and fills `profile`, `level`, `width`, `height` and `frameRate`
    /// from the first SPS (H.264 or H.265, by `codec`).
    ///
    /// Throws, leaving the track unchanged, when the track is not H.264 or H.265, when `sets` holds no SPS, or
    /// when the SPS does not parse.
    public mutating func applyParameterSets(_ sets: ParameterSets) throws {
        let what = "track \(id) parameter sets"
        guard let sps = sets.sps.first else { throw MediaError(what, "no SPS") }
        switch codec {
        case .h264:
            let parsed = try H264SPS(parsing: sps)
            (profile, level, width, height, frameRate) =
                (parsed.profile, parsed.level, parsed.width, parsed.height, parsed.frameRate)
        case .h265:
            let parsed = try H265SPS(parsing: sps)
            (profile, level, width, height, frameRate) =
                (parsed.profile, parsed.level, parsed.width, parsed.height, parsed.frameRate)
        default:
            throw MediaError(what, "a \(codec.rawValue) track has no parameter sets")
        }
        parameterSets = sets
    }
}
